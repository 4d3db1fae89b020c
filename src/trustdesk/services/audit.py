"""The audit trail: append inside the caller's transaction, verify the chain, sign tree heads, prove entries.

Each entry's hash is its RFC 6962 leaf hash and covers the previous entry's hash, so editing, deleting or
reordering any entry breaks the chain at that entry. Signed tree heads let an outside auditor check that
the log only ever grew, and inclusion proofs show one entry is in it without handing over the rest.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from trustdesk.config import minutes_setting
from trustdesk.core.privacy.audit_log import (
    GENESIS_HASH,
    AuditEntry,
    AuditEventType,
    ChainBreak,
    ChainAnchor,
    StoredEntry,
    compare_with_head,
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
from trustdesk.services.scope import Viewer
from trustdesk.storage.audit_tables import audit_chain_head, audit_entries, audit_tree_heads

_CHAIN = 1  # the one row of audit_chain_head
_VERIFY_CHUNK = 5_000

# Built once: an append runs these with plain parameter dictionaries, with no statement construction per call.
_LOCK_HEAD = (
    select(audit_chain_head.c.entry_id, audit_chain_head.c.entry_hash)
    .where(audit_chain_head.c.chain == _CHAIN).with_for_update()
)
_ENTRY_COLUMNS = ("entry_id", "brand_id", "user", "role", "event_type", "at", "success", "origin", "resource",
                  "customer", "fields", "purpose", "case_ref", "reason", "prev_hash", "entry_hash")
_INSERT_ENTRY = insert(audit_entries).values({name: bindparam(f"new_{name}") for name in _ENTRY_COLUMNS})
_MOVE_HEAD = (
    update(audit_chain_head).where(audit_chain_head.c.chain == _CHAIN)
    .values(entry_id=bindparam("new_entry_id"), entry_hash=bindparam("new_entry_hash"))
)
# PostgreSQL takes both in one statement (a data-modifying CTE always runs): one round trip fewer per append.
_APPEND_AND_MOVE_HEAD = _MOVE_HEAD.add_cte(_INSERT_ENTRY.cte("appended"))


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
    """Append one entry in the caller's transaction (it commits or rolls back with the audited action).

    The chain head row stays locked to the end of the transaction: concurrent appenders queue on it
    instead of forking the chain, and each reads the head its predecessor committed.
    """
    head = _lock_chain_head(connection)
    entry = AuditEntry(
        entry_id=head.entry_id + 1,
        user=actor,
        role=role,
        event_type=event_type,
        at=at.astimezone(timezone.utc),
        success=success,
        origin=origin,
        resource=resource,
        prev_hash=head.entry_hash,
        customer=customer,
        fields=tuple(fields),
        purpose=purpose,
        case=case,
        reason=reason,
    )
    parameters = {f"new_{name}": value for name, value in _columns_of(entry).items()}
    parameters.update(new_brand_id=brand_id, new_entry_hash=entry_hash(entry))
    if connection.dialect.name == "postgresql":
        connection.execute(_APPEND_AND_MOVE_HEAD, parameters)
    else:
        connection.execute(_INSERT_ENTRY, parameters)
        connection.execute(_MOVE_HEAD, parameters)
    return entry.entry_id


# Who an unattended write is attributed to: the operator at the command line, or the server's own jobs.
CLI_ACTOR = "cli"


def record_write(
    connection: Connection, viewer: Viewer | None, *, event_type: AuditEventType, at: datetime, resource: str,
    brand_id: int | None, reason: str | None = None, customer: str | None = None, case: str | None = None,
) -> int:
    """Audit a privileged or score-changing write by ``viewer`` (None: the command line) in its transaction."""
    return record_audit_event(
        connection, actor=viewer.username if viewer else CLI_ACTOR, role=viewer.role.value if viewer else "admin",
        origin=viewer.origin if viewer else CLI_ACTOR, event_type=event_type, at=at, resource=resource,
        brand_id=brand_id, customer=customer, case=case, reason=reason,
    )


def _lock_chain_head(connection: Connection):
    head = connection.execute(_LOCK_HEAD).first()
    if head is None:
        # First append since the head table was created (or emptied): start it at the newest entry. Nobody
        # can have appended meanwhile, since every append needs the row; racing creators insert the same
        # values and all but one do nothing.
        newest = connection.execute(
            select(audit_entries.c.entry_id, audit_entries.c.entry_hash).order_by(audit_entries.c.entry_id.desc()).limit(1)
        ).first()
        insert_head = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        connection.execute(insert_head(audit_chain_head).values(
            chain=_CHAIN, entry_id=newest.entry_id if newest else 0,
            entry_hash=newest.entry_hash if newest else GENESIS_HASH,
        ).on_conflict_do_nothing())
        head = connection.execute(_LOCK_HEAD).one()
    return head


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
    """Check the hash chain entry by entry and against the chain head, then every signed tree head."""
    chain_break = find_first_break(_stored_entries(connection))
    leaf_hashes = _leaf_hashes(connection)
    head = connection.execute(select(audit_chain_head).where(audit_chain_head.c.chain == _CHAIN)).first()
    if chain_break is None and head is not None:
        # An intact chain holds entries 1..n in order, so its newest entry is n, the last leaf.
        newest = ChainAnchor(len(leaf_hashes), leaf_hashes[-1].hex()) if leaf_hashes else ChainAnchor()
        chain_break = compare_with_head(newest, head_entry_id=head.entry_id, head_hash=head.entry_hash)
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


def tree_head_interval(config: Mapping[str, object]) -> timedelta | None:
    """``[audit] sign_every_minutes``: how often ``serve`` signs and publishes a tree head; None when absent."""
    return minutes_setting(config, "audit", "sign_every_minutes")


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
