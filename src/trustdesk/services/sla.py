"""SLA clocks of cases, the supervisor's queue (worst first) and escalations (status changes: ``case_status``).

A case's clocks come from the brand's contract with the vendor that handled it last, for the case's
priority (the SLA contract, else the targets in the brand's vendor registry), on the business calendar of
the handling site: the last agent's time zone, closed on the public holidays of the agent's country
(``holidays`` package). The timeline is derived from stored facts: every
interaction starts with the customer reaching out, the agent responds at their first turn, the case is
resolved when its status is resolved, and status changes (recorded here, plus the status ingest last set)
pause the clocks while the case waits on the customer. Beside them run the OLA clocks of the case's
hand-offs between teams (``services.ola``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from trustdesk.core.model import CaseStatus, Priority, Speaker
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.routing.sla import (
    CaseTimeline,
    EscalationLevel,
    SlaEvaluation,
    SlaState,
    SlaTargets,
    StatusChange,
    evaluate_case_clocks,
)
from trustdesk.core.workforce.calendar import BusinessCalendar, always_open_calendar, weekday_calendar
from trustdesk.core.workforce.shifts import parse_clock_time
from trustdesk.services.audit import record_audit_event, record_write
from trustdesk.services.directory import brand_key_by_id
from trustdesk.services.ola import OlaClock, case_handoff_list, ola_clocks
from trustdesk.services.scope import Viewer, scope_by_brand, scope_interactions
from trustdesk.services.tenancy import FieldError, NotVisible
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import vendor_registrations, vendor_sla_targets
from trustdesk.storage.operations_tables import case_status_changes, escalations, sla_contracts

# Who escalations made by the rules themselves (a scheduled run, no user) are attributed to in the audit trail.
SLA_CLOCK_ACTOR = "sla-clock"
_STATE_ORDER = {SlaState.BREACHED: 0, SlaState.AT_RISK: 1, SlaState.OK: 2}
# Interaction ids per IN (...) list when reading transcripts: within every database's parameter limit.
_IN_LIST_CHUNK = 500


@dataclass(frozen=True)
class HandlingSite:
    vendor_id: int
    vendor: str
    time_zone: str
    country: str | None


@dataclass(frozen=True)
class CaseClocks:
    case_id: int
    case: str
    priority: str
    status: str
    site: HandlingSite
    calendar: str | None  # None: no SLA contract covers the case, only OLA clocks run
    clocks: tuple[SlaEvaluation, ...]
    olas: tuple[OlaClock, ...] = ()

    @property
    def worst(self) -> SlaEvaluation:
        return min((*self.clocks, *(ola.evaluation for ola in self.olas)), key=_urgency)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def save_sla_contract(
    connection: Connection, viewer: Viewer | None, *, brand_id: int, vendor_key: str, priority: Priority,
    first_response_minutes: int, next_response_minutes: int, resolution_minutes: int, opens: str | None,
    closes: str | None, now: datetime,
) -> None:
    """Create or replace the brand's targets with a vendor for one priority (business minutes), audited.

    ``viewer`` None: the command line or the demo loader. An unchanged contract writes nothing.
    """
    vendor_id = connection.execute(select(t.vendors.c.id).where(t.vendors.c.key == vendor_key)).scalar()
    if vendor_id is None:
        raise NotVisible(f"vendor {vendor_key!r} not found")
    for name, minutes in (("first_response_minutes", first_response_minutes),
                          ("next_response_minutes", next_response_minutes), ("resolution_minutes", resolution_minutes)):
        if minutes <= 0:
            raise FieldError(f"$.{name}", f"must be a positive number of minutes, got {minutes}")
    if (opens is None) != (closes is None):
        raise FieldError("$.opens" if opens is None else "$.closes", "give both opens and closes, or neither for 24/7")
    if opens is not None and closes is not None:
        for name, value in (("opens", opens), ("closes", closes)):
            try:
                parse_clock_time(value)
            except ValueError as error:
                raise FieldError(f"$.{name}", str(error)) from error
        if parse_clock_time(closes) <= parse_clock_time(opens):
            raise FieldError("$.closes", f"must be after opens ({opens}), got {closes}")
    values = {"first_response_minutes": first_response_minutes, "next_response_minutes": next_response_minutes,
              "resolution_minutes": resolution_minutes, "opens": opens, "closes": closes}
    key = (sla_contracts.c.brand_id == brand_id, sla_contracts.c.vendor_id == vendor_id,
           sla_contracts.c.priority == priority.value)
    before = connection.execute(select(*(sla_contracts.c[name] for name in values)).where(*key)).mappings().first()
    if before is None:
        connection.execute(insert(sla_contracts).values(brand_id=brand_id, vendor_id=vendor_id, priority=priority.value,
                                                        **values))
        change = "contract created: " + _contract_terms(values)
    elif dict(before) == values:
        return
    else:
        connection.execute(update(sla_contracts).where(*key).values(**values))
        change = "contract changed from " + _contract_terms(before) + " to " + _contract_terms(values)
    brand_key = brand_key_by_id(connection, brand_id)
    record_write(connection, viewer, event_type=AuditEventType.CASE_CHANGE, at=now, brand_id=brand_id,
                 resource=f"sla_contract:{brand_key}/{vendor_key}/{priority.value}", reason=change)


def _contract_terms(terms: Mapping) -> str:
    hours = f"{terms['opens']}-{terms['closes']}" if terms["opens"] is not None else "24/7"
    return (f"first response {terms['first_response_minutes']} min, next response {terms['next_response_minutes']} min, "
            f"resolution {terms['resolution_minutes']} min, {hours}")


def list_sla_contracts(connection: Connection, viewer: Viewer, *, brand_id: int) -> list[dict]:
    """The brand's SLA contracts; vendor staff see only their own vendor's."""
    query = (
        select(sla_contracts, t.vendors.c.key.label("vendor"))
        .join(t.vendors, t.vendors.c.id == sla_contracts.c.vendor_id)
        .where(sla_contracts.c.brand_id == brand_id)
        .order_by(t.vendors.c.key, sla_contracts.c.priority)
    )
    if not viewer.is_admin and viewer.vendor_id is not None:
        query = query.where(sla_contracts.c.vendor_id == viewer.vendor_id)
    rows = connection.execute(query).mappings()
    return [{"vendor": r["vendor"], "priority": r["priority"], "first_response_minutes": r["first_response_minutes"],
             "next_response_minutes": r["next_response_minutes"], "resolution_minutes": r["resolution_minutes"],
             "business_hours": f"{r['opens']}-{r['closes']} Mon-Fri" if r["opens"] else "24/7"} for r in rows]


def find_visible_case(connection: Connection, viewer: Viewer, brand_key: str, case_external_id: str) -> Mapping:
    """The case row if the viewer may see it (vendor staff and agents: only cases they worked on)."""
    case = connection.execute(
        scope_by_brand(select(t.cases).join(t.brands, t.brands.c.id == t.cases.c.brand_id), t.cases, viewer)
        .where(t.brands.c.key == brand_key, t.cases.c.external_id == case_external_id)
    ).mappings().first()
    if case is None:
        raise NotVisible("case not found")
    if not viewer.is_admin and (viewer.vendor_id is not None or viewer.agent_id is not None):
        worked = connection.execute(
            scope_interactions(select(t.interactions.c.id), viewer).where(t.interactions.c.case_id == case["id"]).limit(1)
        ).first()
        if worked is None:
            raise NotVisible("case not found")
    return case


def evaluate_cases(connection: Connection, cases: Sequence[Mapping], *, at: datetime) -> list[CaseClocks]:
    """SLA clocks (when a contract covers the case's vendor and priority) and OLA clocks of each case; cases
    with neither are skipped."""
    if not cases:
        return []
    contracts = _contracts(connection, {case["brand_id"] for case in cases})
    internal = ola_clocks(connection, cases, at=at)
    if not contracts and not internal:
        return []  # no clock runs: the common case when ingest keeps the metrics of a brand without contracts
    case_ids = [case["id"] for case in cases]
    contacts = _contacts_by_case(connection, case_ids)
    changes = _status_changes_by_case(connection, case_ids)
    covered = {}  # case id -> the contract with the vendor of the case's latest contact, for its priority
    for case in cases:
        if case["id"] in contacts:
            latest_site = contacts[case["id"]][-1].site
            contract = contracts.get((case["brand_id"], latest_site.vendor_id, case["priority"]))
            if contract is not None:
                covered[case["id"]] = contract
    # Transcripts are read (and decoded) only for the cases a contract covers: the others have no SLA clock.
    responses = _first_responses(connection, [contact.interaction_id for case_id in covered
                                              for contact in contacts[case_id]])
    evaluated = []
    for case in cases:
        case_contacts = contacts.get(case["id"])
        if not case_contacts:
            continue
        site = case_contacts[-1].site
        contract = covered.get(case["id"])
        olas = tuple(internal.get(case["id"], ()))
        if contract is None and not olas:
            continue
        clocks: tuple[SlaEvaluation, ...] = ()
        description = None
        if contract is not None:
            targets, calendar, description = contract_calendar(contract, site)
            moments = [(contact.started_at, responses.get(contact.interaction_id), contact.site)
                       for contact in case_contacts]
            timeline = case_timeline(case, moments, changes.get(case["id"], []))
            clocks = evaluate_case_clocks(timeline, targets=targets, calendar=calendar, at=at)
        evaluated.append(CaseClocks(case["id"], case["external_id"], case["priority"], case["status"], site,
                                    description, clocks, olas))
    return evaluated


def contract_calendar(contract: Mapping, site: HandlingSite) -> tuple[SlaTargets, BusinessCalendar, str]:
    targets = SlaTargets(
        first_response=timedelta(minutes=contract["first_response_minutes"]),
        next_response=timedelta(minutes=contract["next_response_minutes"]),
        resolution=timedelta(minutes=contract["resolution_minutes"]),
    )
    if contract["opens"] is None:
        return targets, always_open_calendar(site.time_zone), f"24/7 ({site.time_zone})"
    calendar = weekday_calendar(site.time_zone, opens=parse_clock_time(contract["opens"]),
                                closes=parse_clock_time(contract["closes"]), holiday_country=site.country)
    holidays_of = f", closed on {site.country} public holidays" if site.country else ""
    return targets, calendar, f"Mon-Fri {contract['opens']}-{contract['closes']} {site.time_zone}{holidays_of}"


def case_timeline(case: Mapping, moments: Sequence[tuple], recorded: Sequence[StatusChange]) -> CaseTimeline:
    opened_at = aware(case["opened_at"])
    changes = [StatusChange(opened_at, CaseStatus.OPEN), *recorded]
    updated_at = aware(case["updated_at"])
    last_recorded = max((change.at for change in recorded), default=None)
    if updated_at is not None and (last_recorded is None or updated_at > last_recorded):
        changes.append(StatusChange(updated_at, CaseStatus(case["status"])))
    resolved_at = None
    if case["status"] == CaseStatus.RESOLVED.value:
        resolved_at = max((change.at for change in changes if change.status is CaseStatus.RESOLVED), default=updated_at)
    return CaseTimeline(
        opened_at=opened_at,
        customer_messages=tuple(moment[0] for moment in moments),
        agent_responses=tuple(moment[1] for moment in moments if moment[1] is not None),
        resolved_at=resolved_at,
        status_changes=tuple(sorted(changes, key=lambda change: change.at)),
    )


def sla_queue(connection: Connection, viewer: Viewer, *, brand_id: int, at: datetime, limit: int = 200) -> list[dict]:
    """Unresolved cases the viewer may see with their clocks, worst first (breached by overrun, then at risk)."""
    evaluated = evaluate_cases(connection, _open_cases(connection, viewer, brand_id=brand_id), at=at)
    evaluated.sort(key=lambda case: (_urgency(case.worst), case.case))
    return [clocks_out(case) for case in evaluated[:limit]]


def run_escalations(connection: Connection, viewer: Viewer, *, brand_id: int, at: datetime, now: datetime) -> list[dict]:
    """Record every escalation a running clock of a visible open case calls for, once per (case, clock, level)."""
    cases = evaluate_cases(connection, _open_cases(connection, viewer, brand_id=brand_id), at=at)
    return record_due_escalations(connection, cases, by=viewer, now=now)


def record_due_escalations(connection: Connection, cases: Sequence[CaseClocks], *, by: Viewer | None,
                           now: datetime) -> list[dict]:
    """Record the escalation each running clock calls for, unless that (case, clock, level) already is."""
    recorded = []
    for case in cases:
        due = [(clock.clock.value, clock) for clock in case.clocks]
        due += [(ola.escalation_key, ola.evaluation) for ola in case.olas]
        for key, clock in due:
            if clock.escalation is None:
                continue
            row = record_escalation(connection, case_id=case.case_id, clock=key, level=clock.escalation.level,
                                    reason=clock.escalation.reason, by=by, now=now)
            if row is not None:
                recorded.append({"case": case.case, **row})
    return recorded


def record_escalation(
    connection: Connection, *, case_id: int, clock: str, level: EscalationLevel, reason: str, by: Viewer | None,
    now: datetime,
) -> dict | None:
    """Store an escalation unless the same (case, clock, level) is already recorded; the stored row or None.

    ``by`` None: the escalation rules acting on their own (a scheduled run), audited as the SLA clock.
    """
    if not reason.strip():
        raise FieldError("$.reason", "an escalation needs a reason")
    # ON CONFLICT keeps it once even when two escalation runs (the CLI and the server's loop) overlap.
    dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    inserted = connection.execute(
        dialect_insert(escalations).values(case_id=case_id, clock=clock, level=level.value, reason=reason,
                                           escalated_at=now, escalated_by=by.user_id if by else None)
        .on_conflict_do_nothing(index_elements=["case_id", "clock", "level"]).returning(escalations.c.id)
    ).first()
    if inserted is None:
        return None
    case = connection.execute(select(t.cases.c.brand_id, t.cases.c.external_id, t.brands.c.key)
                              .join(t.brands, t.brands.c.id == t.cases.c.brand_id).where(t.cases.c.id == case_id)).one()
    record_audit_event(
        connection, actor=by.username if by else SLA_CLOCK_ACTOR, role=by.role.value if by else "system",
        origin=by.origin if by else SLA_CLOCK_ACTOR, event_type=AuditEventType.CASE_CHANGE, at=now,
        resource=f"case:{case.key}/{case.external_id}", brand_id=case.brand_id, case=f"{case.key}/{case.external_id}",
        reason=f"escalated to {level.value} on {clock}",
    )
    return {"clock": clock, "level": level.value, "reason": reason, "escalated_at": iso(now)}


def list_escalations(connection: Connection, *, case_id: int) -> list[dict]:
    rows = connection.execute(
        select(escalations, t.users.c.username)
        .outerjoin(t.users, t.users.c.id == escalations.c.escalated_by)
        .where(escalations.c.case_id == case_id)
        .order_by(escalations.c.escalated_at, escalations.c.id)
    ).mappings()
    return [{"clock": r["clock"], "level": r["level"], "reason": r["reason"], "escalated_at": iso(r["escalated_at"]),
             "escalated_by": r["username"]} for r in rows]


def case_sla(connection: Connection, case: Mapping, *, at: datetime) -> dict:
    """The clocks (or why there are none) and the recorded escalations of one case."""
    evaluated = evaluate_cases(connection, [case], at=at)
    result = clocks_out(evaluated[0]) if evaluated else {
        "case": case["external_id"], "priority": case["priority"], "status": case["status"], "clocks": [],
        "ola_clocks": [],
    }
    if not result["clocks"]:
        result["note"] = "no SLA contract covers this case's vendor and priority"
    result["escalations"] = list_escalations(connection, case_id=case["id"])
    result["team_handoffs"] = case_handoff_list(connection, case_id=case["id"])
    return result


def clocks_out(case: CaseClocks) -> dict:
    return {
        "case": case.case, "priority": case.priority, "status": case.status, "vendor": case.site.vendor,
        "calendar": case.calendar, "worst_state": case.worst.state.value,
        "clocks": [_clock_out(clock) for clock in case.clocks],
        "ola_clocks": [{"handoff": ola.handoff_id, "owed_by": ola.owed_by, "owed_to": ola.owed_to,
                        "calendar": ola.calendar, **_clock_out(ola.evaluation)} for ola in case.olas],
    }


def _clock_out(clock: SlaEvaluation) -> dict:
    return {"clock": clock.clock.value, "state": clock.state.value, "running": clock.is_running,
            "started_at": iso(clock.started_at), "target_minutes": clock.target.total_seconds() / 60,
            "elapsed_minutes": round(clock.elapsed.total_seconds() / 60, 1),
            "remaining_minutes": round(clock.remaining.total_seconds() / 60, 1),
            "escalation": None if clock.escalation is None else
            {"level": clock.escalation.level.value, "reason": clock.escalation.reason}}


def iso(moment: datetime | None) -> str | None:
    moment = aware(moment)
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _urgency(clock: SlaEvaluation) -> tuple:
    # Breached clocks by overrun (largest first), then running clocks by what is left (least first).
    return (_STATE_ORDER[clock.state], -(clock.elapsed - clock.target).total_seconds(), clock.remaining.total_seconds())


def _open_cases(connection: Connection, viewer: Viewer, *, brand_id: int) -> list[Mapping]:
    visible = scope_interactions(select(t.interactions.c.case_id), viewer).where(t.interactions.c.brand_id == brand_id)
    return list(connection.execute(
        select(t.cases).where(t.cases.c.brand_id == brand_id, t.cases.c.status != CaseStatus.RESOLVED.value,
                              t.cases.c.id.in_(visible.distinct()))
    ).mappings())


class _Contact(NamedTuple):
    interaction_id: int
    started_at: datetime
    site: HandlingSite


def _contacts_by_case(connection: Connection, case_ids: list[int]) -> dict[int, list[_Contact]]:
    """Per case, in time order: each interaction (the customer reaching out) and its handling site."""
    rows = connection.execute(
        select(t.interactions.c.case_id, t.interactions.c.id, t.interactions.c.started_at,
               t.interactions.c.vendor_id, t.vendors.c.key.label("vendor"), t.vendors.c.sites, t.agents.c.time_zone,
               t.agents.c.country)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .where(t.interactions.c.case_id.in_(case_ids))
        .order_by(t.interactions.c.started_at, t.interactions.c.id)
    )
    result: dict[int, list[_Contact]] = {}
    for row in rows:
        zone = row.time_zone or next((site.get("time_zone") for site in row.sites or () if site.get("time_zone")), "UTC")
        site = HandlingSite(row.vendor_id, row.vendor, zone, row.country)
        result.setdefault(row.case_id, []).append(_Contact(row.id, aware(row.started_at), site))
    return result


def _first_responses(connection: Connection, interaction_ids: list[int]) -> dict[int, datetime]:
    """When the agent first spoke in each interaction that has an agent turn."""
    responses: dict[int, datetime] = {}
    for start in range(0, len(interaction_ids), _IN_LIST_CHUNK):
        rows = connection.execute(
            select(t.interactions.c.id, t.interactions.c.started_at, t.transcripts.c.turns)
            .join(t.transcripts, t.transcripts.c.interaction_id == t.interactions.c.id)
            .where(t.interactions.c.id.in_(interaction_ids[start : start + _IN_LIST_CHUNK]))
        )
        for interaction_id, started_at, turns in rows:
            first_agent = next((turn for turn in turns or () if turn["speaker"] == Speaker.AGENT.value), None)
            if first_agent is not None:
                offset = timedelta(seconds=first_agent.get("offset_seconds") or 0.0)
                responses[interaction_id] = aware(started_at) + offset
    return responses


def _status_changes_by_case(connection: Connection, case_ids: list[int]) -> dict[int, list[StatusChange]]:
    rows = connection.execute(
        select(case_status_changes.c.case_id, case_status_changes.c.status, case_status_changes.c.changed_at)
        .where(case_status_changes.c.case_id.in_(case_ids))
        .order_by(case_status_changes.c.changed_at, case_status_changes.c.id)
    )
    result: dict[int, list[StatusChange]] = {}
    for row in rows:
        result.setdefault(row.case_id, []).append(StatusChange(aware(row.changed_at), CaseStatus(row.status)))
    return result


def _contracts(connection: Connection, brand_ids: set[int]) -> dict[tuple[int, int, str], Mapping]:
    """Targets per (brand, vendor, priority): the SLA contract, else the vendor registry's contract targets.

    The registry (governance) names first-response and resolution targets only and no business hours, so
    its clocks run 24/7 and the next-response target equals the first-response one.
    """
    registered = connection.execute(
        select(vendor_registrations.c.brand_id, vendor_registrations.c.vendor_id, vendor_sla_targets.c.priority,
               vendor_sla_targets.c.first_response_minutes,
               vendor_sla_targets.c.first_response_minutes.label("next_response_minutes"),
               vendor_sla_targets.c.resolution_minutes)
        .join(vendor_registrations, vendor_registrations.c.id == vendor_sla_targets.c.registration_id)
        .where(vendor_registrations.c.brand_id.in_(brand_ids))
    ).mappings()
    contracts = {(row["brand_id"], row["vendor_id"], row["priority"]): {**row, "opens": None, "closes": None}
                 for row in registered}
    rows = connection.execute(select(sla_contracts).where(sla_contracts.c.brand_id.in_(brand_ids))).mappings()
    contracts.update({(row["brand_id"], row["vendor_id"], row["priority"]): row for row in rows})
    return contracts
