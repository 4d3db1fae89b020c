"""Internal targets between teams (OLA) and the hand-offs of cases between teams that start their clocks.

When a case is handed to a team, that team owes the handing team an answer within the target for
(from team, to team, case priority), counted on the owing team's business calendar. The clock stops at the
owing team's reply: recorded through the API, or implied by the first response one of its agents gives the
customer on the case after the hand-off, whichever comes first.

The owing team's calendar: the time zone and country most of its agents have (public holidays of that
country), and the business hours of the brand's SLA contract with the team's vendor for the case priority;
a team without such a contract is open 24/7, and one whose agents have no time zone counts in UTC.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from trustdesk.core.model import Priority, Role, Speaker
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.routing.sla import (
    EscalationPolicy,
    InternalRequest,
    OlaTarget,
    SlaEvaluation,
    evaluate_ola,
)
from trustdesk.core.workforce.calendar import BusinessCalendar, always_open_calendar, weekday_calendar
from trustdesk.core.workforce.shifts import parse_clock_time
from trustdesk.services.audit import record_write
from trustdesk.services.directory import brand_key_by_id
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import Conflict, FieldError, NotPermitted, NotVisible
from trustdesk.storage import tables as t
from trustdesk.storage.operations_tables import case_handoffs, ola_targets, sla_contracts
from trustdesk.storage.timestamps import as_utc, iso_utc

# Brand-side roles set internal targets; anyone working the case may hand it on or record a reply.
TARGET_WRITERS = frozenset({Role.ADMIN, Role.BRAND_MANAGER})
HANDOFF_ROLES = frozenset({Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR, Role.AGENT})


@dataclass(frozen=True)
class OlaClock:
    """The OLA clock of one hand-off: ``owed_by`` owes ``owed_to`` an answer."""

    handoff_id: int
    owed_by: str
    owed_to: str
    calendar: str
    evaluation: SlaEvaluation

    @property
    def escalation_key(self) -> str:
        """The ``escalations.clock`` value: one escalation per level and hand-off."""
        return f"ola:{self.handoff_id}"


@dataclass(frozen=True)
class _TeamSite:
    team_id: int
    key: str
    vendor_id: int
    time_zone: str
    country: str | None


def save_ola_target(connection: Connection, viewer: Viewer | None, *, brand_id: int, from_team: str, to_team: str,
                    priority: Priority, target_minutes: int, now: datetime) -> dict:
    """Create or replace the internal target ``to_team`` owes ``from_team`` for cases of ``priority``, audited.

    ``viewer`` None: the command line or the demo loader. An unchanged target writes nothing.
    """
    if viewer is not None and viewer.role not in TARGET_WRITERS:
        raise NotPermitted(f"role {viewer.role.value} may not set internal targets")
    if target_minutes <= 0:
        raise FieldError("$.target_minutes", f"must be a positive number of minutes, got {target_minutes}")
    from_id = _team_id(connection, brand_id, from_team, missing=NotVisible(f"team {from_team!r} not found"))
    to_id = _team_id(connection, brand_id, to_team, missing=NotVisible(f"team {to_team!r} not found"))
    if from_id == to_id:
        raise FieldError("$.to_team", "a team owes itself no internal target")
    key = (ola_targets.c.from_team_id == from_id, ola_targets.c.to_team_id == to_id,
           ola_targets.c.priority == priority.value)
    before = connection.execute(select(ola_targets.c.target_minutes).where(*key)).scalar()
    if before is None:
        connection.execute(insert(ola_targets).values(brand_id=brand_id, from_team_id=from_id, to_team_id=to_id,
                                                      priority=priority.value, target_minutes=target_minutes))
    elif before != target_minutes:
        connection.execute(update(ola_targets).where(*key).values(target_minutes=target_minutes))
    if before != target_minutes:
        brand_key = brand_key_by_id(connection, brand_id)
        change = f"target {target_minutes} min" if before is None else f"target {before} -> {target_minutes} min"
        record_write(connection, viewer, event_type=AuditEventType.CASE_CHANGE, at=now, brand_id=brand_id,
                     resource=f"ola_target:{brand_key}/{from_team}/{to_team}/{priority.value}", reason=change)
    return {"from_team": from_team, "to_team": to_team, "priority": priority.value, "target_minutes": target_minutes}


def brand_team_keys(connection: Connection, *, brand_id: int) -> list[str]:
    """The teams a case of the brand can be handed to."""
    return list(connection.execute(select(t.teams.c.key).where(t.teams.c.brand_id == brand_id)
                                   .order_by(t.teams.c.key)).scalars())


def list_ola_targets(connection: Connection, *, brand_id: int) -> list[dict]:
    from_team, to_team = t.teams.alias("from_team"), t.teams.alias("to_team")
    rows = connection.execute(
        select(from_team.c.key.label("from_team"), to_team.c.key.label("to_team"), ola_targets.c.priority,
               ola_targets.c.target_minutes)
        .join(from_team, from_team.c.id == ola_targets.c.from_team_id)
        .join(to_team, to_team.c.id == ola_targets.c.to_team_id)
        .where(ola_targets.c.brand_id == brand_id)
        .order_by(from_team.c.key, to_team.c.key, ola_targets.c.priority)
    ).mappings()
    return [dict(row) for row in rows]


def hand_off_case(connection: Connection, viewer: Viewer | None, case: Mapping, *, to_team: str,
                  from_team: str | None, note: str | None, now: datetime) -> dict:
    """Hand the case to ``to_team``; ``from_team`` defaults to the team of the agent who handled it last."""
    if viewer is not None and viewer.role not in HANDOFF_ROLES:
        raise NotPermitted(f"role {viewer.role.value} may not hand cases between teams")
    to_id = _team_id(connection, case["brand_id"], to_team,
                     missing=FieldError("$.to_team", f"unknown team {to_team!r} in this brand"))
    if from_team is not None:
        from_id = _team_id(connection, case["brand_id"], from_team,
                           missing=FieldError("$.from_team", f"unknown team {from_team!r} in this brand"))
    else:
        from_id = connection.execute(
            select(t.agents.c.team_id).join(t.interactions, t.interactions.c.agent_id == t.agents.c.id)
            .where(t.interactions.c.case_id == case["id"])
            .order_by(t.interactions.c.started_at.desc(), t.interactions.c.id.desc()).limit(1)
        ).scalar()
        if from_id is None:
            raise FieldError("$.from_team", "the case's last agent has no team; name the handing team")
    if from_id == to_id:
        raise FieldError("$.to_team", "the case is already with this team")
    handoff_id = connection.execute(
        insert(case_handoffs).values(case_id=case["id"], from_team_id=from_id, to_team_id=to_id, handed_at=now,
                                     handed_by=viewer.user_id if viewer is not None else None,
                                     note=(note or "").strip() or None)
        .returning(case_handoffs.c.id)
    ).scalar_one()
    return handoff_out(connection, handoff_id)


def reply_to_handoff(connection: Connection, viewer: Viewer | None, case: Mapping, *, handoff_id: int,
                     now: datetime) -> dict:
    """Record the owing team's answer; this stops the hand-off's OLA clock."""
    if viewer is not None and viewer.role not in HANDOFF_ROLES:
        raise NotPermitted(f"role {viewer.role.value} may not answer hand-offs")
    row = connection.execute(select(case_handoffs).where(case_handoffs.c.id == handoff_id,
                                                         case_handoffs.c.case_id == case["id"])).mappings().first()
    if row is None:
        raise NotVisible("hand-off not found")
    if row["replied_at"] is not None:
        raise Conflict(f"hand-off {handoff_id} was already answered at {iso_utc(row['replied_at'])}")
    connection.execute(update(case_handoffs).where(case_handoffs.c.id == handoff_id).values(
        replied_at=now, replied_by=viewer.user_id if viewer is not None else None))
    return handoff_out(connection, handoff_id)


def handoff_out(connection: Connection, handoff_id: int) -> dict:
    from_team, to_team = t.teams.alias("from_team"), t.teams.alias("to_team")
    row = connection.execute(
        select(case_handoffs, from_team.c.key.label("from_key"), to_team.c.key.label("to_key"))
        .join(from_team, from_team.c.id == case_handoffs.c.from_team_id)
        .join(to_team, to_team.c.id == case_handoffs.c.to_team_id)
        .where(case_handoffs.c.id == handoff_id)
    ).mappings().one()
    return {"id": row["id"], "from_team": row["from_key"], "to_team": row["to_key"],
            "handed_at": iso_utc(row["handed_at"]), "note": row["note"], "replied_at": iso_utc(row["replied_at"])}


def ola_clocks(connection: Connection, cases: Sequence[Mapping], *, at: datetime,
               escalation: EscalationPolicy = EscalationPolicy()) -> dict[int, list[OlaClock]]:
    """Per case id, the OLA clocks of its hand-offs that have a target for the case's priority."""
    if not cases:
        return {}
    by_id = {case["id"]: case for case in cases}
    handoffs = connection.execute(
        select(case_handoffs).where(case_handoffs.c.case_id.in_(list(by_id)), case_handoffs.c.handed_at <= at)
        .order_by(case_handoffs.c.handed_at, case_handoffs.c.id)
    ).mappings().all()
    if not handoffs:
        return {}
    targets = {
        (row.from_team_id, row.to_team_id, row.priority): timedelta(minutes=row.target_minutes)
        for row in connection.execute(select(ola_targets).where(
            ola_targets.c.brand_id.in_({case["brand_id"] for case in cases})))
    }
    sites = _team_sites(connection, {row["to_team_id"] for row in handoffs} | {row["from_team_id"] for row in handoffs})
    replies = _team_responses(connection, list({row["case_id"] for row in handoffs}))
    calendars: dict[tuple[int, str], tuple[BusinessCalendar, str]] = {}
    result: dict[int, list[OlaClock]] = defaultdict(list)
    for handoff in handoffs:
        case = by_id[handoff["case_id"]]
        target = targets.get((handoff["from_team_id"], handoff["to_team_id"], case["priority"]))
        if target is None:
            continue
        owing, owed = sites[handoff["to_team_id"]], sites[handoff["from_team_id"]]
        calendar_key = (owing.team_id, case["priority"])
        if calendar_key not in calendars:
            calendars[calendar_key] = _team_calendar(connection, owing, brand_id=case["brand_id"],
                                                     priority=case["priority"])
        calendar, description = calendars[calendar_key]
        handed_at = as_utc(handoff["handed_at"])
        answered = [as_utc(handoff["replied_at"])] if handoff["replied_at"] is not None else []
        answered += [moment for team_id, moment in replies.get(case["id"], ())
                     if team_id == owing.team_id and moment >= handed_at]
        request = InternalRequest(owed_by=owing.key, owed_to=owed.key, requested_at=handed_at,
                                  answered_at=min(answered, default=None))
        evaluation = evaluate_ola(request, OlaTarget(owing.key, owed.key, target, calendar), at=at,
                                  escalation=escalation)
        result[case["id"]].append(OlaClock(handoff["id"], owing.key, owed.key, description, evaluation))
    return result


def case_handoff_list(connection: Connection, *, case_id: int) -> list[dict]:
    ids = connection.execute(select(case_handoffs.c.id).where(case_handoffs.c.case_id == case_id)
                             .order_by(case_handoffs.c.handed_at, case_handoffs.c.id)).scalars().all()
    return [handoff_out(connection, handoff_id) for handoff_id in ids]


def _team_id(connection: Connection, brand_id: int, key: str, *, missing: Exception) -> int:
    team_id = connection.execute(select(t.teams.c.id).where(t.teams.c.brand_id == brand_id,
                                                            t.teams.c.key == key)).scalar()
    if team_id is None:
        raise missing
    return team_id


def _team_sites(connection: Connection, team_ids: set[int]) -> dict[int, _TeamSite]:
    teams = connection.execute(select(t.teams.c.id, t.teams.c.key, t.teams.c.vendor_id)
                               .where(t.teams.c.id.in_(team_ids))).all()
    places: dict[int, Counter] = defaultdict(Counter)
    for row in connection.execute(select(t.agents.c.team_id, t.agents.c.time_zone, t.agents.c.country)
                                  .where(t.agents.c.team_id.in_(team_ids), t.agents.c.time_zone.is_not(None))):
        places[row.team_id][(row.time_zone, row.country or "")] += 1
    sites = {}
    for team in teams:
        # Most agents' place; ties go to the alphabetically first so the answer is stable.
        counted = sorted(places[team.id].items(), key=lambda item: (-item[1], item[0]))
        zone, country = counted[0][0] if counted else ("UTC", "")
        sites[team.id] = _TeamSite(team.id, team.key, team.vendor_id, zone, country or None)
    return sites


def _team_calendar(connection: Connection, team: _TeamSite, *, brand_id: int, priority: str
                   ) -> tuple[BusinessCalendar, str]:
    hours = connection.execute(
        select(sla_contracts.c.opens, sla_contracts.c.closes).where(
            sla_contracts.c.brand_id == brand_id, sla_contracts.c.vendor_id == team.vendor_id,
            sla_contracts.c.priority == priority)
    ).first()
    if hours is None or hours.opens is None:
        return always_open_calendar(team.time_zone), f"24/7 ({team.time_zone})"
    calendar = weekday_calendar(team.time_zone, opens=parse_clock_time(hours.opens),
                                closes=parse_clock_time(hours.closes), holiday_country=team.country)
    holidays_of = f", closed on {team.country} public holidays" if team.country else ""
    return calendar, f"Mon-Fri {hours.opens}-{hours.closes} {team.time_zone}{holidays_of}"


def _team_responses(connection: Connection, case_ids: list[int]) -> dict[int, list[tuple[int, datetime]]]:
    """Per case: (team of the agent, moment of the agent's first turn) for every interaction with a reply."""
    rows = connection.execute(
        select(t.interactions.c.case_id, t.interactions.c.started_at, t.agents.c.team_id, t.transcripts.c.turns)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .outerjoin(t.transcripts, t.transcripts.c.interaction_id == t.interactions.c.id)
        .where(t.interactions.c.case_id.in_(case_ids), t.agents.c.team_id.is_not(None))
    )
    result: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for row in rows:
        first_agent = next((turn for turn in row.turns or () if turn["speaker"] == Speaker.AGENT.value), None)
        if first_agent is not None:
            moment = as_utc(row.started_at) + timedelta(seconds=first_agent.get("offset_seconds") or 0.0)
            result[row.case_id].append((row.team_id, moment))
    return result
