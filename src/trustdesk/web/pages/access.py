"""Pages: break-glass flags and the incident register for privacy officers; the customer's transparency page."""
from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from trustdesk.core.model import Role
from trustdesk.core.privacy.incidents import IncidentKind
from trustdesk.services import consent, customer_view, dsar, incidents, transparency
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep
from trustdesk.web.pages.routes import page_viewer, templates

router = APIRouter(include_in_schema=False)
PRIVACY_ROLES = {Role.ADMIN, Role.PRIVACY_OFFICER}


def _privacy_viewer(viewer: Viewer = Depends(page_viewer)) -> Viewer:
    if viewer.role not in PRIVACY_ROLES:
        raise HTTPException(status_code=403, detail="for privacy officers and administrators")
    return viewer


@router.get("/privacy/break-glass", response_class=HTMLResponse)
def break_glass_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_privacy_viewer)):
    flags = customer_view.list_break_glass_flags(connection, viewer)
    return templates.TemplateResponse(request, "access_break_glass.html", {"viewer": viewer, "flags": flags})


@router.post("/privacy/break-glass/{flag_id}/review")
def review_break_glass(flag_id: int, connection: ConnectionDep, viewer: Viewer = Depends(_privacy_viewer)):
    if not customer_view.review_break_glass_flag(connection, viewer, flag_id, now=datetime.now(timezone.utc)):
        raise HTTPException(status_code=404, detail="break-glass flag not found")
    return RedirectResponse("/privacy/break-glass", status_code=303)


@router.get("/privacy/incidents", response_class=HTMLResponse)
def incidents_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_privacy_viewer),
                   error: str | None = None):
    items = incidents.list_incidents(connection, viewer, now=datetime.now(timezone.utc))
    return templates.TemplateResponse(request, "access_incidents.html", {
        "viewer": viewer, "incidents": items, "brands": incidents.reportable_brands(connection, viewer),
        "kinds": [kind.value for kind in IncidentKind], "error": error})


def _back_with_error(url: str, error: incidents.IncidentInputError) -> RedirectResponse:
    return RedirectResponse(f"{url}?{urlencode({'error': str(error)})}", status_code=303)


def _form_time(value: str, field: str) -> datetime:
    """A ``datetime-local`` form value, read as UTC (the page labels the field so)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise incidents.IncidentInputError(field, f"{value!r} is not a date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _form_day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise incidents.IncidentInputError(field, f"{value!r} is not a date") from None


@router.post("/privacy/incidents")
def open_incident(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_privacy_viewer),
                  brand: str = Form(...), kind: str = Form(...), description: str = Form(...),
                  discovered_at: str = Form(...), date_from: str = Form(...), date_to: str = Form(...),
                  vendor: str = Form("")):
    try:
        affected = incidents.AffectedQuery(_form_day(date_from, "affected.date_from"),
                                           _form_day(date_to, "affected.date_to"), vendor.strip() or None)
        created = incidents.create_incident(
            connection, viewer, brand_key=brand, kind=kind, description=description,
            discovered_at=_form_time(discovered_at, "discovered_at"), affected=affected,
            now=datetime.now(timezone.utc), origin=_origin(request))
    except incidents.IncidentInputError as error:
        return _back_with_error("/privacy/incidents", error)
    if created is None:
        raise HTTPException(status_code=404, detail="brand not found")
    return RedirectResponse(f"/privacy/incidents/{created['id']}", status_code=303)


@router.get("/privacy/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: int, connection: ConnectionDep, viewer: Viewer = Depends(_privacy_viewer),
                  error: str | None = None):
    found = incidents.get_incident(connection, viewer, incident_id, now=datetime.now(timezone.utc))
    if found is None:
        raise HTTPException(status_code=404, detail="incident not found")
    return templates.TemplateResponse(request, "access_incident.html", {"viewer": viewer, "incident": found,
                                                                         "error": error})


@router.post("/privacy/incidents/{incident_id}/notification")
def incident_notification(request: Request, incident_id: int, connection: ConnectionDep,
                          viewer: Viewer = Depends(_privacy_viewer), status: str = Form(...),
                          notified_at: str = Form(""), reason: str = Form("")):
    back = f"/privacy/incidents/{incident_id}"
    try:
        updated = incidents.update_notification(
            connection, viewer, incident_id, status=status,
            at=_form_time(notified_at, "at") if notified_at.strip() else None, reason=reason.strip() or None,
            now=datetime.now(timezone.utc), origin=_origin(request))
    except incidents.IncidentInputError as error:
        return _back_with_error(back, error)
    if updated is None:
        raise HTTPException(status_code=404, detail="incident not found")
    return RedirectResponse(back, status_code=303)


def _link_subject(request: Request, token: str) -> transparency.LinkSubject:
    try:
        return transparency.read_link_token(token, secret=request.app.state.secret_key, now=datetime.now(timezone.utc))
    except transparency.LinkExpired as error:
        raise HTTPException(status_code=410, detail=str(error)) from error
    except transparency.LinkInvalid as error:
        raise HTTPException(status_code=404, detail=str(error)) from error


def _origin(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/transparency/{token}", response_class=HTMLResponse)
def transparency_page(request: Request, token: str, connection: ConnectionDep, notice: str | None = None):
    try:
        subject = _link_subject(request, token)
    except HTTPException as error:
        return templates.TemplateResponse(request, "transparency_error.html", {"viewer": None, "message": error.detail},
                                          status_code=error.status_code)
    summary = transparency.transparency_summary(connection, subject, now=datetime.now(timezone.utc))
    if summary is None:
        return templates.TemplateResponse(request, "transparency_error.html",
                                          {"viewer": None, "message": "We hold no data about you any more."}, status_code=404)
    return templates.TemplateResponse(request, "transparency_page.html",
                                      {"viewer": None, "summary": summary, "token": token, "notice": notice})


@router.post("/transparency/{token}/consent")
def transparency_consent(request: Request, token: str, connection: ConnectionDep,
                         purpose: str = Form(...), allowed: bool = Form(...)):
    subject = _link_subject(request, token)
    try:
        recorded = transparency.set_customer_consent(connection, subject, purpose=purpose, allowed=allowed,
                                                     now=datetime.now(timezone.utc), origin=_origin(request))
    except consent.ConsentInputError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    if not recorded:
        raise HTTPException(status_code=404, detail="customer not found")
    return RedirectResponse(f"/transparency/{token}?notice=consent", status_code=303)


@router.post("/transparency/{token}/request")
def transparency_request(request: Request, token: str, connection: ConnectionDep, kind: str = Form(...)):
    subject = _link_subject(request, token)
    try:
        opened = transparency.request_from_customer(connection, subject, kind=kind, now=datetime.now(timezone.utc),
                                                    origin=_origin(request))
    except dsar.DsarInputError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    if opened is None:
        raise HTTPException(status_code=404, detail="customer not found")
    return RedirectResponse(f"/transparency/{token}?notice={kind}", status_code=303)
