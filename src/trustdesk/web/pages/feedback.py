"""Closed-loop pages: follow-up tasks with status, complaints (list, capture, lifecycle), customers at risk."""
from __future__ import annotations

from datetime import date, datetime, timezone

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from trustdesk.services import complaints, customer_signals, follow_ups
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep
from trustdesk.web.pages.page_actions import page_errors, run_form_action
from trustdesk.web.pages.routes import _parse_date, page_viewer, templates

router = APIRouter(include_in_schema=False)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _render(request: Request, name: str, viewer: Viewer, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"viewer": viewer, "error": request.query_params.get("error"), **context})


@router.get("/feedback/follow-ups", response_class=HTMLResponse)
def follow_ups_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer), status: str = ""):
    with page_errors():
        tasks = follow_ups.list_follow_ups(connection, viewer, status=status or None, now=_now())
    return _render(request, "survey_follow_ups.html", viewer, tasks=tasks, status=status,
                   can_work=viewer.role in follow_ups.TASK_WORKERS)


@router.post("/feedback/follow-ups/{task_id}")
def update_follow_up(task_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                     status: str = Form(...), note: str = Form("")):
    return run_form_action(lambda: follow_ups.update_follow_up(connection, viewer, task_id, status=status, note=note, now=_now()),
                           back_to="/feedback/follow-ups")


@router.get("/feedback/complaints", response_class=HTMLResponse)
def complaints_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer), status: str = ""):
    with page_errors():
        items = complaints.list_complaints(connection, viewer, status=status or None)
    return _render(request, "survey_complaints.html", viewer, complaints=items, status=status,
                   categories=complaints.CATEGORIES, can_write=viewer.role in complaints.COMPLAINT_WRITERS,
                   transitions={s.value: sorted(t.value for t in targets) for s, targets in complaints.TRANSITIONS.items()})


@router.post("/feedback/complaints")
def create_complaint(connection: ConnectionDep, viewer: Viewer = Depends(page_viewer), channel: str = Form(...),
                     category: str = Form(...), summary: str = Form(...), vendor: str = Form(""),
                     interaction_id: str = Form(""), brand: str = Form("")):
    return run_form_action(lambda: complaints.create_complaint(
        connection, viewer, brand_key=brand or None, interaction_id=int(interaction_id) if interaction_id.isdigit() else None,
        vendor_key=vendor or None, channel=channel, category=category, summary=summary, received_at=None, now=_now()),
        back_to="/feedback/complaints")


@router.post("/feedback/complaints/{complaint_id}")
def update_complaint(complaint_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                     status: str = Form(...), resolution: str = Form("")):
    return run_form_action(lambda: complaints.update_complaint(
        connection, viewer, complaint_id, status=status, resolution=resolution, now=_now()), back_to="/feedback/complaints")


@router.get("/feedback/customers", response_class=HTMLResponse)
def customers_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                   brand: str = "", date_from: str = "", date_to: str = "", level: str = "medium"):
    period_from: date | None = _parse_date(date_from or None)
    period_to: date | None = _parse_date(date_to or None)
    if level not in ("low", "medium", "high"):
        level = "medium"
    with page_errors():
        signals = [] if viewer.is_admin and not brand else customer_signals.list_customer_signals(
            connection, viewer, brand_key=brand or None, date_from=period_from, date_to=period_to, min_level=level,
            limit=200, now=_now())
    return _render(request, "survey_customers.html", viewer, signals=signals, brand=brand, date_from=date_from,
                   date_to=date_to, level=level)
