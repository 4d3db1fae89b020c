"""Suggested duplicate customers: the keyed blind index of their identifiers and the supervisor's list.

Whenever a customer's encrypted fields are written (ingest, rectification) their email and phone are
normalized and stored as HMAC digests (``core.routing.duplicates``) in ``customer_match_keys``, keyed by a
key derived from the master key. Rows made under an older master key, and customers stored before the index
existed, are (re)indexed when suggestions are listed. Listing decrypts only the names of records that share
a digest, to score their similarity; no personal field leaves this module, only which identifiers matched
and how similar the names are. Suggestions are confirmed, or not, through the audited merge: nothing here
merges. A pair judged to be two people is dismissed with a reason (audited, undoable) and not suggested
again. Erasure deletes the customer's row.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from trustdesk.core.model import Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.routing.duplicates import (
    DuplicateRules,
    MatchCandidate,
    MatchKind,
    derive_blind_index_key,
    identifier_digests,
    suggest_duplicates,
)
from trustdesk.services.audit import record_write
from trustdesk.services.customer_merge import brand_customer_id
from trustdesk.services.directory import brand_key_by_id
from trustdesk.services.privacy_keys import Keyring, load_data_keys, open_personal_data
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import Conflict, FieldError, NotVisible, require_role
from trustdesk.storage import tables as t
from trustdesk.storage.operations_tables import (
    customer_duplicate_dismissals,
    customer_match_keys,
    customer_merges,
)
from trustdesk.storage.privacy_tables import customer_keys
from trustdesk.storage.timestamps import iso_utc

# The roles that may merge (services.customer_merge.MERGE_ROLES) decide on the suggestions.
SUGGESTION_ROLES = frozenset({Role.ADMIN, Role.BRAND_MANAGER, Role.PRIVACY_OFFICER})


@dataclass(frozen=True)
class CustomerFields:
    """A customer's plaintext personal fields at the moment they are written."""

    customer_id: int
    brand_id: int
    fields: Mapping[str, str]
    country: str | None


def index_customers(connection: Connection, customers: Sequence[CustomerFields], *, keyring: Keyring,
                    now: datetime) -> None:
    """Replace the blind-index rows of ``customers`` with digests of their current email and phone."""
    if not customers:
        return
    key = derive_blind_index_key(keyring.master.key)
    connection.execute(delete(customer_match_keys).where(
        customer_match_keys.c.customer_id.in_([customer.customer_id for customer in customers])))
    rows = []
    for customer in customers:
        digests = dict(identifier_digests(key, email=customer.fields.get("email"), phone=customer.fields.get("phone"),
                                          region=customer.country))
        rows.append({"customer_id": customer.customer_id, "brand_id": customer.brand_id,
                     "key_id": keyring.master.key_id, "email_digest": digests.get(MatchKind.EMAIL),
                     "phone_digest": digests.get(MatchKind.PHONE), "indexed_at": now})
    connection.execute(insert(customer_match_keys), rows)


def forget_customer(connection: Connection, customer_id: int) -> None:
    """Delete the customer's blind-index row (erasure)."""
    connection.execute(delete(customer_match_keys).where(customer_match_keys.c.customer_id == customer_id))


def refresh_stale_index(connection: Connection, *, brand_id: int, keyring: Keyring, now: datetime) -> int:
    """Index the brand's customers with encrypted fields but no row, or a row under another master key."""
    stale = connection.execute(
        select(t.customers.c.id, t.customers.c.external_id, t.customers.c.country, t.customers.c.personal_data)
        .join(customer_keys, customer_keys.c.customer_id == t.customers.c.id)
        .outerjoin(customer_match_keys, customer_match_keys.c.customer_id == t.customers.c.id)
        .where(t.customers.c.brand_id == brand_id,
               or_(customer_match_keys.c.customer_id.is_(None),
                   customer_match_keys.c.key_id != keyring.master.key_id))
    ).all()
    if not stale:
        return 0
    data_keys = load_data_keys(connection, [row.id for row in stale], keyring=keyring)
    index_customers(connection, [
        CustomerFields(row.id, brand_id, open_personal_data(row.personal_data, data_keys[row.id], brand_id=brand_id,
                                                            customer_external_id=row.external_id)
                       if row.personal_data else {}, row.country)
        for row in stale
    ], keyring=keyring, now=now)
    return len(stale)


def suggest_duplicate_customers(connection: Connection, viewer: Viewer, *, brand_id: int, keyring: Keyring,
                                now: datetime, rules: DuplicateRules = DuplicateRules(), limit: int = 200) -> list[dict]:
    """Pairs of the brand's customer records that look like one person, with the reason; never merged here."""
    require_role(viewer, SUGGESTION_ROLES, "read suggested duplicate customers")
    if not viewer.is_admin and viewer.vendor_id is not None:
        raise NotVisible("customers not found")
    refresh_stale_index(connection, brand_id=brand_id, keyring=keyring, now=now)
    folded = select(customer_merges.c.merged_customer_id).where(customer_merges.c.unmerged_at.is_(None))
    first, second = customer_match_keys.alias("first"), customer_match_keys.alias("second")
    shared = connection.execute(
        select(first.c.customer_id.label("first"), second.c.customer_id.label("second"))
        .join(second, (second.c.brand_id == first.c.brand_id) & (second.c.customer_id > first.c.customer_id)
              & or_(second.c.email_digest == first.c.email_digest, second.c.phone_digest == first.c.phone_digest))
        .where(first.c.brand_id == brand_id, first.c.customer_id.not_in(folded),
               second.c.customer_id.not_in(folded))
    ).all()
    involved = sorted({row.first for row in shared} | {row.second for row in shared})
    if not involved:
        return []
    candidates = _candidates(connection, involved, brand_id=brand_id, keyring=keyring)
    dismissed = _dismissed_pairs(connection, brand_id)
    pairs = [pair for pair in suggest_duplicates(list(candidates.values()), rules=rules)
             if frozenset((pair.first, pair.second)) not in dismissed][:limit]
    facts = _contact_facts(connection, involved)
    return [{"first": _side(pair.first, facts), "second": _side(pair.second, facts),
             "matched": [kind.value for kind in pair.matched],
             "name_similarity": None if pair.name_similarity is None else round(pair.name_similarity, 2),
             "reason": pair.reason} for pair in pairs]


def _candidates(connection: Connection, customer_ids: list[int], *, brand_id: int, keyring: Keyring
                ) -> dict[str, MatchCandidate]:
    rows = connection.execute(
        select(t.customers.c.id, t.customers.c.external_id, t.customers.c.personal_data,
               customer_match_keys.c.email_digest, customer_match_keys.c.phone_digest)
        .join(customer_match_keys, customer_match_keys.c.customer_id == t.customers.c.id)
        .where(t.customers.c.id.in_(customer_ids))
    ).all()
    data_keys = load_data_keys(connection, customer_ids, keyring=keyring)
    candidates = {}
    for row in rows:
        name = None
        if row.id in data_keys and "name" in (row.personal_data or {}):
            # Only the name is decrypted: it is compared here and never returned.
            name = open_personal_data({"name": row.personal_data["name"]}, data_keys[row.id], brand_id=brand_id,
                                      customer_external_id=row.external_id)["name"]
        digests = tuple((kind, digest) for kind, digest in ((MatchKind.EMAIL, row.email_digest),
                                                            (MatchKind.PHONE, row.phone_digest)) if digest)
        candidates[row.external_id] = MatchCandidate(row.external_id, digests, name)
    return candidates


def _contact_facts(connection: Connection, customer_ids: list[int]) -> dict[str, dict]:
    """Per customer external id: how many interactions, over which channels, first and last contact."""
    rows = connection.execute(
        select(t.customers.c.external_id, t.interactions.c.channel, func.count().label("contacts"),
               func.min(t.interactions.c.started_at).label("first"), func.max(t.interactions.c.started_at).label("last"))
        .join(t.interactions, t.interactions.c.customer_id == t.customers.c.id)
        .where(t.customers.c.id.in_(customer_ids))
        .group_by(t.customers.c.external_id, t.interactions.c.channel)
    ).all()
    facts: dict[str, dict] = {}
    for row in rows:
        item = facts.setdefault(row.external_id, {"contacts": 0, "channels": [], "first_contact": None,
                                                  "last_contact": None})
        item["contacts"] += row.contacts
        item["channels"] = sorted({*item["channels"], row.channel})
        first, last = iso_utc(row.first), iso_utc(row.last)
        item["first_contact"] = min(filter(None, (item["first_contact"], first)), default=None)
        item["last_contact"] = max(filter(None, (item["last_contact"], last)), default=None)
    return facts


def _side(customer: str, facts: Mapping[str, dict]) -> dict:
    return {"customer": customer, **facts.get(customer, {"contacts": 0, "channels": [], "first_contact": None,
                                                         "last_contact": None})}


def dismiss_duplicate(connection: Connection, viewer: Viewer | None, *, brand_id: int, first: str, second: str,
                      reason: str, now: datetime) -> dict:
    """Record that ``first`` and ``second`` are two different people, so the pair is not suggested again."""
    if viewer is not None:
        require_role(viewer, SUGGESTION_ROLES, "dismiss a suggested duplicate")
        if viewer.vendor_id is not None:
            require_role(viewer, {Role.ADMIN}, "dismiss a suggested duplicate as vendor staff")
    if not reason.strip():
        raise FieldError("$.reason", "say why these records are different people")
    if first == second:
        raise FieldError("$.second", "a customer record is no duplicate of itself")
    ids = sorted((brand_customer_id(connection, brand_id, first, "$.first"),
                  brand_customer_id(connection, brand_id, second, "$.second")))
    try:
        with connection.begin_nested():
            dismissal_id = connection.execute(insert(customer_duplicate_dismissals).values(
                brand_id=brand_id, first_customer_id=ids[0], second_customer_id=ids[1], reason=reason.strip(),
                dismissed_by=viewer.user_id if viewer is not None else None, dismissed_at=now,
            ).returning(customer_duplicate_dismissals.c.id)).scalar_one()
    except IntegrityError as error:
        raise Conflict(f"the pair {first!r} and {second!r} was already dismissed") from error
    dismissal = _dismissal(connection, brand_id=brand_id, dismissal_id=dismissal_id)
    _audit_dismissal(connection, viewer, brand_id=brand_id, dismissal_id=dismissal_id, now=now,
                     reason=f"suggestion {dismissal['first']} = {dismissal['second']} dismissed")
    return dismissal


def undo_dismissal(connection: Connection, viewer: Viewer | None, *, brand_id: int, dismissal_id: int,
                   now: datetime) -> None:
    """Let a dismissed pair be suggested again."""
    if viewer is not None:
        require_role(viewer, SUGGESTION_ROLES, "undo a dismissed duplicate")
    dismissal = _dismissal(connection, brand_id=brand_id, dismissal_id=dismissal_id)
    if dismissal is None:
        raise NotVisible("dismissal not found")
    connection.execute(delete(customer_duplicate_dismissals).where(customer_duplicate_dismissals.c.id == dismissal_id))
    _audit_dismissal(connection, viewer, brand_id=brand_id, dismissal_id=dismissal_id, now=now,
                     reason=f"dismissal of {dismissal['first']} = {dismissal['second']} undone")


def list_dismissals(connection: Connection, *, brand_id: int) -> list[dict]:
    return _dismissals(connection, customer_duplicate_dismissals.c.brand_id == brand_id)


def _dismissal(connection: Connection, *, brand_id: int, dismissal_id: int) -> dict | None:
    found = _dismissals(connection, customer_duplicate_dismissals.c.brand_id == brand_id,
                        customer_duplicate_dismissals.c.id == dismissal_id)
    return found[0] if found else None


def _dismissals(connection: Connection, *conditions) -> list[dict]:
    first, second = t.customers.alias("first"), t.customers.alias("second")
    rows = connection.execute(
        select(customer_duplicate_dismissals.c.id, first.c.external_id.label("first"),
               second.c.external_id.label("second"), customer_duplicate_dismissals.c.reason,
               t.users.c.username.label("dismissed_by"), customer_duplicate_dismissals.c.dismissed_at)
        .join(first, first.c.id == customer_duplicate_dismissals.c.first_customer_id)
        .join(second, second.c.id == customer_duplicate_dismissals.c.second_customer_id)
        .outerjoin(t.users, t.users.c.id == customer_duplicate_dismissals.c.dismissed_by)
        .where(*conditions)
        .order_by(customer_duplicate_dismissals.c.id.desc())
    ).mappings()
    return [{**row, "dismissed_at": iso_utc(row["dismissed_at"])} for row in rows]


def _dismissed_pairs(connection: Connection, brand_id: int) -> set[frozenset[str]]:
    return {frozenset((item["first"], item["second"])) for item in list_dismissals(connection, brand_id=brand_id)}


def _audit_dismissal(connection: Connection, viewer: Viewer | None, *, brand_id: int, dismissal_id: int, reason: str,
                     now: datetime) -> None:
    brand_key = brand_key_by_id(connection, brand_id)
    record_write(connection, viewer, event_type=AuditEventType.CUSTOMER_MERGE, at=now, brand_id=brand_id,
                 resource=f"duplicate_dismissal:{brand_key}/{dismissal_id}", reason=reason)
