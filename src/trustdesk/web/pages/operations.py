"""Operations pages: the agent's case page (interactions, SLA and OLA clocks, hand-off packets), the supervisor's
SLA queue, the workforce fairness view, an agent's workforce page, the staffing/coverage view and the suggested
duplicate customers. They call the same services as the API."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from trustdesk.core.workforce.wellbeing import WellbeingThresholds
from trustdesk.services import (
    breaks,
    browse,
    customer_matching,
    customer_merge,
    enps,
    handoff,
    ola,
    sla,
    workforce,
)
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import NotPermitted, NotVisible, require_role, visible_brand_id
from trustdesk.storage import tables as t
from trustdesk.web.api.breaks import PROFILE_READERS
from trustdesk.web.api.operations import QUEUE_READERS, SUPERVISING
from trustdesk.web.deps import ConnectionDep, wellbeing_thresholds
from trustdesk.web.pages.page_actions import page_errors, run_form_action
from trustdesk.web.pages.routes import page_viewer, templates

router = APIRouter(include_in_schema=False)


def _render(request: Request, name: str, viewer: Viewer, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"viewer": viewer, **context})


def _page_brand(connection, viewer: Viewer, brand: str | None) -> tuple[str, int]:
    """The brand a page shows: the viewer's own, or for an administrator the chosen (or first) brand."""
    if brand is None and viewer.brand_id is None:
        brand = connection.execute(select(t.brands.c.key).order_by(t.brands.c.key).limit(1)).scalar()
        if brand is None:
            raise HTTPException(status_code=404, detail="no brands yet")
    try:
        brand_id = visible_brand_id(connection, viewer, brand)
    except NotVisible as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    key = connection.execute(select(t.brands.c.key).where(t.brands.c.id == brand_id)).scalar_one()
    return key, brand_id


def _require(viewer: Viewer, roles, action: str) -> None:
    try:
        require_role(viewer, roles, action)
    except NotPermitted as error:
        raise HTTPException(status_code=403, detail=str(error)) from error


@router.get("/cases/{brand}/{case}", response_class=HTMLResponse)
def case_page(request: Request, brand: str, case: str, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
              error: str | None = None):
    try:
        row = sla.find_visible_case(connection, viewer, brand, case)
    except NotVisible as error:
        raise HTTPException(status_code=404, detail="case not found") from error
    detail = browse.get_case(connection, viewer, brand, case)
    visible = handoff.visible_interaction_ids(connection, viewer, case_id=row["id"])
    packets = handoff.case_handoff_packets(connection, viewer, case_id=row["id"], visible_interaction_ids=visible)
    clocks = sla.case_sla(connection, row, at=datetime.now(UTC))
    may_hand_off = viewer.role in ola.HANDOFF_ROLES
    teams = ola.brand_team_keys(connection, brand_id=row["brand_id"]) if may_hand_off else []
    return _render(request, "ops_case.html", viewer, case=detail, packets=packets, sla=clocks, teams=teams,
                   may_hand_off=may_hand_off, error=error)


@router.post("/cases/{brand}/{case}/handoffs")
def hand_off_case(brand: str, case: str, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                  to_team: str = Form(...), note: str = Form("")):
    """Hand the case to another team from its page; the handing team is the case's last agent's."""
    return run_form_action(
        lambda: ola.hand_off_case(connection, viewer, sla.find_visible_case(connection, viewer, brand, case),
                                  to_team=to_team, from_team=None, note=note, now=datetime.now(UTC)),
        back_to=f"/cases/{brand}/{case}")


@router.post("/cases/{brand}/{case}/handoffs/{handoff_id}/reply")
def answer_handoff(brand: str, case: str, handoff_id: int, connection: ConnectionDep,
                   viewer: Viewer = Depends(page_viewer)):
    """The owing team answered: its OLA clock stops now."""
    return run_form_action(
        lambda: ola.reply_to_handoff(connection, viewer, sla.find_visible_case(connection, viewer, brand, case),
                                     handoff_id=handoff_id, now=datetime.now(UTC)),
        back_to=f"/cases/{brand}/{case}")


@router.get("/sla", response_class=HTMLResponse)
def sla_queue_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                   brand: str | None = None, breached: bool = False):
    _require(viewer, QUEUE_READERS, "read the SLA queue")
    key, brand_id = _page_brand(connection, viewer, brand or None)
    items = sla.sla_queue(connection, viewer, brand_id=brand_id, at=datetime.now(UTC))
    counts = {state: sum(1 for item in items if item["worst_state"] == state) for state in ("breached", "at_risk", "ok")}
    if breached:
        items = [item for item in items if item["worst_state"] == "breached"]
    return _render(request, "ops_sla_queue.html", viewer, brand=key, items=items, counts=counts,
                   breached_only=breached, brands=_brand_choices(connection, viewer))


@router.get("/workforce", response_class=HTMLResponse)
def workforce_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                   brand: str | None = None, days: Annotated[int, Query(ge=1)] = 28,
                   thresholds: WellbeingThresholds = Depends(wellbeing_thresholds)):
    _require(viewer, SUPERVISING, "read workforce wellbeing")
    key, brand_id = _page_brand(connection, viewer, brand or None)
    end = datetime.now(UTC).date()
    report = workforce.wellbeing_report(connection, viewer, brand_id=brand_id, start=end - timedelta(days=days - 1),
                                        end=end, thresholds=thresholds, hours=workforce.BusinessHours(),
                                        now=datetime.now(UTC))
    recognition = workforce.recognition_feed(connection, viewer, brand_id=brand_id,
                                             since=datetime.now(UTC) - timedelta(days=30), limit=10)
    period = enps.period_of(datetime.now(UTC))
    pulse = enps.enps_results(connection, viewer, brand_id=brand_id, period=period)
    return _render(request, "ops_workforce.html", viewer, brand=key, report=report, recognition=recognition,
                   pulse=pulse, period=period, days=days, brands=_brand_choices(connection, viewer))


@router.get("/workforce/agents/{agent}", response_class=HTMLResponse)
def agent_page(request: Request, agent: str, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
               brand: str | None = None, days: Annotated[int, Query(ge=1)] = 28,
               thresholds: WellbeingThresholds = Depends(wellbeing_thresholds), error: str | None = None):
    _require(viewer, PROFILE_READERS, "read an agent's workforce profile")
    key, brand_id = _page_brand(connection, viewer, brand or None)
    end = datetime.now(UTC).date()
    with page_errors():
        profile = workforce.agent_profile(connection, viewer, brand_id=brand_id, agent_external_id=agent,
                                          start=end - timedelta(days=days - 1), end=end, thresholds=thresholds,
                                          hours=workforce.BusinessHours(), now=datetime.now(UTC))
    may_log_break = viewer.role in breaks.SCHEDULERS or viewer.agent_id is not None
    return _render(request, "ops_agent.html", viewer, brand=key, profile=profile, days=days, error=error,
                   may_log_break=may_log_break)


@router.post("/workforce/agents/{agent}/breaks")
def log_break(agent: str, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer), brand: str = Form(...),
              started: str = Form(...), minutes: int = Form(...), days: int = Form(28)):
    """A supervisor (or the agent) logs a break taken, in the agent's local time."""
    key, brand_id = _page_brand(connection, viewer, brand)

    def record() -> None:
        record = breaks.find_break_agent(connection, viewer, brand_id=brand_id, agent_external_id=agent)
        breaks.record_break_at_local_time(connection, viewer, record, started=started, minutes=minutes,
                                          now=datetime.now(UTC))
    return run_form_action(record, back_to=f"/workforce/agents/{agent}?{urlencode({'brand': key, 'days': days})}")


@router.get("/customers/duplicates", response_class=HTMLResponse)
def duplicates_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                    brand: str | None = None, error: str | None = None):
    _require(viewer, customer_matching.SUGGESTION_ROLES, "read suggested duplicate customers")
    key, brand_id = _page_brand(connection, viewer, brand or None)
    with page_errors():
        pairs = customer_matching.suggest_duplicate_customers(connection, viewer, brand_id=brand_id,
                                                              keyring=request.app.state.keyring, now=datetime.now(UTC))
        merges = customer_merge.list_merges(connection, viewer, brand_id=brand_id)
        dismissals = customer_matching.list_dismissals(connection, brand_id=brand_id)
    return _render(request, "ops_duplicates.html", viewer, brand=key, pairs=pairs, merges=merges,
                   dismissals=dismissals, error=error, brands=_brand_choices(connection, viewer))


@router.post("/customers/duplicates/merge")
def confirm_duplicate(connection: ConnectionDep, viewer: Viewer = Depends(page_viewer), brand: str = Form(...),
                      keep: str = Form(...), merged: str = Form(...), reason: str = Form(...)):
    """The supervisor's confirmation: the audited, reversible merge, with the reason they give."""
    key, brand_id = _page_brand(connection, viewer, brand)
    return run_form_action(
        lambda: customer_merge.merge_customers(connection, viewer, brand_id=brand_id, keep=keep, merged=merged,
                                               reason=reason, now=datetime.now(UTC)),
        back_to=f"/customers/duplicates?brand={key}")


@router.post("/customers/duplicates/dismiss")
def dismiss_duplicate(connection: ConnectionDep, viewer: Viewer = Depends(page_viewer), brand: str = Form(...),
                      first: str = Form(...), second: str = Form(...), reason: str = Form(...)):
    """The supervisor's judgement that a suggested pair is two people: not suggested again."""
    key, brand_id = _page_brand(connection, viewer, brand)
    return run_form_action(
        lambda: customer_matching.dismiss_duplicate(connection, viewer, brand_id=brand_id, first=first, second=second,
                                                    reason=reason, now=datetime.now(UTC)),
        back_to=f"/customers/duplicates?brand={key}")


@router.post("/customers/duplicates/dismissals/{dismissal_id}/undo")
def undo_dismissal(dismissal_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                   brand: str = Form(...)):
    key, brand_id = _page_brand(connection, viewer, brand)
    return run_form_action(
        lambda: customer_matching.undo_dismissal(connection, viewer, brand_id=brand_id, dismissal_id=dismissal_id,
                                                 now=datetime.now(UTC)),
        back_to=f"/customers/duplicates?brand={key}")


@router.get("/staffing", response_class=HTMLResponse)
def staffing_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                  brand: str | None = None):
    _require(viewer, SUPERVISING, "read staffing")
    key, brand_id = _page_brand(connection, viewer, brand or None)
    now = datetime.now(UTC)
    staffing = workforce.staffing_report(connection, viewer, brand_id=brand_id, at=now, target=workforce.StaffingTarget())
    week_start = datetime.combine(now.date() - timedelta(days=now.weekday()), time.min, tzinfo=UTC)
    coverage = workforce.coverage_report(connection, viewer, brand_id=brand_id, week_start=week_start)
    return _render(request, "ops_staffing.html", viewer, brand=key, staffing=staffing, coverage=coverage,
                   brands=_brand_choices(connection, viewer))


def _brand_choices(connection, viewer: Viewer) -> list[str]:
    if not viewer.is_admin:
        return []
    return list(connection.execute(select(t.brands.c.key).order_by(t.brands.c.key)).scalars())
