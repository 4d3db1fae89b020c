"""Complaints as their own record (KPI-3): captured by staff, worked through a lifecycle, each one opening a
follow-up task for the supervisors of the vendor that handled the customer."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from trustdesk.core.model import Channel, Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.privacy.redaction import detect_entities, redact_text
from trustdesk.services import follow_ups
from trustdesk.services.audit import record_write
from trustdesk.services.feedback import follow_up_business_days
from trustdesk.services.scope import Viewer, scope_interactions, scope_vendor_records
from trustdesk.services.tenancy import (
    Conflict,
    FieldError,
    NotVisible,
    iso,
    require_role,
    vendor_id_by_key,
    visible_brand_id,
)
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import complaints

COMPLAINT_READERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR, Role.QA_ANALYST, Role.AUDITOR}
COMPLAINT_WRITERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR}
CATEGORIES = ("service", "billing", "product", "privacy", "agent_conduct", "accessibility", "other")
MAX_SUMMARY_CHARS = 4_000


class ComplaintStatus(str, enum.Enum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    RESOLVED = "resolved"
    CLOSED = "closed"


# Resolved may be reopened when the customer comes back; closed is final.
TRANSITIONS = {
    ComplaintStatus.OPEN: {ComplaintStatus.INVESTIGATING, ComplaintStatus.RESOLVED},
    ComplaintStatus.INVESTIGATING: {ComplaintStatus.RESOLVED},
    ComplaintStatus.RESOLVED: {ComplaintStatus.INVESTIGATING, ComplaintStatus.CLOSED},
    ComplaintStatus.CLOSED: set(),
}


def _redacted(text: str) -> str:
    return redact_text(text, detect_entities(text))


def create_complaint(
    connection: Connection,
    viewer: Viewer,
    *,
    brand_key: str | None,
    interaction_id: int | None,
    vendor_key: str | None,
    channel: str,
    category: str,
    summary: str,
    received_at: datetime | None,
    now: datetime,
) -> dict:
    """Record a complaint (about one interaction, or about a vendor) and open its follow-up task."""
    require_role(viewer, COMPLAINT_WRITERS, "record complaints")
    brand_id = visible_brand_id(connection, viewer, brand_key, path="$.brand")
    customer_id = vendor_id = None
    if interaction_id is not None:
        row = connection.execute(
            scope_interactions(select(t.interactions.c.vendor_id, t.interactions.c.customer_id, t.interactions.c.brand_id), viewer)
            .where(t.interactions.c.id == interaction_id)
        ).first()
        if row is None or row.brand_id != brand_id:
            raise FieldError("$.interaction_id", f"interaction {interaction_id} not found")
        vendor_id, customer_id = row.vendor_id, row.customer_id
    elif vendor_key is not None:
        vendor_id = vendor_id_by_key(connection, vendor_key, path="$.vendor")
    elif viewer.vendor_id is not None:
        vendor_id = viewer.vendor_id
    else:
        raise FieldError("$.vendor", "name the interaction or the vendor the complaint is about")
    if not viewer.is_admin and viewer.vendor_id is not None and vendor_id != viewer.vendor_id:
        raise FieldError("$.vendor", "vendor staff record complaints about their own vendor only")
    if channel not in {c.value for c in Channel}:
        raise FieldError("$.channel", f"channel {channel!r} is not one of voice, chat, email, social")
    if category not in CATEGORIES:
        raise FieldError("$.category", f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    summary = summary.strip()
    if not summary or len(summary) > MAX_SUMMARY_CHARS:
        raise FieldError("$.summary", f"summary must be 1-{MAX_SUMMARY_CHARS} characters")
    received_at = received_at or now
    if received_at > now:
        raise FieldError("$.received_at", "received_at lies in the future")
    summary = _redacted(summary)
    complaint_id = connection.execute(insert(complaints).values(
        brand_id=brand_id, vendor_id=vendor_id, interaction_id=interaction_id, customer_id=customer_id, channel=channel,
        category=category, summary=summary, status=ComplaintStatus.OPEN.value, created_by=viewer.user_id,
        received_at=received_at,
    ).returning(complaints.c.id)).scalar_one()
    follow_ups.open_follow_up(
        connection, brand_id=brand_id, vendor_id=vendor_id, interaction_id=interaction_id, complaint_id=complaint_id,
        reason=follow_ups.FollowUpReason.COMPLAINT, detail=f"Complaint ({category}): {summary}",
        business_days=follow_up_business_days(connection, brand_id, now=now), now=now,
    )
    record_write(connection, viewer, event_type=AuditEventType.COMPLAINT_CHANGE, at=now, brand_id=brand_id,
                 resource=f"complaint:{complaint_id}", reason=f"complaint recorded ({category}), follow-up opened")
    return get_complaint(connection, viewer, complaint_id)


def _complaint_query(viewer: Viewer):
    query = (
        select(complaints, t.brands.c.key.label("brand"), t.vendors.c.key.label("vendor"),
               t.interactions.c.external_id.label("interaction"), t.customers.c.external_id.label("customer"))
        .join(t.brands, t.brands.c.id == complaints.c.brand_id)
        .outerjoin(t.vendors, t.vendors.c.id == complaints.c.vendor_id)
        .outerjoin(t.interactions, t.interactions.c.id == complaints.c.interaction_id)
        .outerjoin(t.customers, t.customers.c.id == complaints.c.customer_id)
    )
    return scope_vendor_records(query, complaints, viewer)


def _complaint(row) -> dict:
    return {
        "id": row.id, "brand": row.brand, "vendor": row.vendor, "interaction_id": row.interaction_id,
        "interaction": row.interaction, "customer": row.customer, "channel": row.channel, "category": row.category,
        "summary": row.summary, "status": row.status, "resolution": row.resolution,
        "received_at": iso(row.received_at), "resolved_at": iso(row.resolved_at),
    }


def list_complaints(connection: Connection, viewer: Viewer, *, status: str | None = None) -> list[dict]:
    require_role(viewer, COMPLAINT_READERS, "see complaints")
    query = _complaint_query(viewer)
    if status is not None:
        query = query.where(complaints.c.status == _status(status, path="status").value)
    return [_complaint(row) for row in connection.execute(query.order_by(complaints.c.received_at.desc(), complaints.c.id.desc()))]


def get_complaint(connection: Connection, viewer: Viewer, complaint_id: int) -> dict:
    require_role(viewer, COMPLAINT_READERS, "see complaints")
    row = connection.execute(_complaint_query(viewer).where(complaints.c.id == complaint_id)).first()
    if row is None:
        raise NotVisible("complaint not found")
    return _complaint(row)


def update_complaint(
    connection: Connection, viewer: Viewer, complaint_id: int, *, status: str, resolution: str | None, now: datetime
) -> dict:
    """Move a complaint along its lifecycle; resolving it needs the resolution given to the customer."""
    require_role(viewer, COMPLAINT_WRITERS, "work on complaints")
    current = get_complaint(connection, viewer, complaint_id)
    old, new = ComplaintStatus(current["status"]), _status(status, path="$.status")
    if new not in TRANSITIONS[old]:
        raise Conflict(f"a {old.value} complaint cannot become {new.value}")
    resolution = (resolution or "").strip() or None
    values: dict = {"status": new.value}
    if new is ComplaintStatus.RESOLVED:
        if resolution is None:
            raise FieldError("$.resolution", "say how the complaint was resolved")
        values.update(resolution=_redacted(resolution), resolved_at=now)
    elif new is ComplaintStatus.INVESTIGATING:
        values["resolved_at"] = None
    connection.execute(update(complaints).where(complaints.c.id == complaint_id).values(**values))
    brand_id = connection.execute(select(complaints.c.brand_id).where(complaints.c.id == complaint_id)).scalar_one()
    record_write(connection, viewer, event_type=AuditEventType.COMPLAINT_CHANGE, at=now, brand_id=brand_id,
                 resource=f"complaint:{complaint_id}", reason=f"status {old.value} -> {new.value}")
    return get_complaint(connection, viewer, complaint_id)


def _status(value: str, *, path: str) -> ComplaintStatus:
    try:
        return ComplaintStatus(value)
    except ValueError as error:
        raise FieldError(path, f"status {value!r} is not one of open, investigating, resolved, closed") from error
