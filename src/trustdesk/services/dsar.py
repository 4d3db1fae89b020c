"""Data-subject requests: receive, move through their lifecycle (completing one carries it out), list, export.

Every change is audited in the same transaction. The due date comes from the brand's privacy policy.
Completing an erasure request erases the customer; completing a rectification writes the corrected fields
(encrypted) and keeps only the names of the fields it changed.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.privacy.dsar import (
    DsarKind,
    DsarRequest,
    DsarState,
    InvalidTransition,
    is_overdue,
    receive_request,
    transition_request,
)
from trustdesk.services.audit import record_audit_event
from trustdesk.services.brand_policy import policy_for_brand
from trustdesk.services.consent import CustomerRef
from trustdesk.storage.timestamps import as_utc
from trustdesk.services.erasure import erase_customer
from trustdesk.services.customer_matching import CustomerFields, index_customers
from trustdesk.services.privacy_keys import Keyring, read_customer_record, write_customer_fields
from trustdesk.storage import tables as t
from trustdesk.storage.privacy_tables import dsar_requests

RECTIFIABLE_FIELDS = ("name", "email", "phone", "address", "date_of_birth", "account_number")
MAX_FIELD_LENGTH = 500


class DsarInputError(ValueError):
    """A request that cannot be recorded or moved; ``field`` names the bad input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Actor:
    """Who acts, in which role, from where: what every audit entry of a request records."""

    name: str
    role: str
    origin: str


def _check_changes(kind: DsarKind, changes: Mapping[str, object] | None) -> dict[str, str] | None:
    if kind is not DsarKind.RECTIFICATION:
        if changes:
            raise DsarInputError("changes", f"only a rectification request carries changes, not {kind.value}")
        return None
    if not changes:
        raise DsarInputError("changes", "a rectification names at least one corrected field")
    checked = {}
    for field, value in changes.items():
        if field not in RECTIFIABLE_FIELDS:
            raise DsarInputError(f"changes.{field}", f"not one of {', '.join(RECTIFIABLE_FIELDS)}")
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_FIELD_LENGTH:
            raise DsarInputError(f"changes.{field}", f"must be text of 1 to {MAX_FIELD_LENGTH} characters")
        checked[field] = value.strip()
    return checked


def _request_of(row, customer: str) -> DsarRequest:
    return DsarRequest(request_id=str(row.id), customer=customer, kind=DsarKind(row.kind),
                       received_at=as_utc(row.received_at), due_at=as_utc(row.due_at), state=DsarState(row.state),
                       closed_at=as_utc(row.closed_at) if row.closed_at else None, note=row.note)


def request_document(row, *, now: datetime) -> dict:
    """The wire form of a stored request (changed values are never echoed, only the field names)."""
    request = _request_of(row, f"{row.brand}/{row.customer}")
    changes = row.changes
    return {
        "id": row.id, "brand": row.brand, "customer": row.customer, "kind": request.kind.value,
        "state": request.state.value, "received_at": _iso(request.received_at), "due_at": _iso(request.due_at),
        "closed_at": _iso(request.closed_at) if request.closed_at else None, "note": request.note,
        "fields": sorted(changes) if changes else [], "overdue": is_overdue(request, now=now),
    }


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _request_query():
    return (select(dsar_requests, t.brands.c.key.label("brand"), t.customers.c.external_id.label("customer"))
            .join(t.brands, t.brands.c.id == dsar_requests.c.brand_id)
            .join(t.customers, t.customers.c.id == dsar_requests.c.customer_id))


def open_request(connection: Connection, customer: CustomerRef, *, kind: str, changes: Mapping[str, object] | None,
                 actor: Actor, now: datetime) -> dict:
    """Record a new request (state ``received``) due after the brand policy's deadline."""
    try:
        parsed_kind = DsarKind(kind)
    except ValueError:
        raise DsarInputError("kind", f"{kind!r} is not one of {', '.join(k.value for k in DsarKind)}") from None
    checked = _check_changes(parsed_kind, changes)
    deadline = policy_for_brand(connection, customer.brand_id).dsar_deadline_days
    request = receive_request("new", customer.audit_name, parsed_kind, received_at=now, deadline_days=deadline)
    request_id = connection.execute(insert(dsar_requests).values(
        brand_id=customer.brand_id, customer_id=customer.customer_id, kind=request.kind.value,
        state=request.state.value, received_at=request.received_at, due_at=request.due_at, changes=checked,
        received_by=actor.name,
    ).returning(dsar_requests.c.id)).scalar_one()
    record_audit_event(
        connection, actor=actor.name, role=actor.role, event_type=AuditEventType.DSAR_CHANGE, at=now,
        origin=actor.origin, resource=f"dsar:{request_id}", brand_id=customer.brand_id,
        customer=customer.audit_name, fields=sorted(checked or ()),
        reason=f"{parsed_kind.value} request received, due {_iso(request.due_at)}",
    )
    return get_request(connection, request_id, visible_brand_id=None, now=now)


def get_request(connection: Connection, request_id: int, *, visible_brand_id: int | None, now: datetime) -> dict | None:
    """One request, or None when it does not exist or lies outside ``visible_brand_id`` (None: any brand)."""
    query = _request_query().where(dsar_requests.c.id == request_id)
    if visible_brand_id is not None:
        query = query.where(dsar_requests.c.brand_id == visible_brand_id)
    row = connection.execute(query).first()
    return request_document(row, now=now) if row else None


def list_requests(connection: Connection, *, visible_brand_id: int | None, now: datetime,
                  overdue_only: bool = False) -> list[dict]:
    """Requests by due date (soonest first); ``overdue_only`` keeps the open ones past their due date."""
    query = _request_query().order_by(dsar_requests.c.due_at, dsar_requests.c.id)
    if visible_brand_id is not None:
        query = query.where(dsar_requests.c.brand_id == visible_brand_id)
    if overdue_only:
        query = query.where(dsar_requests.c.state.in_([DsarState.RECEIVED.value, DsarState.IN_PROGRESS.value]))
    documents = [request_document(row, now=now) for row in connection.execute(query).all()]
    return [document for document in documents if document["overdue"] or not overdue_only]


def list_customer_requests(connection: Connection, customer: CustomerRef, *, now: datetime) -> list[dict]:
    """The customer's own requests, oldest first."""
    rows = connection.execute(_request_query().where(dsar_requests.c.customer_id == customer.customer_id)
                              .order_by(dsar_requests.c.received_at, dsar_requests.c.id)).all()
    return [request_document(row, now=now) for row in rows]


def move_request(connection: Connection, request_id: int, *, target: str, note: str | None, actor: Actor,
                 keyring: Keyring, visible_brand_id: int | None, now: datetime) -> dict | None:
    """Move a request to ``target``; completing it carries it out. None when the request is not visible."""
    row = connection.execute(_request_query().where(dsar_requests.c.id == request_id)).first()
    if row is None or (visible_brand_id is not None and row.brand_id != visible_brand_id):
        return None
    try:
        parsed_target = DsarState(target)
    except ValueError:
        raise DsarInputError("state", f"{target!r} is not one of {', '.join(s.value for s in DsarState)}") from None
    customer = CustomerRef(customer_id=row.customer_id, brand_id=row.brand_id, brand=row.brand,
                           external_id=row.customer)
    try:
        moved = transition_request(_request_of(row, customer.audit_name), parsed_target, at=now, note=note)
    except InvalidTransition as error:
        raise DsarInputError("state", str(error)) from None
    except ValueError as error:
        raise DsarInputError("note", str(error)) from None
    changes = row.changes
    if moved.state is DsarState.COMPLETED:
        changes = _carry_out(connection, customer, moved.kind, row.changes, actor=actor, keyring=keyring, now=now)
    connection.execute(update(dsar_requests).where(dsar_requests.c.id == request_id).values(
        state=moved.state.value, closed_at=moved.closed_at, note=moved.note, changes=changes))
    record_audit_event(
        connection, actor=actor.name, role=actor.role, event_type=AuditEventType.DSAR_CHANGE, at=now,
        origin=actor.origin, resource=f"dsar:{request_id}", brand_id=customer.brand_id,
        customer=customer.audit_name, reason=f"{moved.kind.value} request {row.state} -> {moved.state.value}"
        + (f": {note}" if note else ""),
    )
    return get_request(connection, request_id, visible_brand_id=None, now=now)


def _carry_out(connection: Connection, customer: CustomerRef, kind: DsarKind, changes, *, actor: Actor,
               keyring: Keyring, now: datetime):
    if kind is DsarKind.ERASURE:
        erase_customer(connection, customer, actor=actor.name, role=actor.role, origin=actor.origin, now=now)
        return None
    if kind is DsarKind.RECTIFICATION:
        if not isinstance(changes, dict):
            raise DsarInputError("state", "the corrected values of this request were erased with the customer")
        current = read_customer_record(connection, brand_id=customer.brand_id,
                                       customer_external_id=customer.external_id, keyring=keyring) or {}
        fields = {key: value for key, value in current.items() if key != "country" and value is not None}
        write_customer_fields(connection, customer_id=customer.customer_id, brand_id=customer.brand_id,
                              customer_external_id=customer.external_id, fields={**fields, **changes},
                              keyring=keyring, now=now)
        # A corrected email or phone must match (and stop matching) under its new value.
        index_customers(connection, [CustomerFields(customer.customer_id, customer.brand_id, {**fields, **changes},
                                                    current.get("country"))], keyring=keyring, now=now)
        record_audit_event(
            connection, actor=actor.name, role=actor.role, event_type=AuditEventType.RECTIFICATION, at=now,
            origin=actor.origin, resource=f"customer:{customer.audit_name}", brand_id=customer.brand_id,
            customer=customer.audit_name, fields=sorted(changes),
        )
        return sorted(changes)
    return changes
