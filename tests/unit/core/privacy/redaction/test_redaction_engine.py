import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trustdesk.core.model import CaseRef, Channel, CustomerRecord, Interaction, Speaker, Survey, Turn
from trustdesk.core.privacy.redaction import (
    MAX_TEXT_CHARS,
    TextTooLargeError,
    detect_entities,
    detect_turn_entities,
    redact_interaction,
)

HARPER_VALLEY = (
    Path(__file__).parents[5].parent / "shared" / "data" / "harper-valley-bank-subset" / "conversations.jsonl"
)


def make_interaction(turns: tuple[Turn, ...], *, customer_name: str | None = None) -> Interaction:
    moment = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    return Interaction(
        external_id="call-1",
        brand="acme",
        vendor="in-house",
        channel=Channel.VOICE,
        started_at=moment,
        ended_at=moment,
        customer=CustomerRecord(external_id="cust-1", name=customer_name),
        agent_external_id="agent-1",
        case=CaseRef(external_id="case-1"),
        turns=turns,
        survey=Survey(csat=5, comment="Card 4111 1111 1111 1111 was charged twice"),
    )


def test_entities_are_sorted_and_do_not_overlap() -> None:
    text = "I'm Ana, card 4111 1111 1111 1111 cvv 123, mail ana@example.com, phone (415) 555-0132"
    entities = detect_entities(text)
    assert [e.label for e in entities] == ["PERSON", "CARD", "CVV", "EMAIL", "PHONE"]
    assert all(left.end <= right.start for left, right in itertools.pairwise(entities))


def test_text_above_the_limit_is_refused_with_its_size() -> None:
    with pytest.raises(TextTooLargeError, match=str(MAX_TEXT_CHARS)):
        detect_entities("a" * (MAX_TEXT_CHARS + 1))


def test_card_read_across_turns_of_one_speaker_is_found_in_each_turn() -> None:
    turns = (
        Turn(Speaker.CUSTOMER, "my card is 4111 1111"),
        Turn(Speaker.AGENT, "okay go on"),
        Turn(Speaker.CUSTOMER, "1111 1111"),
    )
    entities = detect_turn_entities(turns)
    assert [(e.label, turns[0].text[e.start : e.end]) for e in entities[0]] == [("CARD", "4111 1111")]
    assert entities[1] == ()
    assert [(e.label, turns[2].text[e.start : e.end]) for e in entities[2]] == [("CARD", "1111 1111")]


def test_digits_of_different_speakers_are_not_joined() -> None:
    turns = (Turn(Speaker.CUSTOMER, "4111 1111"), Turn(Speaker.AGENT, "1111 1111"))
    assert detect_turn_entities(turns) == ((), ())


def test_answer_to_a_security_code_question_is_a_cvv() -> None:
    turns = (
        Turn(Speaker.AGENT, "thanks, and the security code on the back of the card?"),
        Turn(Speaker.CUSTOMER, "seven three one"),
    )
    assert [e.label for e in detect_turn_entities(turns)[1]] == ["CVV"]


def test_redact_interaction_stores_redacted_turns_and_original_offsets() -> None:
    turns = (
        Turn(Speaker.AGENT, "Thanks Ms Rivera, what is the security code?"),
        Turn(Speaker.CUSTOMER, "it's 123 and the card is 4111 1111"),
        Turn(Speaker.CUSTOMER, "1111 1111"),
    )
    original = make_interaction(turns, customer_name="Lucia Rivera")
    redacted = redact_interaction(original)
    assert redacted.turns[0].text == "Thanks Ms [PERSON], what is the security code?"
    assert redacted.turns[1].text == "it's [CVV] and the card is [CARD]"
    assert redacted.turns[2].text == "[CARD]"
    assert [turns[1].text[e.start : e.end] for e in redacted.entities[1]] == ["123", "4111 1111"]
    assert redacted.survey is not None and redacted.survey.comment == "Card [CARD] was charged twice"
    assert all("123" not in turn.text and "1111" not in turn.text for turn in redacted.turns)


@pytest.mark.skipif(not HARPER_VALLEY.exists(), reason="shared data folder not present")
def test_harper_valley_calls_yield_spoken_names_and_phone_digits() -> None:
    calls = [json.loads(line) for line in HARPER_VALLEY.read_text(encoding="utf-8").splitlines()]
    names_found, phone_turns = 0, 0
    for call in calls:
        turns = tuple(
            Turn(
                Speaker.AGENT if segment["speaker_role"] == "agent" else Speaker.CUSTOMER,
                segment["human_transcript"],
            )
            for segment in call["segments"]
        )
        caller = call["metadata"]["caller"]["metadata"]["first and last name"]
        entities = detect_turn_entities(turns, known_names=(caller,))
        spans = [(turn.text[e.start : e.end], e.label) for turn, found in zip(turns, entities) for e in found]
        # Whole spoken names ("elizabeth david" for Elizabeth Davis), not just a first name.
        names_found += any(
            label == "PERSON" and len(value.split()) == 2 and value.split()[0] == caller.split()[0].lower()
            for value, label in spans
        )
        phone_turns += sum(label == "PHONE" for _value, label in spans)
    assert names_found == len(calls)
    # One caller reads "seven one five" / "one three nine" / "zero seven eight seven" over three turns.
    assert phone_turns == 3
