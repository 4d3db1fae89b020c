"""The customer's sentiment, start versus end. Only customer turns are read: inferring the agent's
emotions is banned at work (EU AI Act, art. 5(1)(f)); the agent is judged on behaviour, never feelings.

English uses VADER (vaderSentiment). The other languages use the ``[sentiment]`` word lists of their
phrase pack: (positive hits - negative hits) / (hits + 1), a small lexicon score on VADER's -1..1 scale.
"""

from __future__ import annotations

import functools

from trustdesk.core.quality.phrases import compile_phrases, load_phrase_pack
from trustdesk.core.quality.results import Assessment, Evidence, failed, not_applicable, passed
from trustdesk.core.quality.transcript import TranscriptView, TurnView, quote_turn

# A change smaller than this is noise for either scorer (VADER's own neutral band is +-0.05).
NEUTRAL_BAND = 0.05
# Names of the measures the customer_sentiment criterion stores with its result (read by the metrics).
SENTIMENT_START = "sentiment_start"
SENTIMENT_END = "sentiment_end"


@functools.cache
def _vader():  # type: ignore[no-untyped-def]
    # The analyzer reads its lexicon file on construction; build it once, on first use.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@functools.cache
def _lexicon(language: str):  # type: ignore[no-untyped-def]
    pack = load_phrase_pack(language)
    return compile_phrases(pack.sentiment_positive), compile_phrases(pack.sentiment_negative)


def score_sentiment(text: str, folded: str, language: str | None) -> float:
    """Sentiment of one customer text in -1..1 (VADER for English or unknown, lexicon otherwise)."""
    if language in (None, "en"):
        return float(_vader().polarity_scores(text)["compound"])
    positive, negative = _lexicon(language)
    pos = len(positive.findall(folded)) if positive else 0
    neg = len(negative.findall(folded)) if negative else 0
    return (pos - neg) / (pos + neg + 1)


def customer_turn_sentiment(view: TranscriptView, turn: TurnView) -> float:
    """Sentiment of one customer turn in the customer's language, computed once per view."""
    language = view.customer_language or view.language
    return view.remember(("sentiment", turn.index), lambda: score_sentiment(turn.text, turn.folded, language))


def assess_customer_sentiment(view: TranscriptView) -> Assessment:
    """The customer did not end more negative than they started (customer turns only)."""
    customer_turns = view.customer_turns
    if len(customer_turns) < 2:
        return not_applicable("fewer than two customer turns")
    first, last = customer_turns[0], customer_turns[-1]
    start, end = customer_turn_sentiment(view, first), customer_turn_sentiment(view, last)
    evidence: list[Evidence] = [quote_turn(first), quote_turn(last)]
    trajectory = f"customer sentiment {start:+.2f} -> {end:+.2f}"
    measures = ((SENTIMENT_START, start), (SENTIMENT_END, end))
    if end < start - NEUTRAL_BAND and end < -NEUTRAL_BAND:
        return failed(evidence, trajectory, measures=measures)
    return passed(evidence, trajectory, measures=measures)
