"""Signed tree heads and offline inclusion proofs of one audit entry."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone

import pytest

from trustdesk.core.privacy.audit_log import GENESIS_HASH, AuditEntry, AuditEventType, entry_hash
from trustdesk.core.privacy.audit_proof import (
    generate_signing_key,
    prove_entry,
    public_key_of,
    sign_tree_head,
    tree_head_from_dict,
    tree_head_of,
    tree_head_to_dict,
    verify_inclusion_proof,
    verify_tree_head,
)

NOW = datetime(2026, 10, 2, 12, 0, 0, 123000, tzinfo=timezone.utc)


def build_entries(count: int) -> list[AuditEntry]:
    entries, previous = [], GENESIS_HASH
    for number in range(1, count + 1):
        entry = AuditEntry(
            entry_id=number, user="ana", role="supervisor", event_type=AuditEventType.EXPORT,
            at=NOW - timedelta(hours=count - number), success=True, origin="cli",
            resource=f"customer:acme/cust-{number}", prev_hash=previous, customer=f"cust-{number}",
        )
        previous = entry_hash(entry)
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def signing_key() -> bytes:
    return generate_signing_key()


def test_signed_tree_head_verifies_only_unchanged_and_with_its_key(signing_key: bytes) -> None:
    hashes = [bytes.fromhex(entry_hash(entry)) for entry in build_entries(5)]
    signed = sign_tree_head(tree_head_of(hashes, timestamp=NOW), signing_key)
    public = public_key_of(signing_key)
    assert verify_tree_head(signed, public)
    assert verify_tree_head(tree_head_from_dict(json.loads(json.dumps(tree_head_to_dict(signed)))), public)
    assert not verify_tree_head(signed, public_key_of(generate_signing_key()))
    for change in ({"size": 4}, {"root_hash": bytes(32)}, {"timestamp": NOW + timedelta(seconds=1)}):
        forged = dataclasses.replace(signed, head=dataclasses.replace(signed.head, **change))
        assert not verify_tree_head(forged, public)


def test_inclusion_proof_verifies_offline_for_every_entry(signing_key: bytes) -> None:
    entries = build_entries(13)
    hashes = [bytes.fromhex(entry_hash(entry)) for entry in entries]
    signed = sign_tree_head(tree_head_of(hashes, timestamp=NOW), signing_key)
    for entry in entries:
        proof = prove_entry(hashes, entry, signed_head=signed)
        assert verify_inclusion_proof(proof)
        assert verify_inclusion_proof(proof, public_key=public_key_of(signing_key))
        assert not verify_inclusion_proof(proof, public_key=public_key_of(generate_signing_key()))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda doc: doc.update(entry=doc["entry"].replace("cust-3", "cust-4")),
        lambda doc: doc.update(leaf_index=doc["leaf_index"] + 1),
        lambda doc: doc.update(tree_size=doc["tree_size"] - 1),
        lambda doc: doc["audit_path"].reverse(),
        lambda doc: doc["audit_path"].pop(),
        lambda doc: doc["signed_tree_head"].update(root_hash="00" * 32),
        lambda doc: doc.update(format="something-else"),
        lambda doc: doc.pop("leaf_hash"),
        lambda doc: doc.update(audit_path="not a list of hex"),
    ],
)
def test_tampered_inclusion_proof_fails(signing_key: bytes, tamper) -> None:
    entries = build_entries(8)
    hashes = [bytes.fromhex(entry_hash(entry)) for entry in entries]
    signed = sign_tree_head(tree_head_of(hashes, timestamp=NOW), signing_key)
    document = json.loads(prove_entry(hashes, entries[2], signed_head=signed))
    tamper(document)
    assert not verify_inclusion_proof(json.dumps(document))


def test_garbage_is_not_a_proof() -> None:
    assert not verify_inclusion_proof("not json")
    assert not verify_inclusion_proof("[]")


def test_entry_beyond_the_signed_head_cannot_be_proven(signing_key: bytes) -> None:
    entries = build_entries(6)
    hashes = [bytes.fromhex(entry_hash(entry)) for entry in entries]
    signed = sign_tree_head(tree_head_of(hashes[:4], timestamp=NOW), signing_key)
    with pytest.raises(ValueError, match="not covered"):
        prove_entry(hashes, entries[5], signed_head=signed)
