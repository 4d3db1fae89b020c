"""Audit entries: canonical bytes, hash chain, and naming the first entry edited, deleted or reordered."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from trustdesk.core.privacy.audit_log import (
    GENESIS_HASH,
    AuditEntry,
    AuditEventType,
    BreakKind,
    ChainAnchor,
    StoredEntry,
    canonical_entry_bytes,
    compare_with_head,
    entry_from_canonical,
    entry_hash,
    find_first_break,
    first_broken_entry,
)

START = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)


def build_log(count: int) -> list[StoredEntry]:
    log: list[StoredEntry] = []
    previous = GENESIS_HASH
    for number in range(1, count + 1):
        entry = AuditEntry(
            entry_id=number, user=f"user-{number % 3}", role="agent",
            event_type=AuditEventType.PERSONAL_DATA_READ, at=START + timedelta(minutes=number),
            success=True, origin="203.0.113.7", resource="customer:acme/cust-9", prev_hash=previous,
            customer="cust-9", fields=("name", "email"), purpose="billing", case="case-55",
        )
        previous = entry_hash(entry)
        log.append(StoredEntry(entry=entry, stored_hash=previous))
    return log


def edit(stored: StoredEntry, *, recompute_hash: bool) -> StoredEntry:
    changed = dataclasses.replace(stored.entry, fields=("name", "email", "account_number"))
    stored_hash = entry_hash(changed) if recompute_hash else stored.stored_hash
    return StoredEntry(entry=changed, stored_hash=stored_hash)


def test_intact_log_has_no_break() -> None:
    assert first_broken_entry(build_log(10)) is None
    assert first_broken_entry([]) is None


def test_edited_entry_is_named() -> None:
    log = build_log(10)
    log[3] = edit(log[3], recompute_hash=False)
    assert find_first_break(log) == find_first_break(log[:5])
    assert find_first_break(log).kind is BreakKind.EDITED
    assert first_broken_entry(log) == 4


def test_entry_rewritten_with_its_hash_is_named_through_the_next_link() -> None:
    log = build_log(10)
    log[6] = edit(log[6], recompute_hash=True)
    found = find_first_break(log)
    assert found is not None and (found.entry_id, found.kind) == (7, BreakKind.REWRITTEN)


def test_deleted_entry_is_named() -> None:
    log = build_log(10)
    del log[4]
    found = find_first_break(log)
    assert found is not None and (found.entry_id, found.kind) == (5, BreakKind.MISSING)


def test_reordered_entries_are_named() -> None:
    log = build_log(10)
    log[2], log[5] = log[5], log[2]
    assert first_broken_entry(log) == 3
    duplicated = build_log(4)
    duplicated.insert(2, duplicated[1])
    found = find_first_break(duplicated)
    assert found is not None and (found.entry_id, found.kind) == (2, BreakKind.OUT_OF_ORDER)


def test_first_entry_must_link_to_the_anchor() -> None:
    log = build_log(3)
    assert first_broken_entry(log, anchor=ChainAnchor(entry_id=0, entry_hash="11" * 32)) == 1
    # After retention removed entries 1-2, verification resumes from the last removed one.
    anchor = ChainAnchor(entry_id=2, entry_hash=log[1].stored_hash)
    assert first_broken_entry(log[2:], anchor=anchor) is None
    assert first_broken_entry(log[1:], anchor=anchor) == 2


def test_canonical_bytes_are_stable_and_round_trip() -> None:
    entry = build_log(1)[0].entry
    same_instant = dataclasses.replace(entry, at=entry.at.astimezone(timezone(timedelta(hours=8))))
    assert canonical_entry_bytes(entry) == canonical_entry_bytes(same_instant)
    assert entry_from_canonical(canonical_entry_bytes(entry)) == entry
    assert b'"at":"2026-10-01T09:01:00.000000Z"' in canonical_entry_bytes(entry)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"entry_id": 0}, "entry_id"),
        ({"at": datetime(2026, 1, 1)}, "timezone-aware"),
        ({"prev_hash": "ab"}, "prev_hash"),
    ],
)
def test_invalid_entries_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(build_log(1)[0].entry, **changes)


def test_hash_depends_on_every_pci_field() -> None:
    entry = build_log(1)[0].entry
    variants = [
        {"user": "someone"}, {"role": "admin"}, {"event_type": AuditEventType.EXPORT}, {"at": START},
        {"success": False}, {"origin": "cli"}, {"resource": "customer:acme/other"}, {"customer": None},
        {"fields": ()}, {"purpose": None}, {"case": None}, {"reason": "emergency"}, {"prev_hash": "ff" * 32},
    ]
    hashes = {entry_hash(dataclasses.replace(entry, **variant)) for variant in variants}
    assert entry_hash(entry) not in hashes and len(hashes) == len(variants)


def test_chain_shorter_than_its_head_lost_its_newest_entries() -> None:
    log = build_log(6)
    newest = ChainAnchor(entry_id=4, entry_hash=log[3].stored_hash)  # entries 5 and 6 deleted
    found = compare_with_head(newest, head_entry_id=6, head_hash=log[5].stored_hash)
    assert found is not None and (found.entry_id, found.kind) == (5, BreakKind.MISSING)


def test_newest_entry_rewritten_under_the_head_is_named() -> None:
    log = build_log(3)
    rewritten = edit(log[2], recompute_hash=True)
    newest = ChainAnchor(entry_id=3, entry_hash=rewritten.stored_hash)
    found = compare_with_head(newest, head_entry_id=3, head_hash=log[2].stored_hash)
    assert found is not None and (found.entry_id, found.kind) == (3, BreakKind.REWRITTEN)
    assert compare_with_head(ChainAnchor(3, log[2].stored_hash), head_entry_id=3, head_hash=log[2].stored_hash) is None
