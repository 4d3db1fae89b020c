"""The consent ledger: record decisions (append-only, audited) and derive each customer's current consents."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, exists, insert, select

from trustdesk.core.model import Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.privacy.consent import (
    ConsentDecision,
    ConsentEvent,
    ConsentPurpose,
    allows,
    current_consents,
)
from trustdesk.services.audit import record_audit_event
from trustdesk.services.brand_policy import policy_for_brand
from trustdesk.services.scope import Viewer, scope_interactions
from trustdesk.storage import tables as t
from trustdesk.storage.keys import brand_keys_match
from trustdesk.storage.privacy_tables import consent_events
from trustdesk.storage.timestamps import as_utc

MAX_CHANNEL = 40


class ConsentInputError(ValueError):
    """A consent decision that cannot be recorded; ``field`` names the bad input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CustomerRef:
    """A customer located in the database: ids plus the keys people use to name them."""

    customer_id: int
    brand_id: int
    brand: str
    external_id: str

    @property
    def audit_name(self) -> str:
        return f"{self.brand}/{self.external_id}"


def brand_id_of(connection: Connection, brand_key: str) -> int | None:
    return connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand_key)).scalar()


def find_customer(connection: Connection, *, brand_key: str, customer_external_id: str,
                  visible_brand_id: int | None) -> CustomerRef | None:
    """The customer, or None when it does not exist or lies outside ``visible_brand_id`` (None: any brand)."""
    query = (
        select(t.customers.c.id, t.brands.c.id.label("brand_id"), t.brands.c.key)
        .join(t.brands, t.brands.c.id == t.customers.c.brand_id)
        .where(t.brands.c.key == brand_key, t.customers.c.external_id == customer_external_id)
    )
    if visible_brand_id is not None:
        query = query.where(t.brands.c.id == visible_brand_id)
    row = connection.execute(query).first()
    if row is None:
        return None
    return CustomerRef(customer_id=row.id, brand_id=row.brand_id, brand=row.key, external_id=customer_external_id)




def find_customer_for_viewer(connection: Connection, viewer: Viewer, *, brand_key: str,
                             customer_external_id: str) -> CustomerRef | None:
    """The customer if the viewer may act on them: their brand's staff; vendor staff and agents only for
    customers whose interactions they handled. Otherwise None, so a hidden customer looks missing."""
    customer = find_customer(connection, brand_key=brand_key, customer_external_id=customer_external_id,
                             visible_brand_id=None if viewer.is_admin else viewer.brand_id)
    if customer is None or viewer.is_admin or (viewer.vendor_id is None and viewer.role is not Role.AGENT):
        return customer
    handled = scope_interactions(select(t.interactions.c.id), viewer).where(
        t.interactions.c.customer_id == customer.customer_id)
    return customer if connection.execute(select(exists(handled))).scalar() else None


def _event_of(row, customer: str) -> ConsentEvent:
    return ConsentEvent(customer=customer, purpose=ConsentPurpose(row.purpose), decision=ConsentDecision(row.decision),
                        at=as_utc(row.at), channel=row.channel, wording=row.wording, sequence=row.id)


def consent_history(connection: Connection, customer: CustomerRef) -> list[ConsentEvent]:
    """Every recorded decision of the customer, oldest first."""
    rows = connection.execute(
        select(consent_events).where(consent_events.c.customer_id == customer.customer_id)
        .order_by(consent_events.c.at, consent_events.c.id)
    ).all()
    return [_event_of(row, customer.audit_name) for row in rows]


@dataclass(frozen=True)
class ConsentSummary:
    purpose: ConsentPurpose
    allowed: bool
    decided_by: ConsentEvent | None  # None: nobody recorded a decision, the brand policy's default applies


def summarize_consents(connection: Connection, customer: CustomerRef) -> list[ConsentSummary]:
    """For each purpose: allowed now or not, and the event that decided it (or none: the policy default)."""
    state = current_consents(consent_history(connection, customer))
    defaults = policy_for_brand(connection, customer.brand_id).consent_defaults
    return [ConsentSummary(purpose, allows(state, purpose, defaults=defaults), state.latest.get(purpose))
            for purpose in ConsentPurpose]


def record_consent(connection: Connection, customer: CustomerRef, *, purpose: str, decision: str, channel: str,
                   wording: str, at: datetime, actor: str, role: str, origin: str) -> ConsentEvent:
    """Append one decision to the ledger and its audit entry, in the caller's transaction."""
    try:
        parsed_purpose = ConsentPurpose(purpose)
    except ValueError:
        raise ConsentInputError("purpose", f"{purpose!r} is not one of "
                                + ", ".join(p.value for p in ConsentPurpose)) from None
    try:
        parsed_decision = ConsentDecision(decision)
    except ValueError:
        raise ConsentInputError("decision", f"{decision!r} is not granted or withdrawn") from None
    if not channel.strip() or len(channel) > MAX_CHANNEL:
        raise ConsentInputError("channel", f"must be 1 to {MAX_CHANNEL} characters")
    if not wording.strip():
        raise ConsentInputError("wording", "the exact wording shown to the customer is required")
    if at.tzinfo is None:
        raise ConsentInputError("at", "must carry a time zone")
    at = as_utc(at)
    event_id = connection.execute(insert(consent_events).values(
        brand_id=customer.brand_id, customer_id=customer.customer_id, purpose=parsed_purpose.value,
        decision=parsed_decision.value, at=at, channel=channel.strip(), wording=wording, recorded_by=actor,
    ).returning(consent_events.c.id)).scalar_one()
    record_audit_event(
        connection, actor=actor, role=role, event_type=AuditEventType.CONSENT_CHANGE, at=at, origin=origin,
        resource=f"consent:{customer.audit_name}/{parsed_purpose.value}", brand_id=customer.brand_id,
        customer=customer.audit_name, purpose=parsed_purpose.value,
        reason=f"{parsed_decision.value} via {channel.strip()}",
    )
    return ConsentEvent(customer=customer.audit_name, purpose=parsed_purpose, decision=parsed_decision, at=at,
                        channel=channel.strip(), wording=wording, sequence=event_id)


def customers_allowing(connection: Connection, keys: Iterable[tuple[int, str]], *,
                       purpose: ConsentPurpose) -> set[tuple[int, str]]:
    """Which of the (brand id, customer external id) keys allow ``purpose`` now.

    Customers not stored yet have no events, so their brand policy's default decides for them.
    """
    wanted = set(keys)
    if not wanted:
        return set()
    rows = connection.execute(
        select(t.customers.c.brand_id, t.customers.c.external_id, consent_events.c.id, consent_events.c.purpose,
               consent_events.c.decision, consent_events.c.at, consent_events.c.channel, consent_events.c.wording)
        .join(consent_events, consent_events.c.customer_id == t.customers.c.id)
        .where(brand_keys_match(t.customers.c.brand_id, t.customers.c.external_id, wanted),
               consent_events.c.purpose == purpose.value)
    ).all()
    events: dict[tuple[int, str], list[ConsentEvent]] = defaultdict(list)
    for row in rows:
        events[(row.brand_id, row.external_id)].append(_event_of(row, f"{row.brand_id}/{row.external_id}"))
    defaults = {brand_id: policy_for_brand(connection, brand_id).consent_defaults for brand_id in {b for b, _ in wanted}}
    return {key for key in wanted
            if allows(current_consents(events.get(key, ())), purpose, defaults=defaults[key[0]])}


def customers_allowing_analytics(connection: Connection, keys: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """The customers whose interactions may be scored and analysed automatically (quality_analytics)."""
    return customers_allowing(connection, keys, purpose=ConsentPurpose.QUALITY_ANALYTICS)



@dataclass(frozen=True)
class ConsentRecord:
    """One decision to import, e.g. from a sign-up form or a CRM, for a customer who may not be stored yet."""

    customer_external_id: str
    country: str | None
    purpose: ConsentPurpose
    decision: ConsentDecision
    at: datetime
    channel: str
    wording: str


def import_consents(connection: Connection, records: Sequence[ConsentRecord], *, brand_id: int, brand_key: str,
                    actor: str, role: str, origin: str, now: datetime) -> int:
    """Append many decisions of one brand at once (unknown customers are created without personal data).

    The import is one privileged action, so it is audited as one entry naming how many events it added;
    each event still carries who recorded it.
    """
    if not records:
        return 0
    wanted = {record.customer_external_id: record.country for record in records}
    found = dict(connection.execute(select(t.customers.c.external_id, t.customers.c.id).where(
        t.customers.c.brand_id == brand_id, t.customers.c.external_id.in_(wanted))).all())
    missing = [external_id for external_id in wanted if external_id not in found]
    if missing:
        ids = connection.execute(
            insert(t.customers).returning(t.customers.c.id, sort_by_parameter_order=True),
            [{"brand_id": brand_id, "external_id": external_id, "country": wanted[external_id], "personal_data": {},
              "created_at": now} for external_id in missing],
        ).scalars().all()
        found.update(zip(missing, ids))
    connection.execute(insert(consent_events), [
        {"brand_id": brand_id, "customer_id": found[record.customer_external_id], "purpose": record.purpose.value,
         "decision": record.decision.value, "at": as_utc(record.at), "channel": record.channel,
         "wording": record.wording, "recorded_by": actor}
        for record in records
    ])
    record_audit_event(
        connection, actor=actor, role=role, event_type=AuditEventType.CONSENT_CHANGE, at=now, origin=origin,
        resource=f"consent:{brand_key}", brand_id=brand_id,
        reason=f"{len(records)} consent events imported for {len(wanted)} customers",
    )
    return len(records)


def find_or_create_customer(connection: Connection, *, brand_id: int, brand_key: str, customer_external_id: str,
                            country: str | None, now: datetime) -> CustomerRef:
    """The customer, created without personal data when unknown (consent can come before any contact)."""
    customer_id = connection.execute(select(t.customers.c.id).where(
        t.customers.c.brand_id == brand_id, t.customers.c.external_id == customer_external_id)).scalar()
    if customer_id is None:
        customer_id = connection.execute(insert(t.customers).values(
            brand_id=brand_id, external_id=customer_external_id, country=country, personal_data={}, created_at=now,
        ).returning(t.customers.c.id)).scalar_one()
    return CustomerRef(customer_id=customer_id, brand_id=brand_id, brand=brand_key, external_id=customer_external_id)
