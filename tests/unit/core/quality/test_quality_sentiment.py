from __future__ import annotations

import pytest

from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.sentiment import score_sentiment
from trustdesk.core.quality.transcript import build_transcript


def assess(make_interaction, turns, **kwargs):
    return CRITERIA["customer_sentiment"].assess(build_transcript(make_interaction(turns, **kwargs)))


def test_customer_recovering_passes_and_reports_the_trajectory(make_interaction):
    turns = [
        ("customer", "This is terrible, my order is lost."),
        ("agent", "Let me fix it."),
        ("customer", "Great, thank you so much!"),
    ]
    result = assess(make_interaction, turns)
    assert result.outcome is Outcome.PASS
    assert result.reason.startswith("customer sentiment -")


def test_customer_ending_angrier_fails(make_interaction):
    turns = [
        ("customer", "Hi, I have a question about my invoice."),
        ("agent", "Policy says no."),
        ("customer", "This is awful and useless, I am furious."),
    ]
    assert assess(make_interaction, turns).outcome is Outcome.FAIL


def test_agent_text_never_moves_the_customer_sentiment(make_interaction):
    neutral = [("customer", "Hello, I need my invoice."), ("agent", "Sure."), ("customer", "Thanks, got it.")]
    angry_agent = [neutral[0], ("agent", "This is terrible, awful, I hate this job."), neutral[2]]
    assert assess(make_interaction, neutral) == assess(make_interaction, angry_agent)


def test_one_customer_turn_is_not_a_trajectory(make_interaction):
    assert (
        assess(make_interaction, [("customer", "Hello"), ("agent", "Hi")]).outcome is Outcome.NOT_APPLICABLE
    )


@pytest.mark.parametrize(
    ("text", "language", "sign"),
    [
        ("Muchas gracias, excelente servicio", "es", 1),
        ("Esto es inaceptable, estoy muy molesta", "es", -1),
        ("Maraming salamat po, ang galing", "tl", 1),
        ("Bahut bakwas service hai, main pareshan hoon", "hi-Latn", -1),
        ("Vielen Dank, super freundlich", "de", 1),
        ("I love this, thank you", "en", 1),
    ],
)
def test_score_sentiment_sign(text, language, sign):
    from trustdesk.core.quality.phrases import fold_text

    assert score_sentiment(text, fold_text(text), language) * sign > 0
