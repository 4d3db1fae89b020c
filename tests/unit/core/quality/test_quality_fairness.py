"""Fairness of the scoring: a report per group, and paired transcripts that must score the same."""

from __future__ import annotations

import pytest

from trustdesk.core.quality import score_interaction
from trustdesk.core.quality.fairness import ScoredInteraction, report_fairness
from trustdesk.core.quality.results import CriterionResult, Outcome, QualityResult

P, F = Outcome.PASS, Outcome.FAIL


def _result(score: float, outcomes: dict[str, Outcome]) -> QualityResult:
    criteria = tuple(CriterionResult(c, o, 0.0, 0.0, False, (), "", "s") for c, o in outcomes.items())
    return QualityResult("x", "default", score, score >= 80, criteria)


def test_report_groups_disagreement_and_scores():
    items = [
        ScoredInteraction(
            _result(90, {"greeting": P, "empathy": P}), {"vendor": "manila"}, {"greeting": P, "empathy": F}
        ),
        ScoredInteraction(_result(70, {"greeting": F}), {"vendor": "manila"}),
        ScoredInteraction(_result(100, {"greeting": P}), {"vendor": "pune"}, {"greeting": P}),
        ScoredInteraction(_result(60, {"greeting": P}), {}),
    ]
    rows = {row.group: row for row in report_fairness(items, attribute="vendor")}
    assert list(rows) == ["manila", "pune", "unknown"]
    manila = rows["manila"]
    assert (manila.interactions, manila.reviewed_criteria, manila.disagreement_rate) == (2, 2, 0.5)
    assert (manila.mean_score, manila.median_score, manila.min_score, manila.max_score) == (80, 80, 70, 90)
    assert manila.pass_rate == 0.5
    assert rows["pune"].disagreement_rate == 0.0
    assert rows["unknown"].disagreement_rate is None


BASE_TURNS = [
    ("agent", "Thank you for calling Acme, my name is Maria. This call may be recorded for quality."),
    ("customer", "Hi, my parcel never arrived and I'm quite annoyed about it."),
    ("agent", "I'm sorry about that. To locate your order, could you give me the order number please?"),
    ("customer", "It's [ACCOUNT_NUMBER]."),
    ("customer", "Where are you based, by the way?"),
    ("agent", "I'm with Acme's service partner in Manila."),
    (
        "agent",
        "The parcel is stuck at the depot. I will send a replacement today "
        "and you'll receive tracking within 2 hours.",
    ),
    ("customer", "Okay, thank you."),
    ("agent", "Is there anything else I can help with? Have a great day."),
]

# Same behaviour, different person, company, country or variety of English.
PAIRS = {
    "agent name": ({"agent": "agent-7"}, {"agent": "agent-1234"}, [("Maria", "Priya")]),
    "vendor": ({"vendor": "manila-bpo"}, {"vendor": "pune-bpo"}, [("Manila", "Pune")]),
    "country": ({}, {}, [("Manila", "Cebu")]),
    # Vendors whose keys name no place, each answering truthfully with a place the registry lists for it.
    "registered vendor": (
        {"vendor": "northwind", "vendor_countries": ("PH",)},
        {"vendor": "southwind", "vendor_countries": ("IN",)},
        [("Manila", "Pune")],
    ),
    "British English": (
        {"channel": "chat"},
        {"channel": "chat"},
        [("I'm sorry about that.", "I do apologise, that is not the behaviour we want.")],
    ),
    "Indian English": (
        {"channel": "chat"},
        {"channel": "chat"},
        [
            ("Hi, my parcel", "Hello sir, kindly note my parcel"),
            ("Okay, thank you.", "Okay, thank you sir, I will revert if needed."),
        ],
    ),
    "Filipino English": (
        {"channel": "chat"},
        {"channel": "chat"},
        [("Okay, thank you.", "Okay po, thank you."), ("Hi, my parcel", "Hi po, my parcel")],
    ),
}


def _apply(replacements: list[tuple[str, str]]) -> list[tuple[str, str]]:
    turns = []
    for speaker, text in BASE_TURNS:
        for old, new in replacements:
            text = text.replace(old, new)
        turns.append((speaker, text))
    return turns


@pytest.mark.parametrize("difference", list(PAIRS))
def test_paired_transcripts_score_the_same(make_interaction, difference):
    base_kwargs, variant_kwargs, replacements = PAIRS[difference]
    base = score_interaction(make_interaction(BASE_TURNS, **base_kwargs))
    variant = score_interaction(make_interaction(_apply(replacements), **variant_kwargs))
    assert [(c.id, c.result) for c in variant.criteria] == [(c.id, c.result) for c in base.criteria]
    assert variant.score == base.score
    assert base.passed
