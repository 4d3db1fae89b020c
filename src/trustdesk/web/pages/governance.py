"""Vendor governance pages: the registry with document alerts, one vendor's record and checklist, audits."""
from __future__ import annotations

from datetime import date, datetime, timezone

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from trustdesk.services import audits, governance
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import is_brand_side
from trustdesk.web.deps import ConnectionDep
from trustdesk.web.pages.page_actions import page_errors, run_form_action
from trustdesk.web.pages.routes import page_viewer, templates

router = APIRouter(include_in_schema=False)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _render(request: Request, name: str, viewer: Viewer, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"viewer": viewer, "error": request.query_params.get("error"), **context})


@router.get("/vendors", response_class=HTMLResponse)
def registry_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                  brand: str | None = None, within_days: int = 30):
    with page_errors():
        registry = governance.list_registry(connection, viewer, brand_key=brand or None, today=_now().date(),
                                            within_days=within_days)
    alerts = sorted((a for entry in registry for a in entry["alerts"]), key=lambda a: (a["days_left"], a["vendor"]))
    return _render(request, "governance_registry.html", viewer, registry=registry, alerts=alerts, within_days=within_days,
                   brand=brand or "")


@router.get("/vendors/audits", response_class=HTMLResponse)
def audits_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer)):
    with page_errors():
        items = audits.list_audits(connection, viewer, today=_now().date())
    can_plan = viewer.role in audits.AUDITORS and is_brand_side(viewer)
    return _render(request, "governance_audits.html", viewer, audits=items, can_plan=can_plan, today=_now().date())


@router.post("/vendors/audits")
def plan_audit(connection: ConnectionDep, viewer: Viewer = Depends(page_viewer), title: str = Form(...),
               period_from: date = Form(...), period_to: date = Form(...), vendor: str = Form(""),
               confidence: float = Form(0.95), margin: float = Form(0.05), brand: str = Form("")):
    return run_form_action(lambda: audits.create_audit(
        connection, viewer, brand_key=brand or None, vendor_key=vendor or None, title=title, period_from=period_from,
        period_to=period_to, confidence=confidence, margin=margin, seed=None, now=_now()), back_to="/vendors/audits")


@router.get("/vendors/audits/{audit_id}", response_class=HTMLResponse)
def audit_page(request: Request, audit_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer)):
    with page_errors():
        audit = audits.get_audit(connection, viewer, audit_id, today=_now().date())
    is_audit_side = viewer.role in audits.AUDITORS and is_brand_side(viewer)
    return _render(request, "governance_audit.html", viewer, audit=audit, is_audit_side=is_audit_side, today=_now().date())


@router.post("/vendors/audits/{audit_id}/findings")
def add_finding(audit_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer), severity: str = Form(...),
                title: str = Form(...), detail: str = Form(""), interaction_id: str = Form("")):
    return run_form_action(lambda: audits.add_finding(
        connection, viewer, audit_id, interaction_id=int(interaction_id) if interaction_id.isdigit() else None,
        severity=severity, title=title, detail=detail, now=_now()), back_to=f"/vendors/audits/{audit_id}")


@router.post("/vendors/audits/{audit_id}/findings/{finding_id}/actions")
def add_action(audit_id: int, finding_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
               description: str = Form(...), owner: str = Form(...), due_on: date = Form(...)):
    return run_form_action(lambda: audits.add_corrective_action(
        connection, viewer, finding_id, description=description, owner=owner, due_on=due_on, now=_now()),
        back_to=f"/vendors/audits/{audit_id}")


@router.post("/vendors/audits/{audit_id}/actions/{action_id}")
def update_action(audit_id: int, action_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                  status: str = Form(...), note: str = Form("")):
    return run_form_action(lambda: audits.update_corrective_action(
        connection, viewer, action_id, status=status, note=note, now=_now()), back_to=f"/vendors/audits/{audit_id}")


@router.get("/vendors/{vendor}", response_class=HTMLResponse)
def vendor_page(request: Request, vendor: str, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                brand: str | None = None):
    with page_errors():
        entry = governance.get_registration(connection, viewer, brand_key=brand or None, vendor_key=vendor, today=_now().date())
        checklist = governance.get_checklist(connection, viewer, brand_key=brand or None, vendor_key=vendor)
    statuses = [s.value for s in governance.ChecklistStatus] if is_brand_side(viewer) else \
        [s.value for s in governance.VENDOR_CHECKLIST_STATUSES]
    return _render(request, "governance_vendor.html", viewer, entry=entry, checklist=checklist, statuses=sorted(statuses),
                   can_edit=viewer.role in governance.CHECKLIST_EDITORS, brand=brand or "")


@router.post("/vendors/{vendor}/checklist/{item}")
def update_checklist(vendor: str, item: str, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
                     status: str = Form(...), evidence: str = Form(""), brand: str = Form("")):
    back_to = f"/vendors/{vendor}" + (f"?brand={brand}" if brand else "")
    return run_form_action(lambda: governance.update_checklist_item(
        connection, viewer, brand_key=brand or None, vendor_key=vendor, item_key=item, status=status, evidence=evidence,
        now=_now()), back_to=back_to)
