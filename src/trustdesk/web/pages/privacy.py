"""The privacy officer's pages: data-subject requests (overdue first) and a customer's readable data export."""
from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from trustdesk.core.model import Role
from trustdesk.services import consent, dsar
from trustdesk.services.customer_export import export_customer
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep
from trustdesk.web.pages.routes import page_viewer, templates

router = APIRouter(include_in_schema=False)
DATA_SUBJECT_ROLES = {Role.ADMIN, Role.PRIVACY_OFFICER}


def _officer(viewer: Viewer = Depends(page_viewer)) -> Viewer:
    if viewer.role not in DATA_SUBJECT_ROLES:
        raise HTTPException(status_code=403, detail="data-subject requests are handled by privacy officers")
    return viewer


def _actor(request: Request, viewer: Viewer) -> dsar.Actor:
    return dsar.Actor(name=viewer.username, role=viewer.role.value,
                      origin=request.client.host if request.client else "unknown")


def _render_requests(request: Request, connection, viewer: Viewer, *, error: str | None = None, status_code: int = 200):
    now = datetime.now(timezone.utc)
    items = dsar.list_requests(connection, visible_brand_id=None if viewer.is_admin else viewer.brand_id, now=now)
    overdue = [item for item in items if item["overdue"]]
    return templates.TemplateResponse(request, "privacy_requests.html", {
        "viewer": viewer, "overdue": overdue, "items": [item for item in items if not item["overdue"]],
        "error": error}, status_code=status_code)


@router.get("/privacy/requests", response_class=HTMLResponse)
def requests_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_officer)):
    return _render_requests(request, connection, viewer)


@router.post("/privacy/requests", response_class=HTMLResponse)
def receive_request(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_officer),
                    brand: str = Form(...), customer: str = Form(...), kind: str = Form(...)):
    found = consent.find_customer_for_viewer(connection, viewer, brand_key=brand.strip(),
                                             customer_external_id=customer.strip())
    if found is None:
        return _render_requests(request, connection, viewer, status_code=422,
                                error=f"Customer {customer!r} of brand {brand!r} was not found.")
    try:
        dsar.open_request(connection, found, kind=kind, changes=None, actor=_actor(request, viewer),
                          now=datetime.now(timezone.utc))
    except dsar.DsarInputError as error:
        return _render_requests(request, connection, viewer, error=str(error), status_code=422)
    return RedirectResponse("/privacy/requests", status_code=303)


@router.post("/privacy/requests/{request_id}", response_class=HTMLResponse)
def move_request(request_id: int, request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_officer),
                 state: str = Form(...), note: str = Form("")):
    try:
        moved = dsar.move_request(connection, request_id, target=state, note=note.strip() or None,
                                  actor=_actor(request, viewer), keyring=request.app.state.keyring,
                                  visible_brand_id=None if viewer.is_admin else viewer.brand_id,
                                  now=datetime.now(timezone.utc))
    except dsar.DsarInputError as error:
        return _render_requests(request, connection, viewer, error=str(error), status_code=422)
    if moved is None:
        raise HTTPException(status_code=404, detail="request not found")
    return RedirectResponse("/privacy/requests", status_code=303)


@router.get("/privacy/customers/{brand}/{customer_external_id}", response_class=HTMLResponse)
def customer_export_page(brand: str, customer_external_id: str, request: Request, connection: ConnectionDep,
                         viewer: Viewer = Depends(_officer)):
    """What a customer receives for an access request, readable (and printable); the view is audited."""
    found = consent.find_customer_for_viewer(connection, viewer, brand_key=brand,
                                             customer_external_id=customer_external_id)
    if found is None:
        raise HTTPException(status_code=404, detail="customer not found")
    document = export_customer(connection, found, keyring=request.app.state.keyring, actor=_actor(request, viewer),
                               now=datetime.now(timezone.utc))
    return templates.TemplateResponse(request, "privacy_customer.html", {"viewer": viewer, "doc": document})
