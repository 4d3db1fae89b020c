"""Signed tree heads (Ed25519) and inclusion proofs of one audit entry that an outside auditor checks offline.

Signed bytes of a tree head: ``b"trustdesk-tree-head-v1\\x00" | size (8, big-endian) | timestamp in
milliseconds since the epoch (8, big-endian) | root hash (32)``.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from trustdesk.core.privacy.audit_log import AuditEntry, canonical_entry_bytes
from trustdesk.core.privacy.merkle import HASH_BYTES, hash_leaf, inclusion_path, root_hash, verify_inclusion

_HEAD_CONTEXT = b"trustdesk-tree-head-v1\x00"
PROOF_FORMAT = "trustdesk-inclusion-proof-v1"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class TreeHead:
    size: int
    root_hash: bytes
    timestamp: datetime

    def __post_init__(self) -> None:
        if self.size < 0 or len(self.root_hash) != HASH_BYTES:
            raise ValueError(
                f"TreeHead needs size >= 0 and a 32-byte root, got {self.size}, {len(self.root_hash)} bytes"
            )
        if self.timestamp.tzinfo is None:
            raise ValueError(f"TreeHead.timestamp must be timezone-aware, got {self.timestamp.isoformat()}")


@dataclass(frozen=True)
class SignedTreeHead:
    head: TreeHead
    signature: bytes


def tree_head_of(leaf_hashes: Sequence[bytes], *, timestamp: datetime) -> TreeHead:
    """The head (size and RFC 6962 root) of the tree over ``leaf_hashes`` at ``timestamp``."""
    return TreeHead(size=len(leaf_hashes), root_hash=root_hash(leaf_hashes), timestamp=timestamp)


def generate_signing_key() -> bytes:
    """A fresh raw 32-byte Ed25519 private key for signing tree heads."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes_raw()


def public_key_of(signing_key: bytes) -> bytes:
    """The raw 32-byte Ed25519 public key an auditor uses to check signed tree heads."""
    public = Ed25519PrivateKey.from_private_bytes(signing_key).public_key()
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _epoch_milliseconds(at: datetime) -> int:
    # Integer arithmetic: float seconds since 1970 lose the last millisecond on some instants.
    return (at - _EPOCH) // timedelta(milliseconds=1)


def _signed_bytes(head: TreeHead) -> bytes:
    milliseconds = _epoch_milliseconds(head.timestamp)
    return _HEAD_CONTEXT + head.size.to_bytes(8, "big") + milliseconds.to_bytes(8, "big") + head.root_hash


def sign_tree_head(head: TreeHead, signing_key: bytes) -> SignedTreeHead:
    """Sign ``head`` with the raw Ed25519 private key."""
    signature = Ed25519PrivateKey.from_private_bytes(signing_key).sign(_signed_bytes(head))
    return SignedTreeHead(head=head, signature=signature)


def verify_tree_head(signed: SignedTreeHead, public_key: bytes) -> bool:
    """Whether ``signed`` carries a valid signature by the holder of ``public_key``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signed.signature, _signed_bytes(signed.head))
    except (InvalidSignature, ValueError):
        return False
    return True


def tree_head_to_dict(signed: SignedTreeHead) -> dict[str, Any]:
    """The published JSON form of a signed tree head."""
    head = signed.head
    return {
        "tree_size": head.size,
        "timestamp_ms": _epoch_milliseconds(head.timestamp),
        "root_hash": head.root_hash.hex(),
        "signature": base64.b64encode(signed.signature).decode("ascii"),
    }


def tree_head_from_dict(document: dict[str, Any]) -> SignedTreeHead:
    """Parse ``tree_head_to_dict`` output; raises ValueError or KeyError on a malformed document."""
    timestamp = _EPOCH + timedelta(milliseconds=int(document["timestamp_ms"]))
    head = TreeHead(
        size=int(document["tree_size"]), root_hash=bytes.fromhex(document["root_hash"]), timestamp=timestamp
    )
    return SignedTreeHead(head=head, signature=base64.b64decode(document["signature"], validate=True))


def prove_entry(
    leaf_hashes: Sequence[bytes], entry: AuditEntry, *, signed_head: SignedTreeHead
) -> str:
    """JSON proof that ``entry`` is in the log ``signed_head`` covers, from the stored ``leaf_hashes``."""
    size = signed_head.head.size
    index = entry.entry_id - 1
    if not index < size <= len(leaf_hashes):
        raise ValueError(f"entry {entry.entry_id} is not covered by a tree head of size {size}")
    canonical = canonical_entry_bytes(entry)
    document = {
        "format": PROOF_FORMAT,
        "entry_id": entry.entry_id,
        "leaf_index": index,
        "tree_size": size,
        "entry": canonical.decode("utf-8"),
        "leaf_hash": hash_leaf(canonical).hex(),
        "audit_path": [node.hex() for node in inclusion_path(leaf_hashes[:size], index)],
        "signed_tree_head": tree_head_to_dict(signed_head),
    }
    return json.dumps(document, indent=2, sort_keys=True)


def verify_inclusion_proof(proof_json: str, *, public_key: bytes | None = None) -> bool:
    """Whether the proof holds: entry -> leaf hash -> audit path -> root of the (signed) tree head.

    Without ``public_key`` only the hashes are checked; with it the tree head's signature must verify too,
    which is what ties the proof to the log an auditor trusts.
    """
    try:
        document = json.loads(proof_json)
        if document["format"] != PROOF_FORMAT:
            return False
        entry_bytes = document["entry"].encode("utf-8")
        leaf_hash = bytes.fromhex(document["leaf_hash"])
        path = [bytes.fromhex(node) for node in document["audit_path"]]
        signed = tree_head_from_dict(document["signed_tree_head"])
        index, size = int(document["leaf_index"]), int(document["tree_size"])
        entry_id = json.loads(entry_bytes)["entry_id"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    if hash_leaf(entry_bytes) != leaf_hash or signed.head.size != size or entry_id != index + 1:
        return False
    if not verify_inclusion(leaf_hash, index=index, size=size, path=path, root=signed.head.root_hash):
        return False
    return public_key is None or verify_tree_head(signed, public_key)
