from datetime import datetime, timezone

from hypothesis import given, strategies as st

from trustdesk.core.ingest.normalize import normalize_interaction, normalize_text
from trustdesk.core.ingest.pipeline import run_steps
from trustdesk.core.model import CaseRef, Channel, CustomerRecord, Interaction, Speaker, Turn


def _interaction(*texts: str, language: str | None = "EN") -> Interaction:
    at = datetime(2026, 10, 1, tzinfo=timezone.utc)
    return Interaction(
        external_id="x", brand="b", vendor="v", channel=Channel.CHAT, started_at=at, ended_at=at,
        customer=CustomerRecord("c"), agent_external_id="a", case=CaseRef("k"),
        turns=tuple(Turn(Speaker.CUSTOMER, text) for text in texts), language=language,
    )


def test_whitespace_is_collapsed_and_unicode_composed():
    assert normalize_text("  Jose\u0301   said\n\n hi\t") == "Jos\u00e9 said hi"


def test_empty_turns_are_dropped_and_language_lowercased():
    result = normalize_interaction(_interaction("hello", "   ", "bye"))
    assert [turn.text for turn in result.turns] == ["hello", "bye"]
    assert result.language == "en"


def test_steps_run_in_order():
    def mark(tag):
        return lambda i: normalize_interaction(_interaction(*(t.text + tag for t in i.turns), language=i.language))
    assert run_steps(_interaction("a"), [mark("1"), mark("2")]).turns[0].text == "a12"


@given(st.text())
def test_normalizing_twice_changes_nothing(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_an_already_normal_interaction_comes_back_unchanged():
    clean = _interaction("hello there", "bye", language="en")
    assert normalize_interaction(clean) == clean
    assert normalize_interaction(_interaction("hello  there", language="en")).turns[0].text == "hello there"
    assert normalize_interaction(_interaction("hello", language="EN")).language == "en"
