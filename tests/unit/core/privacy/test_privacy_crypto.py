"""Envelope encryption: round trips, tamper detection, key rotation without touching the data."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.privacy.crypto import (
    CryptoError,
    MasterKey,
    TamperedCiphertext,
    decode_master_key,
    decrypt_field,
    encode_master_key,
    encrypt_field,
    generate_data_key,
    generate_master_key,
    rewrap,
    unwrap_data_key,
    wrap_data_key,
    wrapped_key_id,
)

DEK = generate_data_key()
KEK = generate_master_key()
AAD = b"customer:acme/cust-9:email"


@settings(max_examples=50)
@given(plaintext=st.text(), associated=st.binary(max_size=64))
def test_encrypt_then_decrypt_returns_the_plaintext(plaintext: str, associated: bytes) -> None:
    sealed = encrypt_field(plaintext, DEK, associated_data=associated)
    assert decrypt_field(sealed, DEK, associated_data=associated) == plaintext


@settings(max_examples=50)
@given(plaintext=st.text(min_size=1), data=st.data())
def test_any_flipped_bit_is_detected(plaintext: str, data: st.DataObject) -> None:
    sealed = bytearray(encrypt_field(plaintext, DEK, associated_data=AAD))
    position = data.draw(st.integers(min_value=1, max_value=len(sealed) - 1))
    sealed[position] ^= 1 << data.draw(st.integers(min_value=0, max_value=7))
    with pytest.raises(TamperedCiphertext, match="failed authentication"):
        decrypt_field(bytes(sealed), DEK, associated_data=AAD)


def test_same_plaintext_encrypts_differently_each_time() -> None:
    assert encrypt_field("jane@example.com", DEK, associated_data=AAD) != encrypt_field(
        "jane@example.com", DEK, associated_data=AAD
    )


OTHER_KEY = bytes(range(32))


@pytest.mark.parametrize(
    ("key", "associated"),
    [(OTHER_KEY, AAD), (DEK, b"customer:acme/cust-10:email"), (DEK, b"")],
    ids=["other key", "other customer", "no associated data"],
)
def test_wrong_key_or_place_is_refused(key: bytes, associated: bytes) -> None:
    sealed = encrypt_field("jane@example.com", DEK, associated_data=AAD)
    with pytest.raises(TamperedCiphertext):
        decrypt_field(sealed, key, associated_data=associated)


@pytest.mark.parametrize(
    ("ciphertext", "message"),
    [(b"", "too short"), (b"\x02" + bytes(40), "version 2"), (b"\x01" + bytes(10), "too short")],
)
def test_malformed_field_ciphertext_is_named(ciphertext: bytes, message: str) -> None:
    with pytest.raises(CryptoError, match=message):
        decrypt_field(ciphertext, DEK, associated_data=AAD)


def test_short_keys_are_refused() -> None:
    with pytest.raises(CryptoError, match="data key must be 32 bytes, got 16"):
        encrypt_field("x", bytes(16), associated_data=AAD)
    with pytest.raises(CryptoError, match="master key must be 32 bytes"):
        wrap_data_key(DEK, bytes(31), key_id="k1")


def test_wrapped_key_round_trips_and_names_its_master_key() -> None:
    wrapped = wrap_data_key(DEK, KEK, key_id="kek-2026-10")
    assert wrapped_key_id(wrapped) == "kek-2026-10"
    assert unwrap_data_key(wrapped, KEK) == DEK
    with pytest.raises(TamperedCiphertext, match="kek-2026-10"):
        unwrap_data_key(wrapped, generate_master_key())


def test_swapping_the_key_id_in_the_header_is_detected() -> None:
    wrapped = bytearray(wrap_data_key(DEK, KEK, key_id="kek-a"))
    wrapped[2:7] = b"kek-b"
    with pytest.raises(TamperedCiphertext):
        unwrap_data_key(bytes(wrapped), KEK)


@pytest.mark.parametrize("key_id", ["", "has space", "é", "x" * 65])
def test_bad_key_ids_are_refused(key_id: str) -> None:
    with pytest.raises(CryptoError, match="key_id"):
        wrap_data_key(DEK, KEK, key_id=key_id)


def test_rotation_rewraps_the_data_key_and_old_ciphertexts_still_decrypt() -> None:
    sealed = encrypt_field("+1 415 555 0134", DEK, associated_data=AAD)
    old = wrap_data_key(DEK, KEK, key_id="old")
    new_kek = generate_master_key()
    rotated = rewrap(old, KEK, new_kek, new_key_id="new")
    assert wrapped_key_id(rotated) == "new"
    assert decrypt_field(sealed, unwrap_data_key(rotated, new_kek), associated_data=AAD) == "+1 415 555 0134"
    with pytest.raises(TamperedCiphertext):
        unwrap_data_key(rotated, KEK)


def test_master_key_text_round_trips() -> None:
    master = MasterKey(key_id="kek-1", key=KEK)
    text = encode_master_key(master)
    assert text.startswith("trustdesk-master-key v1 kek-1 ")
    assert decode_master_key(text) == master


@pytest.mark.parametrize(
    "text",
    [
        "",
        "trustdesk-master-key v2 kek-1 AAAA",
        "trustdesk-master-key v1 kek-1 AAAA",
        "trustdesk-master-key v1 kek-1 !!",
    ],
)
def test_bad_master_key_text_is_refused(text: str) -> None:
    with pytest.raises(CryptoError, match="master key"):
        decode_master_key(text)
