"""The one way personal customer fields leave the database: a minimized, purpose-bound, audited view.

The view is built here by ``access_policy.minimize`` for the viewer's role and the case's purpose under the
brand's policy, behind the training gate; every view that discloses a personal field is audited in the same
transaction, listing the fields shown. Break-glass opens every field but the always-masked ones, needs a
written reason, and leaves a flag for the privacy officer besides its audit entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, exists, select, update

from trustdesk.core.privacy.access_policy import CUSTOMER_FIELDS, MinimizedView, minimize
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services.audit import record_audit_event
from trustdesk.services.brand_policy import policy_for_brand, visible_brand_id
from trustdesk.services.privacy_keys import Keyring, read_customer_record
from trustdesk.services.scope import Viewer, scope_interactions
from trustdesk.services.training import has_current_privacy_training
from trustdesk.storage import tables as t
from trustdesk.storage.access_tables import break_glass_flags
from trustdesk.storage.timestamps import iso_utc

MIN_REASON_LENGTH = 15  # a sentence, not "x": the officer must be able to judge it later


class ViewRequestError(ValueError):
    """The request cannot name a purpose (or names a wrong one); ``field`` is the query or body field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CustomerView:
    brand: str
    customer: str
    case: str | None
    purpose: str
    role: str
    training_current: bool
    view: MinimizedView
    audit_entry_id: int | None

    def as_json(self) -> dict:
        return {
            "brand": self.brand, "customer": self.customer, "case": self.case, "purpose": self.purpose,
            "role": self.role, "training_current": self.training_current, "break_glass": self.view.break_glass,
            "fields": dict(self.view.values),
            "masked_fields": list(self.view.masked_fields),
            "hidden_fields": [field for field in CUSTOMER_FIELDS if field not in self.view.values],
            "audit_entry": self.audit_entry_id,
        }


@dataclass(frozen=True)
class _Subject:
    brand_id: int
    customer_id: int
    customer_external_id: str
    case_external_id: str | None
    purpose: str


def _read_personal_record(connection: Connection, subject: _Subject, keyring: Keyring) -> dict[str, str | None]:
    # The single place personal fields are decrypted for this service; only minimize() ever sees the result.
    record = read_customer_record(connection, brand_id=subject.brand_id,
                                  customer_external_id=subject.customer_external_id, keyring=keyring) or {}
    return {field: record.get(field) for field in CUSTOMER_FIELDS}


def find_visible_customer(
    connection: Connection, viewer: Viewer, *, brand_key: str, customer_external_id: str, case_id: int | None = None,
) -> tuple[int, int] | None:
    """(brand id, customer id) when the viewer may look the customer up, else None (it looks missing)."""
    brand_id = visible_brand_id(connection, viewer, brand_key)
    if brand_id is None:
        return None
    customer_id = connection.execute(
        select(t.customers.c.id).where(t.customers.c.brand_id == brand_id, t.customers.c.external_id == customer_external_id)
    ).scalar()
    if customer_id is None:
        return None
    if viewer.vendor_id is not None or viewer.agent_id is not None:
        # Vendor staff and agents see only customers whose cases they (their vendor) worked on.
        worked = scope_interactions(select(t.interactions.c.id), viewer).where(t.interactions.c.customer_id == customer_id)
        if case_id is not None:
            worked = worked.where(t.interactions.c.case_id == case_id)
        if not connection.execute(select(exists(worked))).scalar():
            return None
    return brand_id, customer_id


def _find_subject(
    connection: Connection, viewer: Viewer, *, brand_key: str, customer_external_id: str,
    case_external_id: str | None, purpose: str | None,
) -> _Subject | None:
    case = None
    if case_external_id is not None:
        case = connection.execute(
            select(t.cases.c.id, t.cases.c.purpose)
            .join(t.brands, t.brands.c.id == t.cases.c.brand_id)
            .join(t.customers, t.customers.c.id == t.cases.c.customer_id)
            .where(t.brands.c.key == brand_key, t.cases.c.external_id == case_external_id,
                   t.customers.c.external_id == customer_external_id)
        ).first()
        if case is None:
            return None
    found = find_visible_customer(connection, viewer, brand_key=brand_key, customer_external_id=customer_external_id,
                                  case_id=case.id if case is not None else None)
    if found is None:
        return None
    if case is not None:
        if purpose is not None and purpose != case.purpose:
            raise ViewRequestError("purpose", f"case {case_external_id!r} has purpose {case.purpose!r}, not {purpose!r}")
        purpose = case.purpose
    elif not purpose:
        raise ViewRequestError("case", "name the case (or at least the purpose) the customer is looked up for")
    brand_id, customer_id = found
    return _Subject(brand_id=brand_id, customer_id=customer_id, customer_external_id=customer_external_id,
                    case_external_id=case_external_id, purpose=purpose)


def read_customer_view(
    connection: Connection, viewer: Viewer, *, brand_key: str, customer_external_id: str,
    case_external_id: str | None, purpose: str | None, keyring: Keyring, now: datetime, origin: str,
    break_glass_reason: str | None = None,
) -> CustomerView | None:
    """The minimized view, or None when the customer (or case) is outside the viewer's scope.

    Raises ViewRequestError for a missing or contradicting purpose or a too-short break-glass reason, and
    AccessDenied when the role may not break glass.
    """
    breaking_glass = break_glass_reason is not None
    if breaking_glass and len(break_glass_reason.strip()) < MIN_REASON_LENGTH:
        raise ViewRequestError("reason", f"write why you need full access (at least {MIN_REASON_LENGTH} characters)")
    subject = _find_subject(connection, viewer, brand_key=brand_key, customer_external_id=customer_external_id,
                            case_external_id=case_external_id, purpose=purpose)
    if subject is None:
        return None
    policy = policy_for_brand(connection, subject.brand_id)
    training_current = has_current_privacy_training(connection, viewer, now=now)
    view = minimize(
        _read_personal_record(connection, subject, keyring), role=viewer.role, purpose=subject.purpose, policy=policy.access,
        has_current_training=training_current, break_glass=breaking_glass,
    )
    audit_entry_id = None
    if view.discloses_personal_data or breaking_glass:
        audit_entry_id = record_audit_event(
            connection, actor=viewer.username, role=viewer.role.value,
            event_type=AuditEventType.BREAK_GLASS if breaking_glass else AuditEventType.PERSONAL_DATA_READ,
            at=now, origin=origin, resource=f"customer:{brand_key}/{customer_external_id}", brand_id=subject.brand_id,
            customer=f"{brand_key}/{customer_external_id}", fields=view.shown_fields, purpose=subject.purpose,
            case=case_external_id, reason=break_glass_reason,
        )
    if breaking_glass:
        connection.execute(break_glass_flags.insert().values(
            brand_id=subject.brand_id, user_id=viewer.user_id, customer_id=subject.customer_id,
            case_external_id=case_external_id, purpose=subject.purpose, reason=break_glass_reason.strip(),
            fields=list(view.shown_fields), audit_entry_id=audit_entry_id, at=now,
        ))
    return CustomerView(brand=brand_key, customer=customer_external_id, case=case_external_id, purpose=subject.purpose,
                        role=viewer.role.value, training_current=training_current, view=view,
                        audit_entry_id=audit_entry_id)


def read_interaction_customer_view(
    connection: Connection, viewer: Viewer, *, interaction_id: int, keyring: Keyring, now: datetime, origin: str
) -> CustomerView | None:
    """The view of the customer of one interaction the viewer may see, for that interaction's case."""
    row = connection.execute(
        scope_interactions(
            select(t.brands.c.key.label("brand"), t.customers.c.external_id.label("customer"),
                   t.cases.c.external_id.label("case"))
            .select_from(t.interactions)
            .join(t.brands, t.brands.c.id == t.interactions.c.brand_id)
            .join(t.customers, t.customers.c.id == t.interactions.c.customer_id)
            .join(t.cases, t.cases.c.id == t.interactions.c.case_id),
            viewer,
        ).where(t.interactions.c.id == interaction_id)
    ).first()
    if row is None:
        return None
    return read_customer_view(connection, viewer, brand_key=row.brand, customer_external_id=row.customer,
                              case_external_id=row.case, purpose=None, keyring=keyring, now=now, origin=origin)


def list_break_glass_flags(connection: Connection, viewer: Viewer, *, unreviewed_only: bool = False) -> list[dict]:
    """Break-glass accesses in the viewer's brand (administrators: all), newest first."""
    query = (
        select(break_glass_flags, t.users.c.username, t.users.c.role, t.brands.c.key.label("brand"),
               t.customers.c.external_id.label("customer"))
        .join(t.users, t.users.c.id == break_glass_flags.c.user_id)
        .join(t.brands, t.brands.c.id == break_glass_flags.c.brand_id)
        .join(t.customers, t.customers.c.id == break_glass_flags.c.customer_id)
        .order_by(break_glass_flags.c.at.desc(), break_glass_flags.c.id.desc())
    )
    if not viewer.is_admin:
        query = query.where(break_glass_flags.c.brand_id == viewer.brand_id)
    if unreviewed_only:
        query = query.where(break_glass_flags.c.reviewed_at.is_(None))
    return [
        {"id": row["id"], "brand": row["brand"], "user": row["username"], "role": row["role"],
         "customer": row["customer"], "case": row["case_external_id"], "purpose": row["purpose"],
         "reason": row["reason"], "fields": row["fields"], "audit_entry": row["audit_entry_id"],
         "at": iso_utc(row["at"]), "reviewed_by": row["reviewed_by"],
         "reviewed_at": iso_utc(row["reviewed_at"]) if row["reviewed_at"] else None}
        for row in connection.execute(query).mappings()
    ]


def review_break_glass_flag(connection: Connection, viewer: Viewer, flag_id: int, *, now: datetime) -> bool:
    """Mark a flag of the viewer's brand as reviewed; False when there is no such flag in scope."""
    query = update(break_glass_flags).where(break_glass_flags.c.id == flag_id)
    if not viewer.is_admin:
        query = query.where(break_glass_flags.c.brand_id == viewer.brand_id)
    return connection.execute(query.values(reviewed_by=viewer.username, reviewed_at=now)).rowcount == 1


