"""AES-256-GCM envelope encryption: fields under a per-customer data key, data keys wrapped by a master key.

Binary formats (all version 1; the first byte is the format version):

- encrypted field: ``01 | nonce (12) | ciphertext | tag (16)``. The GCM associated data is
  ``b"trustdesk-field-v1\\x00" + associated_data``, so a value moved to another customer or column fails.
- wrapped data key: ``01 | len(key_id) (1) | key_id (ASCII) | nonce (12) | encrypted key (32) | tag (16)``.
  The associated data is ``b"trustdesk-dek-v1\\x00"`` plus the header, so the key id cannot be swapped.
- master key file text: ``trustdesk-master-key v1 <key_id> <urlsafe base64 of 32 bytes>``.

Nonces are 96 random bits from the OS CSPRNG: they are never passed in, because a caller reusing one under
the same key would void GCM's guarantees. Erasing a customer = deleting their wrapped data key.
"""
from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION = 1
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
TAG_BYTES = 16
_FIELD_CONTEXT = b"trustdesk-field-v1\x00"
_DEK_CONTEXT = b"trustdesk-dek-v1\x00"
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_MASTER_KEY_PREFIX = "trustdesk-master-key v1"


class CryptoError(ValueError):
    """Bytes that are not in a supported format, or a key of the wrong size."""


class TamperedCiphertext(CryptoError):
    """Authentication failed: the bytes were altered, or the key or associated data is not the right one."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes


def generate_data_key() -> bytes:
    """A fresh random 256-bit data key for one customer."""
    return AESGCM.generate_key(bit_length=256)


def generate_master_key() -> bytes:
    """A fresh random 256-bit key-encryption key."""
    return AESGCM.generate_key(bit_length=256)


def _check_key(key: bytes, *, name: str) -> None:
    if len(key) != KEY_BYTES:
        raise CryptoError(f"{name} must be {KEY_BYTES} bytes, got {len(key)}")


def _check_key_id(key_id: str) -> bytes:
    if not _KEY_ID.match(key_id):
        raise CryptoError(f"key_id must be 1-64 characters of A-Z a-z 0-9 . _ -, got {key_id!r}")
    return key_id.encode("ascii")


def _open(key: bytes, nonce: bytes, sealed: bytes, associated: bytes, *, what: str) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, sealed, associated)
    except InvalidTag:
        raise TamperedCiphertext(
            f"{what} failed authentication: tampered bytes, wrong key or wrong associated data"
        ) from None


def encrypt_field(plaintext: str, dek: bytes, *, associated_data: bytes) -> bytes:
    """Encrypt one field value; ``associated_data`` binds it to its place (e.g. ``b"customer:9:email"``)."""
    _check_key(dek, name="data key")
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(dek).encrypt(nonce, plaintext.encode("utf-8"), _FIELD_CONTEXT + associated_data)
    return bytes([FORMAT_VERSION]) + nonce + sealed


def decrypt_field(ciphertext: bytes, dek: bytes, *, associated_data: bytes) -> str:
    """Decrypt a value made by ``encrypt_field`` with the same key and associated data."""
    _check_key(dek, name="data key")
    if len(ciphertext) < 1 + NONCE_BYTES + TAG_BYTES:
        raise CryptoError(f"encrypted field too short: {len(ciphertext)} bytes")
    if ciphertext[0] != FORMAT_VERSION:
        raise CryptoError(f"unsupported encrypted field version {ciphertext[0]}")
    nonce = ciphertext[1 : 1 + NONCE_BYTES]
    plain = _open(dek, nonce, ciphertext[1 + NONCE_BYTES :], _FIELD_CONTEXT + associated_data, what="field")
    return plain.decode("utf-8")


def wrap_data_key(dek: bytes, kek: bytes, *, key_id: str) -> bytes:
    """Encrypt a data key under the master key ``kek`` named ``key_id`` (stored in the clear header)."""
    _check_key(dek, name="data key")
    _check_key(kek, name="master key")
    key_id_bytes = _check_key_id(key_id)
    header = bytes([FORMAT_VERSION, len(key_id_bytes)]) + key_id_bytes
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(kek).encrypt(nonce, dek, _DEK_CONTEXT + header)


def _split_wrapped(wrapped: bytes) -> tuple[bytes, str, bytes, bytes]:
    if len(wrapped) < 2:
        raise CryptoError(f"wrapped data key too short: {len(wrapped)} bytes")
    if wrapped[0] != FORMAT_VERSION:
        raise CryptoError(f"unsupported wrapped data key version {wrapped[0]}")
    header_end = 2 + wrapped[1]
    if len(wrapped) != header_end + NONCE_BYTES + KEY_BYTES + TAG_BYTES:
        raise CryptoError(f"wrapped data key has the wrong length: {len(wrapped)} bytes")
    header = wrapped[:header_end]
    try:
        key_id = header[2:].decode("ascii")
    except UnicodeDecodeError:
        raise CryptoError("wrapped data key has a key id that is not ASCII") from None
    nonce = wrapped[header_end : header_end + NONCE_BYTES]
    return header, key_id, nonce, wrapped[header_end + NONCE_BYTES :]


def wrapped_key_id(wrapped: bytes) -> str:
    """The id of the master key a wrapped data key was made with (to pick the key, or find stale ones)."""
    return _split_wrapped(wrapped)[1]


def unwrap_data_key(wrapped: bytes, kek: bytes) -> bytes:
    """Recover the data key from ``wrap_data_key`` output with the same master key."""
    _check_key(kek, name="master key")
    header, key_id, nonce, sealed = _split_wrapped(wrapped)
    return _open(kek, nonce, sealed, _DEK_CONTEXT + header, what=f"data key wrapped by {key_id!r}")


def rewrap(wrapped: bytes, old_kek: bytes, new_kek: bytes, *, new_key_id: str) -> bytes:
    """Re-wrap a data key under a new master key; the fields it encrypts stay as they are."""
    return wrap_data_key(unwrap_data_key(wrapped, old_kek), new_kek, key_id=new_key_id)


def encode_master_key(master_key: MasterKey) -> str:
    """The one-line text form of a master key, for the key file."""
    _check_key(master_key.key, name="master key")
    _check_key_id(master_key.key_id)
    encoded = base64.urlsafe_b64encode(master_key.key).decode("ascii")
    return f"{_MASTER_KEY_PREFIX} {master_key.key_id} {encoded}\n"


def decode_master_key(text: str) -> MasterKey:
    """Parse the key-file text made by ``encode_master_key``."""
    parts = text.strip().split(" ")
    if len(parts) != 4 or " ".join(parts[:2]) != _MASTER_KEY_PREFIX:
        raise CryptoError(f"master key text must look like '{_MASTER_KEY_PREFIX} <key_id> <base64>'")
    key_id = parts[2]
    _check_key_id(key_id)
    try:
        key = base64.urlsafe_b64decode(parts[3].encode("ascii"))
    except ValueError:
        raise CryptoError("master key text: the key is not valid base64") from None
    _check_key(key, name="master key")
    return MasterKey(key_id=key_id, key=key)
