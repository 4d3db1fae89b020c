from datetime import UTC, date, datetime

import pytest

from trustdesk.core.metrics.customer_signals import (
    CustomerActivity,
    ReasonCode,
    SignalLevel,
    activity_from_facts,
    score_churn_risk,
    score_customer,
    score_relationship_value,
)
from trustdesk.core.metrics.facts import InteractionFact

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def activity(**overrides):
    values = {
        "customer_id": "cust-9",
        "contacts": 1,
        "repeat_contacts": 0,
        "negative_answers": 0,
        "promoter_answers": 0,
        "survey_answers": 0,
        "unresolved_cases": 0,
    }
    values.update(overrides)
    return CustomerActivity(**values)


@pytest.mark.parametrize(
    ("overrides", "score", "level", "codes"),
    [
        ({}, 0, SignalLevel.LOW, []),
        # 2 repeats (20) + 1 detractor (20) = 40
        (
            {"contacts": 3, "repeat_contacts": 2, "negative_answers": 1, "survey_answers": 1},
            40,
            SignalLevel.MEDIUM,
            [ReasonCode.REPEAT_CONTACTS, ReasonCode.NEGATIVE_ANSWERS],
        ),
        # repeats capped at 30, detractors capped at 40, unresolved 15, volume 10 = 95
        (
            {
                "contacts": 8,
                "repeat_contacts": 7,
                "negative_answers": 3,
                "survey_answers": 3,
                "unresolved_cases": 1,
            },
            95,
            SignalLevel.HIGH,
            [
                ReasonCode.REPEAT_CONTACTS,
                ReasonCode.NEGATIVE_ANSWERS,
                ReasonCode.UNRESOLVED_CASES,
                ReasonCode.HIGH_CONTACT_VOLUME,
            ],
        ),
        # complaints 2 (30) + unresolved 2 (30) = 60 is high
        (
            {"unresolved_cases": 2, "complaints": 2},
            60,
            SignalLevel.HIGH,
            [ReasonCode.UNRESOLVED_CASES, ReasonCode.COMPLAINTS],
        ),
        # a promoter answer relieves 10 but never below 0
        ({"promoter_answers": 1, "survey_answers": 1}, 0, SignalLevel.LOW, [ReasonCode.PROMOTER_ANSWERS]),
        (
            {"repeat_contacts": 2, "promoter_answers": 1, "survey_answers": 1},
            10,
            SignalLevel.LOW,
            [ReasonCode.REPEAT_CONTACTS, ReasonCode.PROMOTER_ANSWERS],
        ),
    ],
)
def test_churn_risk(overrides, score, level, codes):
    signal = score_churn_risk(activity(**overrides))
    assert (signal.score, signal.level) == (score, level)
    assert [reason.code for reason in signal.reasons] == codes
    assert signal.score == max(0, min(100, sum(reason.points for reason in signal.reasons)))


def test_churn_reasons_say_why():
    signal = score_churn_risk(activity(repeat_contacts=2))
    assert signal.reasons[0].detail == "2 repeat contact(s)"
    assert signal.reasons[0].points == 20


@pytest.mark.parametrize(
    ("overrides", "score", "level"),
    [
        ({}, 20, SignalLevel.LOW),  # clean record only
        ({"contacts": 0}, 0, SignalLevel.LOW),  # nothing known, nothing claimed
        (
            {"tenure_days": 730, "promoter_answers": 1, "survey_answers": 1},
            20 + 15 + 10 + 20,
            SignalLevel.HIGH,
        ),
        ({"tenure_days": 10 * 365}, 40 + 20, SignalLevel.HIGH),  # tenure capped at 40
        (
            {"tenure_days": 100, "survey_answers": 1, "negative_answers": 1, "unresolved_cases": 1},
            2,
            SignalLevel.LOW,
        ),
    ],
)
def test_relationship_value(overrides, score, level):
    signal = score_relationship_value(activity(**overrides))
    assert (signal.score, signal.level) == (score, level)


def test_valuable_customer_at_risk():
    loyal_but_unhappy = activity(
        contacts=6,
        repeat_contacts=3,
        negative_answers=2,
        survey_answers=2,
        unresolved_cases=1,
        tenure_days=3 * 365,
    )
    signals = score_customer(loyal_but_unhappy)
    assert signals.churn_risk.level is SignalLevel.HIGH
    assert signals.relationship_value.score == 30  # tenure only
    assert signals.is_valuable_at_risk
    assert not score_customer(
        activity(repeat_contacts=3, negative_answers=2, unresolved_cases=1)
    ).is_valuable_at_risk


def _fact(interaction_id, customer="cust-9", **overrides):
    return InteractionFact(
        interaction_id=interaction_id,
        customer_id=customer,
        case_id="case-1",
        started_at=T0,
        day=date(2026, 10, 1),
        brand="acme",
        vendor="v",
        team="t",
        agent="a",
        channel="chat",
        language="en",
        purpose="billing",
        **overrides,
    )


def test_activity_from_facts():
    facts = [
        _fact("a", nps=3, csat=1),  # one negative survey, not two
        _fact("b", is_repeat_contact=True, nps=10),
        _fact("c", csat=2),
        _fact("d"),
        _fact("e", customer="someone-else", nps=0),
    ]
    summary = activity_from_facts("cust-9", facts, unresolved_cases=1, tenure_days=90)
    assert summary == CustomerActivity(
        customer_id="cust-9",
        contacts=4,
        repeat_contacts=1,
        negative_answers=2,
        promoter_answers=1,
        survey_answers=3,
        unresolved_cases=1,
        complaints=0,
        tenure_days=90,
    )
