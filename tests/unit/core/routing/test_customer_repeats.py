from __future__ import annotations

from trustdesk.core.model import Speaker, Turn
from trustdesk.core.routing.handoff import build_handoff_packet
from trustdesk.core.routing.repeats import (
    HandoffObservation,
    compare_repeat_rates,
    content_words,
    has_customer_repeat,
)

A, C = Speaker.AGENT, Speaker.CUSTOMER
BEFORE = (
    Turn(C, "I was charged twice for my October bill and I need a refund."),
    Turn(A, "Please confirm your date of birth for verification."),
    Turn(C, "It is [DATE_OF_BIRTH]."),
)
REPEATS_DATA = (Turn(A, "Can I have your date of birth?"), Turn(C, "Again? It is [DATE_OF_BIRTH]."))
REPEATS_ISSUE = (Turn(C, "Like I said, I was charged twice on the October bill."),)
NEW_INFORMATION = (Turn(A, "I see the refund request."), Turn(C, "Great, my email is [EMAIL]."))


def test_repeat_of_a_verified_data_kind():
    assert has_customer_repeat(build_handoff_packet(BEFORE), REPEATS_DATA)


def test_repeat_of_the_issue_statement():
    assert has_customer_repeat(build_handoff_packet(BEFORE), REPEATS_ISSUE)


def test_new_data_and_short_replies_are_not_repeats():
    packet = build_handoff_packet(BEFORE)
    assert not has_customer_repeat(packet, NEW_INFORMATION)
    assert not has_customer_repeat(packet, (Turn(C, "Yes October bill."),))
    assert not has_customer_repeat(
        packet, (Turn(A, "I was charged twice for my October bill and I need a refund."),)
    )


def test_rates_compare_groups_and_are_none_without_data():
    observations = [
        HandoffObservation(BEFORE, REPEATS_DATA, had_packet=False),
        HandoffObservation(BEFORE, NEW_INFORMATION, had_packet=False),
        HandoffObservation(BEFORE, NEW_INFORMATION, had_packet=True),
    ]
    comparison = compare_repeat_rates(observations)
    assert (comparison.without_packet.handoffs, comparison.without_packet.repeats) == (2, 1)
    assert comparison.without_packet.rate == 0.5
    assert comparison.with_packet.rate == 0.0
    assert compare_repeat_rates([]).with_packet.rate is None


def test_content_words_drop_stopwords_and_placeholders():
    assert content_words("My card is [CARD], please refund it") == frozenset({"card", "refund"})
