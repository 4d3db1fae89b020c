"""SLA and OLA clocks on business-hour calendars, paused while waiting on the customer, with escalation.

Elapsed time counts only hours the site's calendar is open (public holidays closed, DST handled by the
calendar) and not inside a paused status interval. A clock is ``at_risk`` once it has used the policy's
at-risk share of its target and ``breached`` once elapsed exceeds the target.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from trustdesk.core.model import CaseStatus, Priority
from trustdesk.core.workforce.calendar import BusinessCalendar, open_intervals


class ClockKind(str, enum.Enum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"
    OLA = "ola"


class SlaState(str, enum.Enum):
    OK = "ok"
    AT_RISK = "at_risk"
    BREACHED = "breached"


class EscalationLevel(str, enum.Enum):
    TIER_2 = "tier_2"
    SUPERVISOR = "supervisor"
    IN_HOUSE = "in_house"


@dataclass(frozen=True)
class EscalationRule:
    """Escalate to ``level`` once a running clock has used ``at_share`` of its target (1.0 = at breach)."""

    level: EscalationLevel
    at_share: float


@dataclass(frozen=True)
class EscalationPolicy:
    at_risk_share: float = 0.75
    rules: tuple[EscalationRule, ...] = (
        EscalationRule(EscalationLevel.TIER_2, 0.75),
        EscalationRule(EscalationLevel.SUPERVISOR, 0.90),
        EscalationRule(EscalationLevel.IN_HOUSE, 1.0),
    )


@dataclass(frozen=True)
class SlaTargets:
    """Business-time targets for one priority."""

    first_response: timedelta
    next_response: timedelta
    resolution: timedelta


@dataclass(frozen=True)
class SlaContract:
    """A vendor contract's targets by priority."""

    vendor: str
    targets: Mapping[Priority, SlaTargets]

    def targets_for(self, priority: Priority) -> SlaTargets:
        if priority not in self.targets:
            raise ValueError(
                f"contract for vendor {self.vendor!r} has no targets for priority {priority.value!r}"
            )
        return self.targets[priority]


@dataclass(frozen=True)
class StatusChange:
    at: datetime
    status: CaseStatus


@dataclass(frozen=True)
class CaseTimeline:
    """The moments of a case that drive its clocks; status changes in time order."""

    opened_at: datetime
    customer_messages: tuple[datetime, ...] = ()
    agent_responses: tuple[datetime, ...] = ()
    resolved_at: datetime | None = None
    status_changes: tuple[StatusChange, ...] = ()


@dataclass(frozen=True)
class Escalation:
    level: EscalationLevel
    reason: str


@dataclass(frozen=True)
class SlaEvaluation:
    """One clock at ``at``: business time used and left, state, and the escalation that fires (if any)."""

    clock: ClockKind
    started_at: datetime
    target: timedelta
    elapsed: timedelta
    remaining: timedelta
    state: SlaState
    is_running: bool
    escalation: Escalation | None


@dataclass(frozen=True)
class InternalRequest:
    """A question one team owes another an answer to (an OLA), e.g. in-house billing owes the vendor."""

    owed_by: str
    owed_to: str
    requested_at: datetime
    answered_at: datetime | None = None


@dataclass(frozen=True)
class OlaTarget:
    owed_by: str
    owed_to: str
    target: timedelta
    calendar: BusinessCalendar = field(compare=False)


@dataclass(frozen=True)
class Breach:
    case: str
    evaluation: SlaEvaluation

    @property
    def overrun(self) -> timedelta:
        return self.evaluation.elapsed - self.evaluation.target


PAUSED_BY_DEFAULT = frozenset({CaseStatus.PENDING})  # pending = waiting on the customer


def pause_intervals(
    status_changes: Sequence[StatusChange], *, paused_statuses: frozenset[CaseStatus], until: datetime
) -> tuple[tuple[datetime, datetime], ...]:
    """UTC intervals during which the case sat in a paused status, up to ``until``."""
    ordered = sorted(status_changes, key=lambda change: change.at.astimezone(UTC))
    intervals = []
    if not ordered:
        return ()
    ends = [change.at.astimezone(UTC) for change in ordered[1:]] + [until]
    for current, next_change_at in zip(ordered, ends, strict=True):
        if current.status not in paused_statuses:
            continue
        start = current.at.astimezone(UTC)
        end = min(next_change_at, until)
        if start < end:
            intervals.append((start, end))
    return tuple(intervals)


def business_elapsed(
    calendar: BusinessCalendar,
    start: datetime,
    end: datetime,
    pauses: Sequence[tuple[datetime, datetime]] = (),
) -> timedelta:
    """Open calendar time in [start, end) minus the paused intervals."""
    total = timedelta()
    for lower, upper in open_intervals(calendar, start, end):
        total += upper - lower
        for pause_start, pause_end in pauses:
            overlap_start, overlap_end = max(lower, pause_start), min(upper, pause_end)
            if overlap_start < overlap_end:
                total -= overlap_end - overlap_start
    return total


def evaluate_sla(
    clock: ClockKind,
    *,
    started_at: datetime,
    at: datetime,
    target: timedelta,
    calendar: BusinessCalendar,
    stopped_at: datetime | None = None,
    status_changes: Sequence[StatusChange] = (),
    paused_statuses: frozenset[CaseStatus] = PAUSED_BY_DEFAULT,
    escalation: EscalationPolicy = EscalationPolicy(),
) -> SlaEvaluation:
    """Evaluate one clock at ``at``: it stops at ``stopped_at`` when that has happened by then."""
    if target <= timedelta():
        raise ValueError(f"target must be positive, got {target}")
    if stopped_at is not None and stopped_at <= at:
        end, is_running = stopped_at, False
    else:
        end, is_running = at, True
    pauses = pause_intervals(status_changes, paused_statuses=paused_statuses, until=end.astimezone(UTC))
    elapsed = business_elapsed(calendar, started_at, end, pauses)
    share = elapsed / target
    if elapsed > target:
        state = SlaState.BREACHED
    elif is_running and share >= escalation.at_risk_share:
        state = SlaState.AT_RISK
    else:
        state = SlaState.OK
    fired = None
    if is_running:
        due = [rule for rule in escalation.rules if share >= rule.at_share]
        if due:
            rule = max(due, key=lambda item: item.at_share)
            reason = (
                f"{clock.value} has used {share:.0%} of its {_hours(target)} business-hour target "
                f"(rule at {rule.at_share:.0%}): escalate to {rule.level.value}"
            )
            fired = Escalation(rule.level, reason)
    return SlaEvaluation(
        clock=clock,
        started_at=started_at,
        target=target,
        elapsed=elapsed,
        remaining=max(target - elapsed, timedelta()),
        state=state,
        is_running=is_running,
        escalation=fired,
    )


def evaluate_case_clocks(
    timeline: CaseTimeline,
    *,
    targets: SlaTargets,
    calendar: BusinessCalendar,
    at: datetime,
    paused_statuses: frozenset[CaseStatus] = PAUSED_BY_DEFAULT,
    escalation: EscalationPolicy = EscalationPolicy(),
) -> tuple[SlaEvaluation, ...]:
    """First-response, next-response (when a reply is or was last owed) and resolution clocks of a case."""
    responses = sorted(moment for moment in timeline.agent_responses if moment <= at)
    messages = sorted(moment for moment in timeline.customer_messages if moment <= at)
    resolved = (
        timeline.resolved_at if timeline.resolved_at is not None and timeline.resolved_at <= at else None
    )

    def evaluate(
        clock: ClockKind, start: datetime, stop: datetime | None, target: timedelta
    ) -> SlaEvaluation:
        return evaluate_sla(
            clock,
            started_at=start,
            at=at,
            target=target,
            calendar=calendar,
            stopped_at=stop,
            status_changes=timeline.status_changes,
            paused_statuses=paused_statuses,
            escalation=escalation,
        )

    first = next((moment for moment in responses if moment >= timeline.opened_at), None)
    clocks = [
        evaluate(ClockKind.FIRST_RESPONSE, timeline.opened_at, first or resolved, targets.first_response)
    ]
    owed = _next_response_window(messages, responses, first)
    if owed is not None and (resolved is None or owed[0] < resolved):
        clocks.append(evaluate(ClockKind.NEXT_RESPONSE, owed[0], owed[1] or resolved, targets.next_response))
    clocks.append(evaluate(ClockKind.RESOLUTION, timeline.opened_at, resolved, targets.resolution))
    return tuple(clocks)


def evaluate_ola(
    request: InternalRequest,
    target: OlaTarget,
    *,
    at: datetime,
    escalation: EscalationPolicy = EscalationPolicy(),
) -> SlaEvaluation:
    """The internal clock of a request between teams, on the owing team's calendar."""
    if (request.owed_by, request.owed_to) != (target.owed_by, target.owed_to):
        raise ValueError(
            f"OLA target {target.owed_by}->{target.owed_to} does not cover request "
            f"{request.owed_by}->{request.owed_to}"
        )
    return evaluate_sla(
        ClockKind.OLA,
        started_at=request.requested_at,
        at=at,
        target=target.target,
        calendar=target.calendar,
        stopped_at=request.answered_at,
        escalation=escalation,
    )


def list_breaches(clocks_by_case: Mapping[str, Sequence[SlaEvaluation]]) -> tuple[Breach, ...]:
    """Every breached clock, worst overrun first, then by case id."""
    breaches = [
        Breach(case, evaluation)
        for case, evaluations in clocks_by_case.items()
        for evaluation in evaluations
        if evaluation.state is SlaState.BREACHED
    ]
    return tuple(
        sorted(breaches, key=lambda breach: (-breach.overrun, breach.case, breach.evaluation.clock.value))
    )


def _next_response_window(
    messages: Sequence[datetime], responses: Sequence[datetime], first_response: datetime | None
) -> tuple[datetime, datetime | None] | None:
    # The clock runs from the earliest customer message not yet answered; once all are answered it shows the
    # last exchange, from the earliest message that the last reply answered to that reply.
    if first_response is None:
        return None
    later_messages = [moment for moment in messages if moment > first_response]
    if not later_messages:
        return None
    unanswered = [moment for moment in later_messages if moment > responses[-1]]
    if unanswered:
        return unanswered[0], None

    def reply_to(message: datetime) -> datetime:
        # A reply at the very moment of the message (a call answered as it starts) answers it.
        return next(moment for moment in responses if moment >= message)

    reply = reply_to(later_messages[-1])
    return min(moment for moment in later_messages if reply_to(moment) == reply), reply


def _hours(duration: timedelta) -> str:
    return f"{duration.total_seconds() / 3600:g}h"
