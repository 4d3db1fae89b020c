from __future__ import annotations

import json
import pickle

import pytest

from trustdesk.core.quality import (
    load_scorecard,
    score_interaction,
    score_step,
    scoring_step,
    to_contract_dict,
)
from trustdesk.core.quality.results import Outcome

CARD = """\
id: small
pass_score: 60
sections:
  - id: must
    kind: auto_fail
    criteria:
      - {id: sensitive_readback, weight: 10}
  - id: experience
    criteria:
      - {id: greeting, weight: 10}
      - {id: closing, weight: 10}
      - {id: empathy, weight: 20}
  - id: bonus
    kind: bonus
    criteria:
      - {id: resolution, weight: 5}
"""


@pytest.fixture
def card():
    return load_scorecard(CARD, source="small.yaml")


def test_not_applicable_leaves_the_denominator(make_interaction, card):
    # greeting passes, closing fails, empathy not applicable: 10+10 of 10+10+10 -> 66.7
    interaction = make_interaction(
        [("agent", "Hello there"), ("customer", "What time do you open?"), ("agent", "Nine.")]
    )
    result = score_interaction(interaction, card)
    by_id = {c.id: c for c in result.criteria}
    assert by_id["empathy"].result is Outcome.NOT_APPLICABLE
    assert (by_id["empathy"].points, by_id["empathy"].max_points) == (0.0, 0.0)
    assert by_id["empathy"].reason
    assert result.score == pytest.approx(66.7)
    assert result.passed is True


def test_bonus_adds_points_without_raising_the_denominator(make_interaction, card):
    interaction = make_interaction(
        [
            ("agent", "Hello there"),
            ("customer", "Can you reset my password?"),
            ("agent", "It has been reset for you."),
        ]
    )
    result = score_interaction(interaction, card)
    # 10 (readback) + 10 (greeting) + 0 (closing) + 5 bonus, of 30
    assert result.score == pytest.approx(83.3)


def test_a_failed_critical_criterion_fails_the_interaction(make_interaction, card):
    interaction = make_interaction(
        [("agent", "Hello there"), ("customer", "[CARD]"), ("agent", "That is [CARD]. Have a nice day!")]
    )
    result = score_interaction(interaction, card)
    assert result.score == 0.0 and result.passed is False
    assert [c.id for c in result.failed_critical] == ["sensitive_readback"]


def test_scorecard_applicability_excludes_with_a_reason(make_interaction):
    card = load_scorecard(
        CARD.replace(
            "{id: greeting, weight: 10}", "{id: greeting, weight: 10, applies_to: {purposes: [billing]}}"
        ),
        source="s.yaml",
    )
    result = score_interaction(make_interaction([("agent", "Yo")], purpose="order_status"), card)
    greeting = next(c for c in result.criteria if c.id == "greeting")
    assert greeting.result is Outcome.NOT_APPLICABLE
    assert "billing" in greeting.reason


def test_default_scorecard_output_matches_the_contract(make_interaction):
    interaction = make_interaction(
        [
            ("agent", "Thank you for calling, this call may be recorded."),
            ("customer", "Hi, where is my order?"),
        ]
    )
    data = to_contract_dict(score_interaction(interaction))
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"external_id", "scorecard", "score", "passed", "criteria"}
    assert data["scorecard"] == "default"
    first = data["criteria"][0]
    assert {"id", "result", "points", "max_points", "critical", "evidence"} <= set(first)
    assert first["id"] == "recording_disclosure" and first["result"] == "pass"
    assert first["evidence"] == [{"turn": 0, "quote": "Thank you for calling, this call may be recorded."}]


def test_score_step_sets_quality_and_nothing_else(make_interaction):
    interaction = make_interaction([("agent", "Hello"), ("customer", "Hi")])
    scored = score_step(interaction)
    assert scored.quality == score_interaction(interaction)
    assert scored.turns == interaction.turns and interaction.quality is None


def test_scoring_step_scores_with_its_scorecard_and_survives_pickling(make_interaction, card):
    # Bulk import runs ingest steps in worker processes, which receive them pickled.
    step = pickle.loads(pickle.dumps(scoring_step(card)))
    interaction = make_interaction([("agent", "Hello"), ("customer", "Hi")])
    scored = step(interaction)
    assert scored.quality == score_interaction(interaction, card)
    assert scored.quality.scorecard == "small"


def test_scoring_is_deterministic(make_interaction):
    interaction = make_interaction(
        [
            ("agent", "Hello"),
            ("customer", "My parcel never arrived, I'm upset"),
            ("agent", "Sorry! I will resend it today."),
        ]
    )
    assert score_interaction(interaction) == score_interaction(interaction)
