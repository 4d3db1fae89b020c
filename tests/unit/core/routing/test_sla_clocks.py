from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from trustdesk.core.model import CaseStatus, Priority
from trustdesk.core.routing.sla import (
    CaseTimeline,
    ClockKind,
    EscalationLevel,
    InternalRequest,
    OlaTarget,
    SlaContract,
    SlaState,
    SlaTargets,
    StatusChange,
    evaluate_case_clocks,
    evaluate_ola,
    evaluate_sla,
    list_breaches,
    pause_intervals,
)
from trustdesk.core.workforce.calendar import always_open_calendar, weekday_calendar

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
BERLIN_HOURS = weekday_calendar("Europe/Berlin", opens=time(9), closes=time(17), holiday_country="DE")
US_HOURS = weekday_calendar("America/New_York", opens=time(9), closes=time(17), holiday_country="US")
FOUR_HOURS = timedelta(hours=4)


@pytest.mark.parametrize(
    ("at", "elapsed_hours", "state", "level"),
    [
        # Opened Friday 16:00 CEST; Europe leaves DST on Sunday 2026-10-25, so Monday 12:00 is UTC+1.
        (datetime(2026, 10, 23, 16, 30, tzinfo=BERLIN), 0.5, SlaState.OK, None),
        (datetime(2026, 10, 26, 11, 0, tzinfo=BERLIN), 3, SlaState.AT_RISK, EscalationLevel.TIER_2),
        (datetime(2026, 10, 26, 11, 36, tzinfo=BERLIN), 3.6, SlaState.AT_RISK, EscalationLevel.SUPERVISOR),
        (datetime(2026, 10, 26, 12, 0, tzinfo=BERLIN), 4, SlaState.AT_RISK, EscalationLevel.IN_HOUSE),
        (datetime(2026, 10, 26, 12, 30, tzinfo=BERLIN), 4.5, SlaState.BREACHED, EscalationLevel.IN_HOUSE),
    ],
)
def test_clock_over_weekend_and_dst_change(at, elapsed_hours, state, level):
    evaluation = evaluate_sla(
        ClockKind.FIRST_RESPONSE,
        started_at=datetime(2026, 10, 23, 16, tzinfo=BERLIN),
        at=at.astimezone(UTC),
        target=FOUR_HOURS,
        calendar=BERLIN_HOURS,
    )
    assert evaluation.elapsed == timedelta(hours=elapsed_hours)
    assert evaluation.remaining == max(FOUR_HOURS - timedelta(hours=elapsed_hours), timedelta())
    assert evaluation.state is state
    assert (evaluation.escalation.level if evaluation.escalation else None) is level


def test_escalation_reason_names_clock_share_and_level():
    evaluation = evaluate_sla(
        ClockKind.RESOLUTION,
        started_at=datetime(2026, 10, 26, 9, tzinfo=BERLIN),
        at=datetime(2026, 10, 26, 12, 36, tzinfo=BERLIN),
        target=FOUR_HOURS,
        calendar=BERLIN_HOURS,
    )
    assert evaluation.escalation is not None
    assert evaluation.escalation.reason == (
        "resolution has used 90% of its 4h business-hour target (rule at 90%): escalate to supervisor"
    )


def test_thanksgiving_does_not_count_in_new_york():
    evaluation = evaluate_sla(
        ClockKind.RESOLUTION,
        started_at=datetime(2026, 11, 25, 15, tzinfo=NEW_YORK),
        at=datetime(2026, 11, 30, 11, tzinfo=NEW_YORK),
        target=timedelta(hours=24),
        calendar=US_HOURS,
    )
    assert evaluation.elapsed == timedelta(hours=2 + 8 + 2)  # Wed, Fri (Thu is closed), Mon


def test_stopped_clock_within_target_is_ok_and_does_not_escalate():
    evaluation = evaluate_sla(
        ClockKind.FIRST_RESPONSE,
        started_at=datetime(2026, 10, 26, 9, tzinfo=BERLIN),
        stopped_at=datetime(2026, 10, 26, 12, 50, tzinfo=BERLIN),
        at=datetime(2026, 10, 27, 9, tzinfo=BERLIN),
        target=FOUR_HOURS,
        calendar=BERLIN_HOURS,
    )
    assert (evaluation.is_running, evaluation.state, evaluation.escalation) == (False, SlaState.OK, None)
    assert evaluation.elapsed == timedelta(hours=3, minutes=50)


def test_waiting_on_customer_pauses_the_clock():
    start = datetime(2026, 6, 1, 9, tzinfo=UTC)
    changes = (
        StatusChange(start, CaseStatus.OPEN),
        StatusChange(start + timedelta(hours=1), CaseStatus.PENDING),
        StatusChange(start + timedelta(hours=3), CaseStatus.OPEN),
    )
    evaluation = evaluate_sla(
        ClockKind.RESOLUTION,
        started_at=start,
        at=start + timedelta(hours=5),
        target=FOUR_HOURS,
        calendar=always_open_calendar(),
        status_changes=changes,
    )
    assert evaluation.elapsed == timedelta(hours=3)
    still_pending = changes[:2]
    assert pause_intervals(
        still_pending, paused_statuses=frozenset({CaseStatus.PENDING}), until=start + timedelta(hours=2)
    ) == ((start + timedelta(hours=1), start + timedelta(hours=2)),)


def test_case_clocks_first_next_and_resolution():
    opened = datetime(2026, 6, 1, 9, tzinfo=UTC)
    timeline = CaseTimeline(
        opened_at=opened,
        customer_messages=(opened + timedelta(hours=2), opened + timedelta(hours=2, minutes=10)),
        agent_responses=(opened + timedelta(minutes=30),),
    )
    targets = SlaTargets(timedelta(hours=1), timedelta(hours=2), timedelta(hours=8))
    clocks = evaluate_case_clocks(
        timeline, targets=targets, calendar=always_open_calendar(), at=opened + timedelta(hours=3, minutes=45)
    )
    by_kind = {clock.clock: clock for clock in clocks}
    assert by_kind[ClockKind.FIRST_RESPONSE].elapsed == timedelta(minutes=30)
    assert not by_kind[ClockKind.FIRST_RESPONSE].is_running
    owed = by_kind[ClockKind.NEXT_RESPONSE]
    assert owed.started_at == opened + timedelta(hours=2)
    assert (owed.is_running, owed.state) == (True, SlaState.AT_RISK)
    assert by_kind[ClockKind.RESOLUTION].elapsed == timedelta(hours=3, minutes=45)


def test_answered_next_response_shows_last_exchange_and_no_clock_without_follow_up():
    opened = datetime(2026, 6, 1, 9, tzinfo=UTC)
    targets = SlaTargets(timedelta(hours=1), timedelta(hours=2), timedelta(hours=8))
    answered = CaseTimeline(
        opened_at=opened,
        customer_messages=(opened + timedelta(hours=1), opened + timedelta(hours=3)),
        agent_responses=(
            opened + timedelta(minutes=10),
            opened + timedelta(hours=2),
            opened + timedelta(hours=4),
        ),
        resolved_at=opened + timedelta(hours=5),
    )
    clocks = evaluate_case_clocks(
        answered, targets=targets, calendar=always_open_calendar(), at=opened + timedelta(hours=6)
    )
    next_response = next(clock for clock in clocks if clock.clock is ClockKind.NEXT_RESPONSE)
    assert (next_response.started_at, next_response.elapsed) == (
        opened + timedelta(hours=3),
        timedelta(hours=1),
    )
    quiet = CaseTimeline(opened_at=opened, agent_responses=(opened + timedelta(minutes=5),))
    kinds = [
        c.clock
        for c in evaluate_case_clocks(
            quiet, targets=targets, calendar=always_open_calendar(), at=opened + timedelta(hours=1)
        )
    ]
    assert kinds == [ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION]


def test_contract_targets_by_priority():
    urgent = SlaTargets(timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
    contract = SlaContract("manila-bpo", {Priority.URGENT: urgent})
    assert contract.targets_for(Priority.URGENT) is urgent
    with pytest.raises(ValueError, match="low"):
        contract.targets_for(Priority.LOW)


def test_ola_between_teams_runs_on_owing_teams_calendar():
    ola = OlaTarget("in-house-billing", "manila-bpo", timedelta(hours=8), US_HOURS)
    request = InternalRequest("in-house-billing", "manila-bpo", datetime(2026, 6, 1, 9, tzinfo=NEW_YORK))
    evaluation = evaluate_ola(request, ola, at=datetime(2026, 6, 2, 10, tzinfo=NEW_YORK))
    assert evaluation.clock is ClockKind.OLA
    assert evaluation.state is SlaState.BREACHED
    with pytest.raises(ValueError, match="does not cover"):
        evaluate_ola(
            InternalRequest("legal", "manila-bpo", request.requested_at), ola, at=request.requested_at
        )


def test_breach_list_worst_first():
    start = datetime(2026, 6, 1, tzinfo=UTC)

    def clock(hours: float):
        return evaluate_sla(
            ClockKind.RESOLUTION,
            started_at=start,
            at=start + timedelta(hours=hours),
            target=FOUR_HOURS,
            calendar=always_open_calendar(),
        )

    breaches = list_breaches({"case-1": [clock(5)], "case-2": [clock(9), clock(1)], "case-3": [clock(4)]})
    assert [(breach.case, breach.overrun) for breach in breaches] == [
        ("case-2", timedelta(hours=5)),
        ("case-1", timedelta(hours=1)),
    ]


def test_non_positive_target_is_rejected():
    with pytest.raises(ValueError, match="target"):
        evaluate_sla(
            ClockKind.OLA,
            started_at=datetime(2026, 1, 1, tzinfo=UTC),
            at=datetime(2026, 1, 1, tzinfo=UTC),
            target=timedelta(),
            calendar=always_open_calendar(),
        )
