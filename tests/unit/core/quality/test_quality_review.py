"""Overrides on top of an automatic result: re-weighing, re-totalling, critical failures, round trips."""

from __future__ import annotations

import pytest

from trustdesk.core.quality import load_scorecard, to_contract_dict
from trustdesk.core.quality.results import CriterionResult, Outcome, QualityResult
from trustdesk.core.quality.review import OverrideError, apply_overrides, result_from_contract

CARD = load_scorecard(
    """
id: test
pass_score: 80
sections:
  - id: compliance
    kind: auto_fail
    criteria:
      - id: sensitive_readback
        weight: 10
  - id: experience
    criteria:
      - id: greeting
        weight: 10
      - id: empathy
        weight: 30
  - id: extras
    kind: bonus
    criteria:
      - id: readability
        weight: 5
""",
    source="test.yaml",
)


def _criterion(criterion_id, outcome, points, max_points, section, critical=False):
    return CriterionResult(criterion_id, outcome, points, max_points, critical, (), "", section)


AUTOMATIC = QualityResult(
    external_id="call-1",
    scorecard="test",
    score=80.0,
    passed=True,
    criteria=(
        _criterion("sensitive_readback", Outcome.PASS, 10, 10, "compliance", critical=True),
        _criterion("greeting", Outcome.NOT_APPLICABLE, 0, 0, "experience"),
        _criterion("empathy", Outcome.PASS, 30, 30, "experience"),
        _criterion("readability", Outcome.FAIL, 0, 5, "extras"),
    ),
)


@pytest.mark.parametrize(
    ("overrides", "score", "passed"),
    [
        ({}, 100.0, True),
        ({"empathy": Outcome.FAIL}, 25.0, False),  # 10 of 40
        ({"greeting": Outcome.PASS}, 100.0, True),  # enters the denominator with its scorecard weight
        ({"greeting": Outcome.FAIL}, 80.0, True),  # 40 of 50
        ({"empathy": Outcome.NOT_APPLICABLE}, 100.0, True),  # leaves the denominator
        ({"sensitive_readback": Outcome.FAIL}, 0.0, False),  # critical: fails the interaction
        ({"empathy": Outcome.FAIL, "readability": Outcome.PASS}, 37.5, False),  # bonus adds 5 on top of 10 of 40
    ],
)
def test_overrides_are_reweighed_and_totalled_like_automatic_scoring(overrides, score, passed):
    edited = apply_overrides(AUTOMATIC, overrides, CARD)
    assert (edited.score, edited.passed) == (score, passed)
    for criterion in edited.criteria:
        if criterion.id in overrides:
            assert criterion.result is overrides[criterion.id]


def test_overriding_to_not_applicable_zeroes_the_points():
    edited = apply_overrides(AUTOMATIC, {"empathy": Outcome.NOT_APPLICABLE}, CARD)
    empathy = next(c for c in edited.criteria if c.id == "empathy")
    assert (empathy.points, empathy.max_points) == (0.0, 0.0)


def test_unknown_criterion_is_refused_by_name():
    with pytest.raises(OverrideError, match="'charisma'"):
        apply_overrides(AUTOMATIC, {"charisma": Outcome.FAIL}, CARD)


def test_contract_dict_round_trips():
    assert result_from_contract(to_contract_dict(AUTOMATIC)) == AUTOMATIC
