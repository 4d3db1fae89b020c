"""Operations API: routing presence, hand-off packets, SLA clocks and escalations, internal targets (OLA) and
hand-offs between teams, customer merges and suggested duplicates, and the workforce views (wellbeing,
staffing, coverage, recognition, eNPS). Every read is scoped to the caller."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from trustdesk.core.model import CaseStatus, Channel, Priority, Role
from trustdesk.core.routing.sla import EscalationLevel
from trustdesk.core.workforce.wellbeing import WellbeingThresholds
from trustdesk.services import (
    case_status,
    customer_matching,
    customer_merge,
    enps,
    handoff,
    ola,
    routing,
    sla,
    workforce,
)
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import NotVisible, require_role, visible_brand_id
from trustdesk.web.api.service_errors import service_errors
from trustdesk.web.deps import ConnectionDep, CurrentViewer, wellbeing_thresholds
from trustdesk.web.errors import InputError

router = APIRouter(prefix="/api/v1", tags=["operations"])

SUPERVISING = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR}
QUEUE_READERS = SUPERVISING | {Role.QA_ANALYST, Role.AUDITOR}
CASE_WORKERS = SUPERVISING | {Role.AGENT}
CONTRACT_WRITERS = {Role.ADMIN, Role.BRAND_MANAGER}


def now() -> datetime:
    return datetime.now(UTC)


def moment(value: datetime | None, name: str = "at") -> datetime:
    if value is None:
        return now()
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError([{"path": f"$.query.{name}", "message": "needs a UTC offset or Z", "type": "timezone"}])
    return value


def _brand(connection, viewer: Viewer, brand: str) -> int:
    return visible_brand_id(connection, viewer, brand)


class PresenceIn(BaseModel):
    load: dict[Channel, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    occupancy: float = Field(ge=0.0, le=1.0)


class StatusIn(BaseModel):
    status: CaseStatus
    reason: str | None = None


class EscalationIn(BaseModel):
    level: EscalationLevel
    reason: str = Field(min_length=1)
    clock: str = "manual"


class ContractIn(BaseModel):
    first_response_minutes: int = Field(gt=0)
    next_response_minutes: int = Field(gt=0)
    resolution_minutes: int = Field(gt=0)
    opens: str | None = None
    closes: str | None = None


class OlaTargetIn(BaseModel):
    target_minutes: int = Field(gt=0)


class TeamHandoffIn(BaseModel):
    to_team: str = Field(min_length=1)
    from_team: str | None = None
    note: str | None = Field(default=None, max_length=2000)


class MergeIn(BaseModel):
    keep: str = Field(min_length=1)
    merged: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class DismissalIn(BaseModel):
    first: str = Field(min_length=1)
    second: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class UnmergeIn(BaseModel):
    reason: str = Field(min_length=1)


class EnpsIn(BaseModel):
    score: int = Field(ge=0, le=10)


@router.put("/brands/{brand}/agents/{agent}/presence")
def put_presence(brand: str, agent: str, body: PresenceIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Report an agent's current load per channel and occupancy; routing over stored agents uses it."""
    with service_errors():
        require_role(viewer, SUPERVISING, "report agent presence")
        brand_id = _brand(connection, viewer, brand)
        if not routing.is_visible_agent(connection, viewer, brand_id=brand_id, agent_external_id=agent):
            raise NotVisible("agent not found")
        routing.record_presence(connection, brand_id=brand_id, agent_external_id=agent,
                                load={channel.value: count for channel, count in body.load.items()},
                                occupancy=body.occupancy, now=now())
    return {"agent": agent, "load": {c.value: n for c, n in body.load.items()}, "occupancy": body.occupancy}


@router.get("/brands/{brand}/cases/{case}/handoff")
def get_handoff(brand: str, case: str, connection: ConnectionDep, viewer: CurrentViewer):
    """Hand-off packets of the case: one per change of agent, built from the redacted history before it."""
    with service_errors():
        row = sla.find_visible_case(connection, viewer, brand, case)
        visible = handoff.visible_interaction_ids(connection, viewer, case_id=row["id"])
        packets = handoff.case_handoff_packets(connection, viewer, case_id=row["id"], visible_interaction_ids=visible)
    return {"case": case, "handoffs": packets}


@router.get("/brands/{brand}/cases/{case}/sla")
def get_case_sla(brand: str, case: str, connection: ConnectionDep, viewer: CurrentViewer, at: datetime | None = None):
    """The case's SLA clocks at ``at`` (default now) and its recorded escalations."""
    with service_errors():
        row = sla.find_visible_case(connection, viewer, brand, case)
        return sla.case_sla(connection, row, at=moment(at))


@router.post("/brands/{brand}/cases/{case}/status")
def post_case_status(brand: str, case: str, body: StatusIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Change the case status; ``pending`` (waiting on the customer) pauses its SLA clocks."""
    with service_errors():
        require_role(viewer, CASE_WORKERS, "change a case's status")
        row = sla.find_visible_case(connection, viewer, brand, case)
        case_status.change_case_status(connection, viewer, case_id=row["id"], status=body.status, reason=body.reason,
                                       now=now())
    return {"case": case, "status": body.status.value}


@router.post("/brands/{brand}/cases/{case}/escalations", status_code=201)
def post_escalation(brand: str, case: str, body: EscalationIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Escalate a case by hand (tier 2, supervisor or in-house) with a reason; recorded once per level."""
    with service_errors():
        require_role(viewer, CASE_WORKERS, "escalate a case")
        row = sla.find_visible_case(connection, viewer, brand, case)
        recorded = sla.record_escalation(connection, case_id=row["id"], clock=body.clock, level=body.level,
                                         reason=body.reason, by=viewer, now=now())
    if recorded is None:
        raise HTTPException(status_code=409, detail=f"case already escalated to {body.level.value} for {body.clock}")
    return {"case": case, **recorded}


@router.get("/brands/{brand}/sla/queue")
def get_sla_queue(brand: str, connection: ConnectionDep, viewer: CurrentViewer, at: datetime | None = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 200):
    """Unresolved cases with their SLA clocks, worst first: breached by overrun, then at risk, then ok."""
    with service_errors():
        require_role(viewer, QUEUE_READERS, "read the SLA queue")
        brand_id = _brand(connection, viewer, brand)
        items = sla.sla_queue(connection, viewer, brand_id=brand_id, at=moment(at), limit=limit)
    return {"items": items}


@router.get("/brands/{brand}/sla/breaches")
def get_breaches(brand: str, connection: ConnectionDep, viewer: CurrentViewer, at: datetime | None = None):
    """Only the cases with a breached clock, worst overrun first."""
    with service_errors():
        require_role(viewer, QUEUE_READERS, "read the breach list")
        brand_id = _brand(connection, viewer, brand)
        items = sla.sla_queue(connection, viewer, brand_id=brand_id, at=moment(at), limit=1000)
    return {"items": [item for item in items if item["worst_state"] == "breached"]}


@router.post("/brands/{brand}/sla/escalations/run")
def run_escalations(brand: str, connection: ConnectionDep, viewer: CurrentViewer, at: datetime | None = None):
    """Record the escalations the rules call for on every visible open case (idempotent per level)."""
    with service_errors():
        require_role(viewer, SUPERVISING, "run SLA escalations")
        brand_id = _brand(connection, viewer, brand)
        recorded = sla.run_escalations(connection, viewer, brand_id=brand_id, at=moment(at), now=now())
    return {"recorded": recorded}


@router.get("/brands/{brand}/sla/contracts")
def get_contracts(brand: str, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        require_role(viewer, QUEUE_READERS, "read SLA contracts")
        return {"items": sla.list_sla_contracts(connection, viewer, brand_id=_brand(connection, viewer, brand))}


@router.put("/brands/{brand}/sla/contracts/{vendor}/{priority}")
def put_contract(brand: str, vendor: str, priority: Priority, body: ContractIn, connection: ConnectionDep,
                 viewer: CurrentViewer):
    """Set the brand's targets with a vendor for one priority (business minutes; no hours given = 24/7)."""
    with service_errors():
        require_role(viewer, CONTRACT_WRITERS, "set SLA contracts")
        if viewer.vendor_id is not None:
            require_role(viewer, {Role.ADMIN}, "set SLA contracts as vendor staff")
        sla.save_sla_contract(connection, viewer, brand_id=_brand(connection, viewer, brand), vendor_key=vendor,
                              priority=priority, first_response_minutes=body.first_response_minutes,
                              next_response_minutes=body.next_response_minutes,
                              resolution_minutes=body.resolution_minutes, opens=body.opens, closes=body.closes,
                              now=now())
    return {"vendor": vendor, "priority": priority.value, **body.model_dump()}


@router.get("/brands/{brand}/sla/olas")
def get_ola_targets(brand: str, connection: ConnectionDep, viewer: CurrentViewer):
    """Internal targets between teams: ``to_team`` owes ``from_team`` an answer within the business minutes."""
    with service_errors():
        require_role(viewer, QUEUE_READERS, "read internal targets")
        return {"items": ola.list_ola_targets(connection, brand_id=_brand(connection, viewer, brand))}


@router.put("/brands/{brand}/sla/olas/{from_team}/{to_team}/{priority}")
def put_ola_target(brand: str, from_team: str, to_team: str, priority: Priority, body: OlaTargetIn,
                   connection: ConnectionDep, viewer: CurrentViewer):
    """Set what ``to_team`` owes ``from_team`` on cases of ``priority`` (business minutes of the owing team)."""
    with service_errors():
        return ola.save_ola_target(connection, viewer, brand_id=_brand(connection, viewer, brand), from_team=from_team,
                                   to_team=to_team, priority=priority, target_minutes=body.target_minutes,
                                   now=now())


@router.post("/brands/{brand}/cases/{case}/handoffs", status_code=201)
def post_team_handoff(brand: str, case: str, body: TeamHandoffIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Hand the case to another team; its OLA clock starts now and stops on that team's reply."""
    with service_errors():
        row = sla.find_visible_case(connection, viewer, brand, case)
        return ola.hand_off_case(connection, viewer, row, to_team=body.to_team, from_team=body.from_team,
                                 note=body.note, now=now())


@router.post("/brands/{brand}/cases/{case}/handoffs/{handoff_id}/reply")
def post_handoff_reply(brand: str, case: str, handoff_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    """Record the owing team's answer to a hand-off, stopping its OLA clock."""
    with service_errors():
        row = sla.find_visible_case(connection, viewer, brand, case)
        return ola.reply_to_handoff(connection, viewer, row, handoff_id=handoff_id, now=now())


@router.get("/brands/{brand}/customers/duplicates")
def get_duplicates(brand: str, request: Request, connection: ConnectionDep, viewer: CurrentViewer,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 200):
    """Suggested duplicate customer records with the reason (shared identifiers, name similarity); to be
    confirmed through the merge, never merged here."""
    with service_errors():
        return {"items": customer_matching.suggest_duplicate_customers(
            connection, viewer, brand_id=_brand(connection, viewer, brand), keyring=request.app.state.keyring,
            now=now(), limit=limit)}


@router.post("/brands/{brand}/customers/duplicates/dismissals", status_code=201)
def post_dismissal(brand: str, body: DismissalIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Two records are different people: the pair is not suggested again (audited, undoable)."""
    with service_errors():
        return customer_matching.dismiss_duplicate(connection, viewer, brand_id=_brand(connection, viewer, brand),
                                                   first=body.first, second=body.second, reason=body.reason, now=now())


@router.get("/brands/{brand}/customers/duplicates/dismissals")
def get_dismissals(brand: str, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        require_role(viewer, customer_matching.SUGGESTION_ROLES, "read dismissed duplicates")
        if viewer.vendor_id is not None:
            require_role(viewer, {Role.ADMIN}, "read dismissed duplicates as vendor staff")
        return {"items": customer_matching.list_dismissals(connection, brand_id=_brand(connection, viewer, brand))}


@router.delete("/brands/{brand}/customers/duplicates/dismissals/{dismissal_id}", status_code=204)
def delete_dismissal(brand: str, dismissal_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        customer_matching.undo_dismissal(connection, viewer, brand_id=_brand(connection, viewer, brand),
                                         dismissal_id=dismissal_id, now=now())


@router.post("/brands/{brand}/customers/merges", status_code=201)
def post_merge(brand: str, body: MergeIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Merge a duplicate customer record into the kept one; audited (who, when, why, moved ids), reversible."""
    with service_errors():
        return customer_merge.merge_customers(connection, viewer, brand_id=_brand(connection, viewer, brand),
                                              keep=body.keep, merged=body.merged, reason=body.reason, now=now())


@router.post("/brands/{brand}/customers/merges/{merge_id}/unmerge")
def post_unmerge(brand: str, merge_id: int, body: UnmergeIn, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return customer_merge.unmerge_customers(connection, viewer, brand_id=_brand(connection, viewer, brand),
                                                merge_id=merge_id, reason=body.reason, now=now())


@router.get("/brands/{brand}/customers/merges")
def get_merges(brand: str, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return {"items": customer_merge.list_merges(connection, viewer, brand_id=_brand(connection, viewer, brand))}


@router.get("/brands/{brand}/customers/{customer}/timeline")
def get_timeline(brand: str, customer: str, connection: ConnectionDep, viewer: CurrentViewer):
    """The person's interactions across channels and vendors (merged records included), oldest first."""
    with service_errors():
        return customer_merge.customer_timeline(connection, viewer, brand_id=_brand(connection, viewer, brand),
                                                customer=customer)


@router.get("/brands/{brand}/workforce/wellbeing")
def get_wellbeing(
    brand: str, connection: ConnectionDep, viewer: CurrentViewer,
    thresholds: Annotated[WellbeingThresholds, Depends(wellbeing_thresholds)],
    date_from: date | None = None, date_to: date | None = None,
    business_opens: time = workforce.BusinessHours.opens, business_closes: time = workforce.BusinessHours.closes,
):
    """Fairness and wellbeing per agent and vendor, with flags and their reasons (thresholds configurable)."""
    end = date_to or now().date()
    start = date_from or end - timedelta(days=27)
    with service_errors():
        require_role(viewer, SUPERVISING, "read workforce wellbeing")
        return workforce.wellbeing_report(connection, viewer, brand_id=_brand(connection, viewer, brand), start=start,
                                          end=end, thresholds=thresholds,
                                          hours=workforce.BusinessHours(business_opens, business_closes), now=now())


@router.get("/brands/{brand}/workforce/staffing")
def get_staffing(
    brand: str, connection: ConnectionDep, viewer: CurrentViewer, at: datetime | None = None,
    service_level: Annotated[float, Query(gt=0, lt=1)] = 0.8,
    answer_seconds: Annotated[float, Query(gt=0)] = 20.0,
    max_occupancy: Annotated[float, Query(gt=0, le=1)] = 0.85,
    days: Annotated[int, Query(ge=1, le=366)] = 60,
):
    """Erlang C agents needed per hour and queue from the last ``days`` days, and the week's 24/7 coverage."""
    until = moment(at)
    with service_errors():
        require_role(viewer, SUPERVISING, "read staffing")
        brand_id = _brand(connection, viewer, brand)
        target = workforce.StaffingTarget(service_level, answer_seconds, max_occupancy)
        staffing = workforce.staffing_report(connection, viewer, brand_id=brand_id, at=until, days=days, target=target)
        week_start = datetime.combine(until.date() - timedelta(days=until.weekday()), time.min, tzinfo=UTC)
        coverage = workforce.coverage_report(connection, viewer, brand_id=brand_id, week_start=week_start)
    return {"staffing": staffing, "coverage": coverage}


@router.get("/brands/{brand}/workforce/recognition")
def get_recognition(brand: str, connection: ConnectionDep, viewer: CurrentViewer,
                    days: Annotated[int, Query(ge=1, le=366)] = 30):
    """Top QA scores and positive survey comments, per agent (agents see their own)."""
    with service_errors():
        return workforce.recognition_feed(connection, viewer, brand_id=_brand(connection, viewer, brand),
                                          since=now() - timedelta(days=days))


@router.post("/enps", status_code=201)
def post_enps(body: EnpsIn, connection: ConnectionDep, viewer: CurrentViewer):
    """An agent's anonymous eNPS answer for this month (0-10)."""
    with service_errors():
        period = enps.answer_enps(connection, viewer, score=body.score, now=now())
    return {"period": period}


@router.get("/brands/{brand}/workforce/enps")
def get_enps(brand: str, connection: ConnectionDep, viewer: CurrentViewer, period: str | None = None):
    """eNPS per vendor for a month (default this month); hidden below 5 answers."""
    with service_errors():
        require_role(viewer, SUPERVISING, "read eNPS results")
        chosen = period or enps.period_of(now())
        return {"period": chosen, "items": enps.enps_results(connection, viewer, brand_id=_brand(connection, viewer, brand),
                                                             period=chosen)}
