"""Agents' breaks: the plan per shift, the breaks actually taken, and breaks taken vs scheduled.

A supervisor stores the plan of a shift (replacing the previous plan of that shift); a taken break is logged
by the agent themselves or by a supervisor. Adherence counts the scheduled breaks honoured by a taken break
(``core.workforce.wellbeing.tally_breaks``).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, delete, insert, select

from trustdesk.core.model import Role
from trustdesk.core.workforce.calendar import load_zone
from trustdesk.core.workforce.wellbeing import BreakRules, BreakTally, WorkSpan, tally_breaks
from trustdesk.services.scope import Viewer, scope_agents
from trustdesk.services.tenancy import FieldError, NotPermitted, NotVisible
from trustdesk.storage import tables as t
from trustdesk.storage.operations_tables import scheduled_breaks, taken_breaks
from trustdesk.storage.timestamps import as_utc, iso_utc

# Longer than any break or meal a shift plans; a longer "break" is an absence, not a break.
MAX_BREAK = timedelta(hours=2)
SCHEDULERS = frozenset({Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR})


@dataclass(frozen=True)
class PlannedBreak:
    starts_at: datetime
    minutes: int


@dataclass(frozen=True)
class BreakAgent:
    id: int
    external_id: str
    time_zone: str | None


def find_break_agent(connection: Connection, viewer: Viewer | None, *, brand_id: int, agent_external_id: str
                     ) -> BreakAgent:
    """The agent record if the viewer may see it (vendor staff: their vendor's agents; agents: themselves;
    ``viewer`` None: an import, which sees every agent of the brand)."""
    query = select(t.agents.c.id, t.agents.c.external_id, t.agents.c.time_zone)
    if viewer is not None:
        query = scope_agents(query, viewer)
    row = connection.execute(
        query.where(t.agents.c.brand_id == brand_id, t.agents.c.external_id == agent_external_id)
    ).first()
    if row is None or (viewer is not None and viewer.role is Role.AGENT and viewer.agent_id != row.id):
        raise NotVisible("agent not found")
    return BreakAgent(row.id, row.external_id, row.time_zone)


def schedule_breaks(connection: Connection, viewer: Viewer | None, agent: BreakAgent, *, shift_date: date,
                    breaks: Sequence[PlannedBreak]) -> int:
    """Replace the plan of the agent's shift starting on local ``shift_date``; returns how many are planned.
    ``viewer`` None: the workforce-management import (demo loader, command line)."""
    if viewer is not None and viewer.role not in SCHEDULERS:
        raise NotPermitted(f"role {viewer.role.value} may not schedule breaks")
    _check_plan(agent, shift_date, breaks)
    connection.execute(delete(scheduled_breaks).where(scheduled_breaks.c.agent_id == agent.id,
                                                      scheduled_breaks.c.shift_date == shift_date))
    if breaks:
        connection.execute(insert(scheduled_breaks), _plan_rows(agent, shift_date, breaks))
    return len(breaks)


def import_agent_breaks(connection: Connection, agent: BreakAgent, *, plans: Mapping[date, Sequence[PlannedBreak]],
                        taken: Sequence[tuple[datetime, datetime]], now: datetime) -> None:
    """A workforce-management export for one agent: replace the plans of those shifts and add the taken breaks,
    checked exactly as one at a time, in a few statements."""
    for shift_date, plan in plans.items():
        _check_plan(agent, shift_date, plan)
    spans = sorted((as_utc(started), as_utc(ended)) for started, ended in taken)
    stored = [] if not spans else [
        (as_utc(row.started_at), as_utc(row.ended_at)) for row in connection.execute(
            select(taken_breaks.c.started_at, taken_breaks.c.ended_at).where(
                taken_breaks.c.agent_id == agent.id, taken_breaks.c.started_at < spans[-1][1],
                taken_breaks.c.ended_at > spans[0][0]))]
    for index, (started, ended) in enumerate(spans):
        _check_taken(started, ended, now=now)
        clash = next((other for other in (*stored, *spans[:index]) if other[0] < ended and other[1] > started), None)
        if clash is not None:
            raise FieldError(f"$.taken[{index}].started_at", f"overlaps the break from {iso_utc(clash[0])}")
    if plans:
        connection.execute(delete(scheduled_breaks).where(scheduled_breaks.c.agent_id == agent.id,
                                                          scheduled_breaks.c.shift_date.in_(list(plans))))
        rows = [row for shift_date, plan in plans.items() for row in _plan_rows(agent, shift_date, plan)]
        if rows:
            connection.execute(insert(scheduled_breaks), rows)
    if spans:
        connection.execute(insert(taken_breaks), [{"agent_id": agent.id, "started_at": started, "ended_at": ended,
                                                   "recorded_by": None, "recorded_at": now} for started, ended in spans])


def _plan_rows(agent: BreakAgent, shift_date: date, breaks: Sequence[PlannedBreak]) -> list[dict]:
    return [{"agent_id": agent.id, "shift_date": shift_date, "starts_at": as_utc(planned.starts_at),
             "minutes": planned.minutes} for planned in breaks]


def _check_plan(agent: BreakAgent, shift_date: date, breaks: Sequence[PlannedBreak]) -> None:
    zone = load_zone(agent.time_zone) if agent.time_zone else UTC
    # A night shift's breaks fall on the next local date; anything later belongs to another shift.
    earliest = datetime.combine(shift_date, time.min, tzinfo=zone)
    latest = datetime.combine(shift_date + timedelta(days=2), time.min, tzinfo=zone)
    seen: set[datetime] = set()
    for index, planned in enumerate(breaks):
        path = f"$.breaks[{index}]"
        if planned.starts_at.tzinfo is None:
            raise FieldError(f"{path}.starts_at", "needs a UTC offset or Z")
        if not earliest <= planned.starts_at < latest:
            raise FieldError(f"{path}.starts_at", f"is not in the shift starting on {shift_date.isoformat()} "
                                                  f"({agent.time_zone or 'UTC'})")
        if not 0 < planned.minutes <= MAX_BREAK.total_seconds() / 60:
            raise FieldError(f"{path}.minutes", f"must be 1-{int(MAX_BREAK.total_seconds() // 60)}, got {planned.minutes}")
        moment = as_utc(planned.starts_at)
        if moment in seen:
            raise FieldError(f"{path}.starts_at", "two breaks of the plan start at the same time")
        seen.add(moment)


def record_break_taken(connection: Connection, viewer: Viewer | None, agent: BreakAgent, *, started_at: datetime,
                       ended_at: datetime, now: datetime) -> dict:
    """Log a break the agent took; the agent themselves or a supervisor may log it (``viewer`` None: an import)."""
    if viewer is not None and viewer.role not in SCHEDULERS and viewer.agent_id != agent.id:
        raise NotPermitted(f"role {viewer.role.value} may only log their own breaks")
    for name, moment in (("started_at", started_at), ("ended_at", ended_at)):
        if moment.tzinfo is None:
            raise FieldError(f"$.{name}", "needs a UTC offset or Z")
    started, ended = as_utc(started_at), as_utc(ended_at)
    _check_taken(started, ended, now=now)
    _check_no_overlap(connection, agent, started, ended)
    connection.execute(insert(taken_breaks).values(agent_id=agent.id, started_at=started, ended_at=ended,
                                                   recorded_by=viewer.user_id if viewer is not None else None,
                                                   recorded_at=now))
    return {"agent": agent.external_id, "started_at": iso_utc(started), "ended_at": iso_utc(ended)}


def record_break_at_local_time(connection: Connection, viewer: Viewer | None, agent: BreakAgent, *, started: str,
                               minutes: int, now: datetime) -> dict:
    """Log a break given as the agent's wall-clock start (``YYYY-MM-DDTHH:MM``, their time zone, else UTC)."""
    try:
        local_start = datetime.fromisoformat(started)
    except ValueError as error:
        raise FieldError("$.started_at", f"give the start as YYYY-MM-DDTHH:MM, got {started!r}") from error
    if minutes <= 0:
        raise FieldError("$.minutes", f"must be a positive number of minutes, got {minutes}")
    start = local_start.replace(tzinfo=load_zone(agent.time_zone) if agent.time_zone else UTC)
    return record_break_taken(connection, viewer, agent, started_at=start, ended_at=start + timedelta(minutes=minutes),
                              now=now)


def _check_taken(started: datetime, ended: datetime, *, now: datetime) -> None:
    if ended <= started:
        raise FieldError("$.ended_at", f"must be after started_at ({iso_utc(started)})")
    if ended - started > MAX_BREAK:
        raise FieldError("$.ended_at", f"a break lasts at most {MAX_BREAK}; log a longer absence elsewhere")
    if started > now:
        raise FieldError("$.started_at", "a break cannot be logged before it starts")


def _check_no_overlap(connection: Connection, agent: BreakAgent, started: datetime, ended: datetime) -> None:
    overlapping = connection.execute(
        select(taken_breaks.c.started_at).where(taken_breaks.c.agent_id == agent.id,
                                                taken_breaks.c.started_at < ended, taken_breaks.c.ended_at > started)
    ).first()
    if overlapping is not None:
        raise FieldError("$.started_at", f"overlaps the break logged from {iso_utc(overlapping.started_at)}")


def break_tallies(connection: Connection, agents: Mapping[int, str | None], *, start: date, end: date,
                  rules: BreakRules = BreakRules()) -> dict[int, BreakTally]:
    """Per agent id (value: time zone): the breaks of shifts starting ``start``..``end`` and how many were taken."""
    if not agents:
        return {}
    planned = _scheduled_spans(connection, list(agents), start=start, end=end)
    taken = _taken_spans(connection, list(agents), start=start, end=end, rules=rules)
    return {agent_id: tally_breaks(planned.get(agent_id, ()), taken.get(agent_id, ()), rules=rules)
            for agent_id in agents}


def agent_breaks(connection: Connection, agent: BreakAgent, *, start: date, end: date,
                 rules: BreakRules = BreakRules()) -> dict:
    """The agent's scheduled and taken breaks over shifts ``start``..``end`` and the tally."""
    planned = connection.execute(
        select(scheduled_breaks).where(scheduled_breaks.c.agent_id == agent.id,
                                       scheduled_breaks.c.shift_date >= start, scheduled_breaks.c.shift_date <= end)
        .order_by(scheduled_breaks.c.starts_at)
    ).mappings().all()
    taken = _taken_spans(connection, [agent.id], start=start, end=end, rules=rules).get(agent.id, [])
    tally = break_tallies(connection, {agent.id: agent.time_zone}, start=start, end=end, rules=rules)[agent.id]
    return {
        "agent": agent.external_id, "from": start.isoformat(), "to": end.isoformat(),
        "scheduled": [{"shift_date": row["shift_date"].isoformat(), "starts_at": iso_utc(row["starts_at"]),
                       "minutes": row["minutes"]} for row in planned],
        "taken": [{"started_at": iso_utc(span.start), "ended_at": iso_utc(span.end)} for span in taken],
        "breaks_scheduled": tally.scheduled, "breaks_taken": tally.taken,
        "break_adherence": round(tally.taken / tally.scheduled, 3) if tally.scheduled else None,
    }


def _scheduled_spans(connection: Connection, agent_ids: list[int], *, start: date, end: date
                     ) -> dict[int, list[WorkSpan]]:
    rows = connection.execute(
        select(scheduled_breaks.c.agent_id, scheduled_breaks.c.starts_at, scheduled_breaks.c.minutes)
        .where(scheduled_breaks.c.agent_id.in_(agent_ids), scheduled_breaks.c.shift_date >= start,
               scheduled_breaks.c.shift_date <= end)
    )
    spans: dict[int, list[WorkSpan]] = defaultdict(list)
    for row in rows:
        begins = as_utc(row.starts_at)
        spans[row.agent_id].append(WorkSpan(begins, begins + timedelta(minutes=row.minutes)))
    return spans


def _taken_spans(connection: Connection, agent_ids: list[int], *, start: date, end: date, rules: BreakRules
                 ) -> dict[int, list[WorkSpan]]:
    # Shifts of local dates start..end start up to 14 hours either side of UTC midnight and a night shift's
    # breaks run into the next day; the tolerance widens the window on both sides.
    lower = datetime.combine(start, time.min, tzinfo=UTC) - timedelta(hours=14) - rules.tolerance
    upper = datetime.combine(end + timedelta(days=2), time.min, tzinfo=UTC) + timedelta(hours=14) + rules.tolerance
    rows = connection.execute(
        select(taken_breaks.c.agent_id, taken_breaks.c.started_at, taken_breaks.c.ended_at)
        .where(taken_breaks.c.agent_id.in_(agent_ids), taken_breaks.c.started_at >= lower,
               taken_breaks.c.started_at < upper)
        .order_by(taken_breaks.c.started_at)
    )
    spans: dict[int, list[WorkSpan]] = defaultdict(list)
    for row in rows:
        spans[row.agent_id].append(WorkSpan(as_utc(row.started_at), as_utc(row.ended_at)))
    return spans
