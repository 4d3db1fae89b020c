"""Incident register (PRV-9): incidents per brand, affected customers found by a query, the notification clock.

The affected customers are those with an interaction in the brand during the period (optionally by one
vendor); the query is stored with the incident so the list can be explained. Every change is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Connection, func, insert, select, update

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.privacy.incidents import (
    Incident,
    IncidentKind,
    NotificationStatus,
    notification_clock,
    record_notification,
    waive_notification,
)
from trustdesk.services.audit import record_audit_event
from trustdesk.services.brand_policy import policy_for_brand, visible_brand_id
from trustdesk.services.scope import Viewer
from trustdesk.storage import tables as t
from trustdesk.storage.access_tables import incident_customers, incidents
from trustdesk.storage.timestamps import as_utc, iso_utc


class IncidentInputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class AffectedQuery:
    """Customers with an interaction in [date_from, date_to] (whole UTC days), optionally by one vendor."""

    date_from: date
    date_to: date
    vendor: str | None = None

    def as_json(self) -> dict:
        return {"vendor": self.vendor, "date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}


def find_affected_customers(connection: Connection, brand_id: int, query: AffectedQuery) -> list[int]:
    """Ids of the brand's customers matching ``query``, in id order."""
    if query.date_to < query.date_from:
        raise IncidentInputError("affected.date_to", "is before date_from")
    statement = (
        select(t.interactions.c.customer_id).distinct()
        .where(t.interactions.c.brand_id == brand_id,
               t.interactions.c.started_at >= datetime.combine(query.date_from, time.min, tzinfo=timezone.utc),
               t.interactions.c.started_at < datetime.combine(query.date_to + timedelta(days=1), time.min, tzinfo=timezone.utc))
        .order_by(t.interactions.c.customer_id)
    )
    if query.vendor is not None:
        vendor_id = connection.execute(select(t.vendors.c.id).where(t.vendors.c.key == query.vendor)).scalar()
        if vendor_id is None:
            raise IncidentInputError("affected.vendor", f"vendor {query.vendor!r} does not exist")
        statement = statement.where(t.interactions.c.vendor_id == vendor_id)
    return list(connection.execute(statement).scalars())


def _domain(row) -> Incident:
    return Incident(
        incident_id=str(row.id), kind=IncidentKind(row.kind), discovered_at=as_utc(row.discovered_at),
        description=row.description, notification_hours=row.notification_hours,
        notification_status=NotificationStatus(row.notification_status), notified_at=as_utc(row.notified_at),
        status_reason=row.status_reason,
    )


def _summary(row, *, brand: str, affected_count: int, now: datetime) -> dict:
    incident = _domain(row)
    clock = notification_clock(incident, now=now)
    return {
        "id": row.id, "brand": brand, "kind": incident.kind.value, "description": incident.description,
        "discovered_at": iso_utc(incident.discovered_at), "notification_deadline": iso_utc(clock.deadline),
        "remaining_seconds": int(clock.remaining.total_seconds()), "overdue": clock.is_overdue,
        "notification_status": clock.status.value, "notified_at": iso_utc(incident.notified_at),
        "status_reason": incident.status_reason, "affected_query": row.affected_query,
        "affected_count": affected_count,
    }


def create_incident(
    connection: Connection, viewer: Viewer, *, brand_key: str, kind: str, description: str, discovered_at: datetime,
    affected: AffectedQuery, now: datetime, origin: str,
) -> dict | None:
    """Register an incident with its affected customers; None when the brand is outside the viewer's scope."""
    brand_id = visible_brand_id(connection, viewer, brand_key)
    if brand_id is None:
        return None
    try:
        incident_kind = IncidentKind(kind)
    except ValueError:
        raise IncidentInputError("kind", f"{kind!r} is not one of {', '.join(k.value for k in IncidentKind)}") from None
    if not description.strip():
        raise IncidentInputError("description", "describe what happened")
    discovered_at = as_utc(discovered_at)
    if discovered_at > now:
        raise IncidentInputError("discovered_at", "lies in the future")
    customer_ids = find_affected_customers(connection, brand_id, affected)
    incident_id = connection.execute(insert(incidents).values(
        brand_id=brand_id, kind=incident_kind.value, description=description.strip(), discovered_at=discovered_at,
        notification_hours=policy_for_brand(connection, brand_id).incident_notification_hours,
        notification_status=NotificationStatus.PENDING.value, affected_query=affected.as_json(),
        created_by=viewer.username, created_at=now,
    ).returning(incidents.c.id)).scalar_one()
    if customer_ids:
        connection.execute(insert(incident_customers), [{"incident_id": incident_id, "customer_id": c} for c in customer_ids])
    record_audit_event(connection, actor=viewer.username, role=viewer.role.value, event_type=AuditEventType.INCIDENT_CHANGE,
                       at=now, origin=origin, resource=f"incident:{brand_key}/{incident_id}", brand_id=brand_id,
                       reason=f"registered {incident_kind.value}; {len(customer_ids)} customer(s) affected")
    return get_incident(connection, viewer, incident_id, now=now)


def reportable_brands(connection: Connection, viewer: Viewer) -> list[str]:
    """Keys of the brands the viewer may register incidents for: their own, or every brand for administrators."""
    query = select(t.brands.c.key).order_by(t.brands.c.key)
    if not viewer.is_admin:
        query = query.where(t.brands.c.id == viewer.brand_id)
    return list(connection.execute(query).scalars())


def _scoped(viewer: Viewer):
    query = select(incidents, t.brands.c.key.label("brand")).join(t.brands, t.brands.c.id == incidents.c.brand_id)
    return query if viewer.is_admin else query.where(incidents.c.brand_id == viewer.brand_id)


def list_incidents(connection: Connection, viewer: Viewer, *, now: datetime) -> list[dict]:
    """The viewer's brand's incidents (administrators: all), most recently discovered first."""
    counts = dict(connection.execute(
        select(incident_customers.c.incident_id, func.count()).group_by(incident_customers.c.incident_id)).all())
    rows = connection.execute(_scoped(viewer).order_by(incidents.c.discovered_at.desc(), incidents.c.id.desc())).all()
    return [_summary(row, brand=row.brand, affected_count=counts.get(row.id, 0), now=now) for row in rows]


def get_incident(connection: Connection, viewer: Viewer, incident_id: int, *, now: datetime) -> dict | None:
    """One incident with its clock and the external ids of the affected customers."""
    row = connection.execute(_scoped(viewer).where(incidents.c.id == incident_id)).first()
    if row is None:
        return None
    customers = list(connection.execute(
        select(t.customers.c.external_id).join(incident_customers, incident_customers.c.customer_id == t.customers.c.id)
        .where(incident_customers.c.incident_id == incident_id).order_by(t.customers.c.external_id)).scalars())
    return {**_summary(row, brand=row.brand, affected_count=len(customers), now=now), "affected_customers": customers}


def update_notification(
    connection: Connection, viewer: Viewer, incident_id: int, *, status: str, at: datetime | None, reason: str | None,
    now: datetime, origin: str,
) -> dict | None:
    """Mark the incident notified (at ``at``) or not requiring notice (with ``reason``); None when not in scope."""
    row = connection.execute(_scoped(viewer).where(incidents.c.id == incident_id)).first()
    if row is None:
        return None
    incident = _domain(row)
    try:
        if status == NotificationStatus.NOTIFIED.value:
            updated = record_notification(incident, at=as_utc(at) or now)
        elif status == NotificationStatus.NOT_REQUIRED.value:
            updated = waive_notification(incident, reason=reason or "")
        else:
            raise IncidentInputError("status", f"{status!r} is not one of notified, not_required")
    except ValueError as error:
        if isinstance(error, IncidentInputError):
            raise
        raise IncidentInputError("reason" if status == NotificationStatus.NOT_REQUIRED.value else "at", str(error)) from None
    connection.execute(update(incidents).where(incidents.c.id == incident_id).values(
        notification_status=updated.notification_status.value, notified_at=updated.notified_at,
        status_reason=updated.status_reason or reason,
    ))
    record_audit_event(connection, actor=viewer.username, role=viewer.role.value, event_type=AuditEventType.INCIDENT_CHANGE,
                       at=now, origin=origin, resource=f"incident:{row.brand}/{incident_id}", brand_id=row.brand_id,
                       reason=f"notification {updated.notification_status.value}")
    return get_incident(connection, viewer, incident_id, now=now)
