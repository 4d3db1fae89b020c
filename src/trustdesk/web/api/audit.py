"""``/api/v1/audit``: browse, export, verify and prove the audit trail (auditors, privacy officers, admins)."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from trustdesk.core.privacy.audit_proof import tree_head_to_dict
from trustdesk.services import audit
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep, CurrentViewer

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
CSV_COLUMNS = ("entry_id", "at", "user", "role", "event_type", "success", "origin", "resource", "customer", "fields",
               "purpose", "case", "reason", "entry_hash")


def require_audit_reader(viewer: Viewer) -> int | None:
    """The brand whose entries the viewer may read (None: all brands, for administrators)."""
    if viewer.role.value not in audit.AUDIT_READER_ROLES or viewer.vendor_id is not None:
        raise HTTPException(status_code=403, detail="the audit trail is for auditors, privacy officers and administrators")
    return None if viewer.is_admin else viewer.brand_id


@router.get("/entries")
def entries(connection: ConnectionDep, viewer: CurrentViewer, page: int = 1, page_size: int = 100):
    brand_id = require_audit_reader(viewer)
    return {"items": audit.list_audit_entries(connection, brand_id=brand_id, page=page, page_size=page_size)}


@router.get("/entries.csv")
def entries_csv(connection: ConnectionDep, viewer: CurrentViewer, page: int = 1, page_size: int = audit.MAX_AUDIT_PAGE):
    brand_id = require_audit_reader(viewer)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for item in audit.list_audit_entries(connection, brand_id=brand_id, page=page, page_size=page_size):
        writer.writerow({**item, "fields": " ".join(item["fields"])})
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="audit-entries.csv"'})


@router.get("/verify")
def verify(request: Request, connection: ConnectionDep, viewer: CurrentViewer):
    """The whole log's integrity: the first broken entry, or intact."""
    require_audit_reader(viewer)
    report = audit.verify_audit_log(connection, public_key=audit.audit_public_key(request.app.state.audit_signing_key))
    return {
        "intact": report.is_intact,
        "entries": report.entries,
        "first_broken_entry": report.chain_break.entry_id if report.chain_break else None,
        "problem": report.chain_break.describe() if report.chain_break else (
            f"log does not match signed tree head of size {report.broken_tree_head}" if report.broken_tree_head else None),
    }


@router.post("/tree-head")
def tree_head(request: Request, connection: ConnectionDep, viewer: CurrentViewer):
    """Sign and publish the current tree head (exportable for an outside auditor, with the public key)."""
    require_audit_reader(viewer)
    key = request.app.state.audit_signing_key
    signed = audit.sign_current_tree_head(connection, signing_key=key, now=datetime.now(timezone.utc))
    return {**tree_head_to_dict(signed), "public_key": audit.audit_public_key(key).hex()}


@router.get("/entries/{entry_id}/proof")
def proof(entry_id: int, request: Request, connection: ConnectionDep, viewer: CurrentViewer):
    """An inclusion proof of one entry that verifies offline."""
    brand_id = require_audit_reader(viewer)
    visible = audit.audit_entry_brand(connection, entry_id)
    if visible is audit.NO_SUCH_ENTRY or (brand_id is not None and visible != brand_id):
        raise HTTPException(status_code=404, detail="audit entry not found")
    document = audit.prove_audit_entry(connection, entry_id, signing_key=request.app.state.audit_signing_key,
                                       now=datetime.now(timezone.utc))
    return json.loads(document)
