from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustdesk.core.quality.calibration import agreement_by_criterion, cohens_kappa, ratings_from_results
from trustdesk.core.quality.results import CriterionResult, Outcome, QualityResult

P, F, N = Outcome.PASS, Outcome.FAIL, Outcome.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # po = 5/6, pe = (4*3 + 2*3)/36 = 1/2 -> (5/6 - 1/2) / (1/2) = 2/3
        ("ppffpp", "pfffpp", 2 / 3),
        # three labels: po = 4/6, pe = (2*2 + 2*3 + 2*1)/36 = 1/3 -> 1/2
        ("ppnffn", "pnnfpn", 0.5),
        # the textbook 2x2 table: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> po 0.7, pe 0.5 -> 0.4
        ("y" * 25 + "n" * 25, "y" * 20 + "n" * 5 + "y" * 10 + "n" * 15, 0.4),
        # systematic disagreement is worse than chance
        ("pf", "fp", -1.0),
    ],
)
def test_cohens_kappa_hand_computed(first, second, expected):
    assert cohens_kappa(list(first), list(second)) == pytest.approx(expected)


def test_cohens_kappa_undefined_cases():
    assert cohens_kappa([], []) is None
    assert cohens_kappa(["p", "p"], ["p", "p"]) is None
    with pytest.raises(ValueError, match="differ in length"):
        cohens_kappa(["p"], [])


@given(st.lists(st.tuples(st.sampled_from("pfn"), st.sampled_from("pfn")), min_size=1))
def test_kappa_is_symmetric_and_bounded(pairs):
    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    kappa = cohens_kappa(first, second)
    assert kappa == cohens_kappa(second, first)
    if kappa is not None:
        assert -1.0 - 1e-9 <= kappa <= 1.0 + 1e-9


@given(st.lists(st.sampled_from("pfn"), min_size=2))
def test_identical_ratings_agree_perfectly(labels):
    kappa = cohens_kappa(labels, labels)
    assert kappa is None or kappa == pytest.approx(1.0)


def _result(external_id: str, outcomes: dict[str, Outcome]) -> QualityResult:
    criteria = tuple(CriterionResult(c, o, 0.0, 0.0, False, (), "", "s") for c, o in outcomes.items())
    return QualityResult(external_id, "default", 50.0, False, criteria)


def test_agreement_between_reviewer_and_automatic_score():
    automatic = ratings_from_results(
        [
            _result("a", {"greeting": P, "empathy": F}),
            _result("b", {"greeting": P, "empathy": P}),
            _result("c", {"greeting": F, "empathy": N}),
            _result("d", {"greeting": F, "empathy": P}),
        ]
    )
    reviewer = {
        "a": {"greeting": P, "empathy": F},
        "b": {"greeting": F, "empathy": P},
        "c": {"greeting": F, "empathy": N},
        "d": {"greeting": F},
        "z": {"greeting": P},
    }
    rows = {row.criterion: row for row in agreement_by_criterion(reviewer, automatic)}
    assert list(rows) == ["empathy", "greeting"]
    assert rows["empathy"].compared == 3 and rows["empathy"].kappa == pytest.approx(1.0)
    # greeting: reviewer P,F,F,F vs auto P,P,F,F -> po 3/4, pe (1*2 + 3*2)/16 = 1/2 -> 1/2
    assert rows["greeting"].compared == 4
    assert rows["greeting"].observed_agreement == pytest.approx(0.75)
    assert rows["greeting"].kappa == pytest.approx(0.5)
