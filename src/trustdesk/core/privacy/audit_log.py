"""Tamper-evident audit log: canonical entries (PCI DSS 10.2 fields), a hash chain, and an RFC 6962 tree.

Each entry records the hash of the one before it, and its own hash is the RFC 6962 leaf hash of its
canonical bytes, so one value serves both the chain (``first_broken_entry`` names the first entry that was
edited, deleted or reordered) and the Merkle tree (``merkle``: signed tree heads, inclusion proofs for one
entry, consistency proofs between two heads). Entry ids are 1, 2, 3...; entry ``n`` is leaf ``n - 1``.
"""
from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from trustdesk.core.privacy.merkle import hash_leaf

GENESIS_HASH = "00" * 32  # the "previous hash" of entry 1


class AuditEventType(str, enum.Enum):
    PERSONAL_DATA_READ = "personal_data_read"
    BREAK_GLASS = "break_glass"
    EXPORT = "export"
    ERASURE = "erasure"
    RECTIFICATION = "rectification"
    CONSENT_CHANGE = "consent_change"
    POLICY_CHANGE = "policy_change"
    DSAR_CHANGE = "dsar_change"
    KEY_ROTATION = "key_rotation"
    RETENTION_SWEEP = "retention_sweep"
    REDACTION_RERUN = "redaction_rerun"  # stored free text redacted again with the current engine
    INCIDENT_CHANGE = "incident_change"
    TRAINING_CHANGE = "training_change"
    # Privileged or score-changing writes outside the privacy layer:
    QA_REVIEW = "qa_review"  # a QA result overridden, a coaching note, a review graded
    QA_DISPUTE = "qa_dispute"  # a score disputed, a dispute decided
    CALIBRATION_CHANGE = "calibration_change"
    CUSTOMER_MERGE = "customer_merge"  # records merged or unmerged
    VENDOR_GOVERNANCE = "vendor_governance"  # registry, documents, checklist, audits, findings, actions
    COMPLAINT_CHANGE = "complaint_change"
    FOLLOW_UP_CHANGE = "follow_up_change"
    CASE_CHANGE = "case_change"  # a case's status, an escalation, an SLA contract


@dataclass(frozen=True)
class AuditEntry:
    """One audited action: who, what (event type, resource, fields), when, from where, and the outcome."""

    entry_id: int
    user: str
    role: str
    event_type: AuditEventType
    at: datetime
    success: bool
    origin: str  # where the action came from: client address, "cli", or the job's name
    resource: str  # the affected resource, e.g. "customer:acme/cust-9"
    prev_hash: str
    customer: str | None = None
    fields: tuple[str, ...] = ()
    purpose: str | None = None
    case: str | None = None
    reason: str | None = None  # the written reason of a break-glass access or a rejection

    def __post_init__(self) -> None:
        if self.entry_id < 1:
            raise ValueError(f"AuditEntry.entry_id must be at least 1, got {self.entry_id}")
        if self.at.tzinfo is None:
            raise ValueError(f"AuditEntry.at must be timezone-aware, got {self.at.isoformat()}")
        if len(self.prev_hash) != 64:
            raise ValueError(f"AuditEntry.prev_hash must be 64 hex characters, got {self.prev_hash!r}")


def format_audit_time(at: datetime) -> str:
    """UTC with microseconds and a ``Z``: one spelling per instant, so the same entry always hashes alike."""
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_entry_bytes(entry: AuditEntry) -> bytes:
    """The bytes that are hashed: compact JSON with sorted keys, UTF-8, a format version first."""
    document = {
        "v": 1,
        "entry_id": entry.entry_id,
        "user": entry.user,
        "role": entry.role,
        "event_type": entry.event_type.value,
        "at": format_audit_time(entry.at),
        "success": entry.success,
        "origin": entry.origin,
        "resource": entry.resource,
        "customer": entry.customer,
        "fields": list(entry.fields),
        "purpose": entry.purpose,
        "case": entry.case,
        "reason": entry.reason,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_from_canonical(data: bytes) -> AuditEntry:
    """Rebuild an entry from ``canonical_entry_bytes`` output (for exports an auditor re-hashes)."""
    document = json.loads(data.decode("utf-8"))
    if document.get("v") != 1:
        raise ValueError(f"unsupported audit entry version {document.get('v')!r}")
    return AuditEntry(
        entry_id=document["entry_id"],
        user=document["user"],
        role=document["role"],
        event_type=AuditEventType(document["event_type"]),
        at=datetime.strptime(document["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc),
        success=document["success"],
        origin=document["origin"],
        resource=document["resource"],
        prev_hash=document["prev_hash"],
        customer=document["customer"],
        fields=tuple(document["fields"]),
        purpose=document["purpose"],
        case=document["case"],
        reason=document["reason"],
    )


def entry_hash(entry: AuditEntry) -> str:
    """Hex hash of the entry: its RFC 6962 leaf hash, chained through ``prev_hash``."""
    return hash_leaf(canonical_entry_bytes(entry)).hex()


@dataclass(frozen=True)
class StoredEntry:
    """An entry as read back from storage with the hash stored beside it when it was appended."""

    entry: AuditEntry
    stored_hash: str


@dataclass(frozen=True)
class ChainAnchor:
    """Where verification starts: genesis, or the last entry removed by retention (its id and hash)."""

    entry_id: int = 0
    entry_hash: str = GENESIS_HASH


class BreakKind(str, enum.Enum):
    EDITED = "edited"  # the entry no longer matches the hash stored when it was appended
    REWRITTEN = "rewritten"  # entry and stored hash both changed; the next entry's link gives it away
    MISSING = "missing"  # an id is absent: the entry was deleted
    OUT_OF_ORDER = "out_of_order"  # an id repeats or goes back: entries were moved or duplicated
    UNLINKED = "unlinked"  # the first entry does not link to the anchor


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    kind: BreakKind

    def describe(self) -> str:
        """A one-line explanation for ``trustdesk audit verify``."""
        return f"audit entry {self.entry_id} is {self.kind.value.replace('_', ' ')}"


def find_first_break(
    entries: Iterable[StoredEntry], *, anchor: ChainAnchor = ChainAnchor()
) -> ChainBreak | None:
    """The first place the chain breaks, reading entries in storage order; None when it is intact."""
    expected_id = anchor.entry_id + 1
    previous = anchor
    for stored in entries:
        entry = stored.entry
        if entry.entry_id > expected_id:
            return ChainBreak(expected_id, BreakKind.MISSING)
        if entry.entry_id < expected_id:
            return ChainBreak(entry.entry_id, BreakKind.OUT_OF_ORDER)
        if entry_hash(entry) != stored.stored_hash:
            return ChainBreak(entry.entry_id, BreakKind.EDITED)
        if entry.prev_hash != previous.entry_hash:
            # This entry is intact, so the hash it recorded is what its predecessor really hashed to.
            if previous.entry_id == anchor.entry_id:
                return ChainBreak(entry.entry_id, BreakKind.UNLINKED)
            return ChainBreak(previous.entry_id, BreakKind.REWRITTEN)
        previous = ChainAnchor(entry_id=entry.entry_id, entry_hash=stored.stored_hash)
        expected_id += 1
    return None


def compare_with_head(
    newest: ChainAnchor, *, head_entry_id: int, head_hash: str
) -> ChainBreak | None:
    """Check an intact chain's newest entry against the head the appenders recorded.

    A chain ending before the head lost its newest entries (a deletion the links cannot show, since no
    later entry points at them); the same id with another hash means the newest entry was rewritten.
    """
    if newest.entry_id < head_entry_id:
        return ChainBreak(newest.entry_id + 1, BreakKind.MISSING)
    if newest.entry_id == head_entry_id and newest.entry_hash != head_hash:
        return ChainBreak(newest.entry_id, BreakKind.REWRITTEN)
    return None


def first_broken_entry(
    entries: Iterable[StoredEntry], *, anchor: ChainAnchor = ChainAnchor()
) -> int | None:
    """The id of the first entry edited, deleted or reordered, or None when the chain is intact."""
    found = find_first_break(entries, anchor=anchor)
    return found.entry_id if found else None
