"""The auditor's page: the audit trail newest first, its integrity, CSV export."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from trustdesk.services import audit
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep
from trustdesk.web.pages.routes import page_viewer, templates

router = APIRouter(include_in_schema=False)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer), page: int = 1):
    if viewer.role.value not in audit.AUDIT_READER_ROLES or viewer.vendor_id is not None:
        raise HTTPException(status_code=403, detail="the audit trail is for auditors, privacy officers and administrators")
    report = audit.verify_audit_log(connection, public_key=audit.audit_public_key(request.app.state.audit_signing_key))
    entries = audit.list_audit_entries(connection, brand_id=None if viewer.is_admin else viewer.brand_id, page=page)
    return templates.TemplateResponse(request, "audit.html", {"viewer": viewer, "entries": entries, "report": report, "page": page})
