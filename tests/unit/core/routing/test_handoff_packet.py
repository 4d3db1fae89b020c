from __future__ import annotations

import pytest

from trustdesk.core.model import Speaker, Turn
from trustdesk.core.routing.handoff import (
    ItemKind,
    build_handoff_packet,
    find_open_questions,
    split_sentences,
)

A, C, S = Speaker.AGENT, Speaker.CUSTOMER, Speaker.SYSTEM

BILLING_CALL = (
    Turn(A, "Thank you for calling Acme, this call may be recorded. How can I help?"),
    Turn(C, "Hi. I was charged twice for my October bill and I need a refund."),
    Turn(A, "I'm sorry about that. Can you confirm your date of birth for verification?"),
    Turn(C, "Sure, it is [DATE_OF_BIRTH]."),
    Turn(A, "Thank you. I have checked the account and I see two payments."),
    Turn(C, "I already tried disputing it in the app. Will I get the money back before my rent is due?"),
    Turn(
        A,
        "Let me check with billing. I will raise a refund request and you will receive an email "
        "within 3 business days.",
    ),
)


def test_packet_extracts_each_kind_with_its_source_turn():
    packet = build_handoff_packet(BILLING_CALL)
    assert [(item.text, item.turn) for item in packet.issue] == [
        ("I was charged twice for my October bill and I need a refund.", 1)
    ]
    assert [(item.turn, item.data_kinds) for item in packet.identity_checks] == [(2, ("DATE_OF_BIRTH",))]
    assert [item.turn for item in packet.tried] == [4, 5]
    assert [(item.turn, item.due) for item in packet.promised] == [(6, "within 3 business days")]
    assert [(item.text, item.turn) for item in packet.open_questions] == [
        ("Will I get the money back before my rent is due?", 5)
    ]
    assert packet.data_given == ("DATE_OF_BIRTH",)
    assert packet.verified_data_kinds == frozenset({"DATE_OF_BIRTH"})


def test_every_item_quotes_its_turn_verbatim():
    packet = build_handoff_packet(BILLING_CALL)
    assert packet.items
    for item in packet.items:
        assert item.text in BILLING_CALL[item.turn].text


@pytest.mark.parametrize(
    ("sentence", "due"),
    [
        ("I'll call you back tomorrow.", "tomorrow"),
        ("We will send the replacement by Friday.", "by Friday"),
        ("You will receive a refund in 5 working days.", "in 5 working days"),
        ("I will escalate this to my manager.", None),
        ("I will email you by 5pm.", "by 5pm"),
        ("We will refund you by 2026-10-02.", "by 2026-10-02"),
    ],
)
def test_promises_keep_the_deadline_phrase(sentence, due):
    packet = build_handoff_packet([Turn(C, "My router is broken."), Turn(A, sentence)])
    assert [(item.text, item.due) for item in packet.promised] == [(sentence, due)]


@pytest.mark.parametrize(
    "sentence",
    ["I'll need your account number first.", "Will you be home tomorrow?", "Thanks for waiting."],
)
def test_requests_and_questions_are_not_promises(sentence):
    assert build_handoff_packet([Turn(A, sentence)]).promised == ()


def test_system_actions_count_as_tried():
    packet = build_handoff_packet([Turn(S, "Purchase validation in progress ..."), Turn(C, "ok")])
    assert [item.text for item in packet.tried] == ["Purchase validation in progress ..."]


def test_issue_falls_back_to_first_substantial_customer_sentence():
    packet = build_handoff_packet([Turn(C, "Hello."), Turn(C, "About the order from last week please.")])
    assert [item.text for item in packet.issue] == ["About the order from last week please."]
    assert build_handoff_packet([Turn(C, "Hi.")]).issue == ()


def test_answered_questions_are_not_open_and_trailing_agent_question_is():
    turns = [
        Turn(C, "Is my parcel lost?"),
        Turn(A, "No, it arrives today."),
        Turn(C, "Can you waive the fee?"),
        Turn(A, "I'm not sure, someone from billing decides that. Anything else?"),
    ]
    assert [(item.text, item.turn) for item in find_open_questions(turns)] == [
        ("Can you waive the fee?", 2),
        ("Anything else?", 3),
    ]


def test_items_per_kind_are_capped():
    turns = [Turn(A, f"I have checked system {number}.") for number in range(6)]
    packet = build_handoff_packet(turns, max_items_per_kind=2)
    assert [item.turn for item in packet.tried] == [4, 5]
    assert all(item.kind is ItemKind.TRIED for item in packet.tried)


def test_empty_transcript_gives_empty_packet():
    packet = build_handoff_packet([])
    assert packet.items == () and packet.data_given == ()


def test_split_sentences():
    assert split_sentences("One. Two?  Three!") == ["One.", "Two?", "Three!"]
