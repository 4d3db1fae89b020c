from datetime import UTC, date, datetime, timedelta

import pytest

from trustdesk.core.metrics.facts import InteractionFact, sla_clock_met
from trustdesk.core.routing.sla import ClockKind, SlaEvaluation, SlaState

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def evaluation(state, *, is_running, elapsed_minutes):
    return SlaEvaluation(
        clock=ClockKind.FIRST_RESPONSE,
        started_at=T0,
        target=timedelta(minutes=60),
        elapsed=timedelta(minutes=elapsed_minutes),
        remaining=max(timedelta(minutes=60 - elapsed_minutes), timedelta()),
        state=state,
        is_running=is_running,
        escalation=None,
    )


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        (evaluation(SlaState.OK, is_running=False, elapsed_minutes=20), True),
        (evaluation(SlaState.OK, is_running=False, elapsed_minutes=60), True),  # on target is met
        (evaluation(SlaState.BREACHED, is_running=False, elapsed_minutes=61), False),
        (evaluation(SlaState.BREACHED, is_running=True, elapsed_minutes=90), False),  # open, already late
        (evaluation(SlaState.AT_RISK, is_running=True, elapsed_minutes=50), None),  # open, not yet decided
        (evaluation(SlaState.OK, is_running=True, elapsed_minutes=5), None),
        (None, None),  # no contract target for this priority
    ],
)
def test_sla_clock_met(clock, expected):
    assert sla_clock_met(clock) is expected


def _fact(**overrides):
    return InteractionFact(
        interaction_id="i1",
        customer_id="c1",
        case_id=None,
        started_at=T0,
        day=date(2026, 10, 1),
        brand="acme",
        vendor="v",
        team="t",
        agent="a",
        channel="voice",
        language="en",
        purpose="billing",
        **overrides,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"csat": 6}, "csat has value 6"),
        ({"csat": 0}, "csat"),
        ({"nps": 11}, "nps has value 11"),
        ({"qa_score": 100.5}, "qa_score"),
        ({"handle_seconds": -1.0}, "handle_seconds"),
        ({"critical_fails": -1, "qa_score": 50.0}, "critical_fails has value -1"),
        ({"critical_fails": 1}, "qa_score is missing"),
    ],
)
def test_invalid_facts_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        _fact(**overrides)


@pytest.mark.parametrize(
    ("is_repeat", "has_repeat", "eligible", "resolved"),
    [
        (False, False, True, True),
        (False, True, True, False),
        (True, False, False, False),
        (True, True, False, False),
    ],
)
def test_fcr_flags(is_repeat, has_repeat, eligible, resolved):
    fact = _fact(is_repeat_contact=is_repeat, has_repeat_within_window=has_repeat)
    assert (fact.is_fcr_eligible, fact.is_resolved_first_contact) == (eligible, resolved)
