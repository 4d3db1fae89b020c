"""The audit trail: append inside the caller's transaction, verify the chain, sign tree heads, prove entries.

Each entry's hash is its RFC 6962 leaf hash and covers the previous entry's hash, so editing, deleting or
reordering any entry breaks the chain at that entry. Signed tree heads let an outside auditor check that
the log only ever grew, and inclusion proofs show one entry is in it without handing over the rest.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, func, insert, select, text

from trustdesk.core.privacy.audit_log import (
    GENESIS_HASH,
    AuditEntry,
    AuditEventType,
    ChainBreak,
    StoredEntry,
    entry_hash,
    find_first_break,
)
from trustdesk.core.privacy.audit_proof import (
    SignedTreeHead,
    TreeHead,
    generate_signing_key,
    prove_entry,
    sign_tree_head,
    tree_head_of,
    verify_tree_head,
    public_key_of,
)
from trustdesk.storage.audit_tables import audit_entries, audit_tree_heads

# Any constant works: it names the one PostgreSQL advisory lock that serializes appends to the chain.
_APPEND_LOCK_ID = 0x7472_7573_7464_6B31
_VERIFY_CHUNK = 5_000


def record_audit_event(
    connection: Connection,
    *,
    actor: str,
    role: str,
    event_type: AuditEventType,
    at: datetime,
    origin: str,
    resource: str,
    success: bool = True,
    brand_id: int | None = None,
    customer: str | None = None,
    fields: Sequence[str] = (),
    purpose: str | None = None,
    case: str | None = None,
    reason: str | None = None,
) -> int:
    """Append one entry in the caller's transaction (it commits or rolls back with the audited action)."""
    if connection.dialect.name == "postgresql":
        # Held to the end of the transaction: concurrent appenders queue here instead of forking the chain.
        connection.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": _APPEND_LOCK_ID})
    last = connection.execute(
        select(audit_entries.c.entry_id, audit_entries.c.entry_hash).order_by(audit_entries.c.entry_id.desc()).limit(1)
    ).first()
    entry = AuditEntry(
        entry_id=(last.entry_id + 1) if last else 1,
        user=actor,
        role=role,
        event_type=event_type,
        at=at.astimezone(timezone.utc),
        success=success,
        origin=origin,
        resource=resource,
        prev_hash=last.entry_hash if last else GENESIS_HASH,
        customer=customer,
        fields=tuple(fields),
        purpose=purpose,
        case=case,
        reason=reason,
    )
    connection.execute(insert(audit_entries).values(brand_id=brand_id, entry_hash=entry_hash(entry), **_columns_of(entry)))
    return entry.entry_id


def _columns_of(entry: AuditEntry) -> dict:
    return {
        "entry_id": entry.entry_id, "user": entry.user, "role": entry.role, "event_type": entry.event_type.value,
        "at": entry.at, "success": entry.success, "origin": entry.origin, "resource": entry.resource,
        "customer": entry.customer, "fields": list(entry.fields), "purpose": entry.purpose, "case_ref": entry.case,
        "reason": entry.reason, "prev_hash": entry.prev_hash,
    }


def _entry_of(row) -> AuditEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=timezone.utc)  # SQLite drops the zone; we store UTC
    return AuditEntry(
        entry_id=row.entry_id, user=row.user, role=row.role, event_type=AuditEventType(row.event_type), at=at,
        success=row.success, origin=row.origin, resource=row.resource, prev_hash=row.prev_hash,
        customer=row.customer, fields=tuple(row.fields or ()), purpose=row.purpose, case=row.case_ref,
        reason=row.reason,
    )


def _stored_entries(connection: Connection) -> Iterator[StoredEntry]:
    """Every entry in id order, read in chunks so verification of a long log stays in bounded memory."""
    after = 0
    while True:
        rows = connection.execute(
            select(audit_entries).where(audit_entries.c.entry_id > after).order_by(audit_entries.c.entry_id).limit(_VERIFY_CHUNK)
        ).all()
        if not rows:
            return
        for row in rows:
            yield StoredEntry(_entry_of(row), row.entry_hash)
        after = rows[-1].entry_id


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    chain_break: ChainBreak | None
    broken_tree_head: int | None  # size of the first signed tree head the log no longer matches

    @property
    def is_intact(self) -> bool:
        return self.chain_break is None and self.broken_tree_head is None


def verify_audit_log(connection: Connection, *, public_key: bytes) -> VerifyReport:
    """Check the hash chain entry by entry, then every signed tree head against the stored leaves."""
    chain_break = find_first_break(_stored_entries(connection))
    leaf_hashes = _leaf_hashes(connection)
    broken_head = None
    for head in _signed_heads(connection):
        covered = leaf_hashes[: head.head.size]
        matches = len(covered) == head.head.size and tree_head_of(covered, timestamp=head.head.timestamp) == head.head
        if not (matches and verify_tree_head(head, public_key)):
            broken_head = head.head.size
            break
    return VerifyReport(entries=len(leaf_hashes), chain_break=chain_break, broken_tree_head=broken_head)


def _leaf_hashes(connection: Connection) -> list[bytes]:
    return [bytes.fromhex(h) for h in connection.execute(select(audit_entries.c.entry_hash).order_by(audit_entries.c.entry_id)).scalars()]


def _signed_heads(connection: Connection) -> list[SignedTreeHead]:
    rows = connection.execute(select(audit_tree_heads).order_by(audit_tree_heads.c.tree_size)).all()
    return [
        SignedTreeHead(
            head=TreeHead(size=r.tree_size, root_hash=bytes.fromhex(r.root_hash),
                          timestamp=r.signed_at if r.signed_at.tzinfo else r.signed_at.replace(tzinfo=timezone.utc)),
            signature=r.signature,
        )
        for r in rows
    ]


def sign_current_tree_head(connection: Connection, *, signing_key: bytes, now: datetime) -> SignedTreeHead:
    """Sign and publish the head of the log as it stands (or return the latest head if nothing was appended)."""
    leaf_hashes = _leaf_hashes(connection)
    heads = _signed_heads(connection)
    if heads and heads[-1].head.size == len(leaf_hashes):
        return heads[-1]
    # Millisecond precision: the signed form of the timestamp, so the stored head verifies after a round trip.
    timestamp = now.astimezone(timezone.utc).replace(microsecond=now.microsecond // 1000 * 1000)
    signed = sign_tree_head(tree_head_of(leaf_hashes, timestamp=timestamp), signing_key)
    connection.execute(
        insert(audit_tree_heads).values(tree_size=signed.head.size, root_hash=signed.head.root_hash.hex(),
                                        signed_at=signed.head.timestamp, signature=signed.signature)
    )
    return signed


def prove_audit_entry(connection: Connection, entry_id: int, *, signing_key: bytes, now: datetime) -> str | None:
    """An inclusion proof (JSON) of one entry under a signed tree head covering it, or None if no such entry."""
    row = connection.execute(select(audit_entries).where(audit_entries.c.entry_id == entry_id)).first()
    if row is None:
        return None
    head = next((h for h in _signed_heads(connection) if h.head.size >= entry_id), None)
    if head is None:
        head = sign_current_tree_head(connection, signing_key=signing_key, now=now)
    return prove_entry(_leaf_hashes(connection), _entry_of(row), signed_head=head)


def count_audit_entries(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(audit_entries)).scalar_one()


def load_or_create_signing_key(path: Path) -> tuple[bytes, bool]:
    """The Ed25519 tree-head signing key at ``path``, created (mode 0600) when absent; True when created."""
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip()), False
    key = generate_signing_key()
    path.touch(mode=0o600)
    path.write_text(key.hex() + "\n", encoding="ascii")
    return key, True


def audit_public_key(signing_key: bytes) -> bytes:
    return public_key_of(signing_key)


AUDIT_READER_ROLES = frozenset({"admin", "auditor", "privacy_officer"})
MAX_AUDIT_PAGE = 500


def list_audit_entries(connection: Connection, *, brand_id: int | None, page: int = 1, page_size: int = 100) -> list[dict]:
    """Entries newest first; ``brand_id`` None means every brand (administrators only)."""
    page_size = max(1, min(page_size, MAX_AUDIT_PAGE))
    query = select(audit_entries).order_by(audit_entries.c.entry_id.desc())
    if brand_id is not None:
        query = query.where(audit_entries.c.brand_id == brand_id)
    rows = connection.execute(query.limit(page_size).offset((max(1, page) - 1) * page_size)).all()
    return [audit_entry_document(row) for row in rows]


def audit_entry_document(row) -> dict:
    entry = _entry_of(row)
    return {
        "entry_id": entry.entry_id, "at": entry.at.isoformat().replace("+00:00", "Z"), "user": entry.user,
        "role": entry.role, "event_type": entry.event_type.value, "success": entry.success, "origin": entry.origin,
        "resource": entry.resource, "customer": entry.customer, "fields": list(entry.fields),
        "purpose": entry.purpose, "case": entry.case, "reason": entry.reason, "entry_hash": row.entry_hash,
    }


NO_SUCH_ENTRY = object()


def audit_entry_brand(connection: Connection, entry_id: int) -> int | None | object:
    """The brand an entry belongs to (None for platform-wide entries), or NO_SUCH_ENTRY."""
    row = connection.execute(select(audit_entries.c.brand_id).where(audit_entries.c.entry_id == entry_id)).first()
    return NO_SUCH_ENTRY if row is None else row.brand_id
