"""The master key file and the sealed form of personal fields (no database needed)."""
from __future__ import annotations

import stat
from datetime import datetime, timezone

import pytest

from trustdesk.core.privacy.crypto import TamperedCiphertext, generate_data_key
from trustdesk.services.privacy_keys import (
    KeyMismatchError,
    Keyring,
    new_master_key,
    open_keyring,
    open_personal_data,
    read_master_key_file,
    seal_personal_data,
)

NOW = datetime(2026, 10, 15, tzinfo=timezone.utc)


def test_first_run_creates_a_private_key_file_and_says_so(tmp_path):
    created = []
    path = tmp_path / "trustdesk.key"
    keyring = open_keyring(path, now=NOW, on_create=created.append)
    assert created == [path] and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_master_key_file(path) == keyring.master
    again = open_keyring(path, now=NOW, on_create=created.append)
    assert again == keyring and created == [path]  # never regenerated, never announced twice


def test_sealed_fields_open_only_for_their_own_brand_customer_and_key():
    data_key = generate_data_key()
    sealed = seal_personal_data({"name": "Ana Lima", "email": "ana@example.com"}, data_key, brand_id=1,
                                customer_external_id="c-1")
    assert "Ana" not in str(sealed) and set(sealed) == {"name", "email"}
    assert open_personal_data(sealed, data_key, brand_id=1, customer_external_id="c-1")["name"] == "Ana Lima"
    with pytest.raises(TamperedCiphertext):
        open_personal_data(sealed, data_key, brand_id=1, customer_external_id="c-2")
    with pytest.raises(TamperedCiphertext):
        open_personal_data({"email": sealed["name"]}, data_key, brand_id=1, customer_external_id="c-1")
    with pytest.raises(TamperedCiphertext):
        open_personal_data(sealed, generate_data_key(), brand_id=1, customer_external_id="c-1")


def test_a_data_key_wrapped_by_another_master_key_is_refused_by_name():
    first, second = Keyring(new_master_key(NOW)), Keyring(new_master_key(NOW))
    data_key = generate_data_key()
    assert first.unwrap(first.wrap(data_key)) == data_key
    with pytest.raises(KeyMismatchError, match=first.master.key_id):
        second.unwrap(first.wrap(data_key))
