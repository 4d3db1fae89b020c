"""Encryption at rest of customers' personal fields: the master key file, per-customer data keys, records.

Each customer's fields are encrypted (AES-256-GCM) under the customer's own data key; the data key is stored
wrapped by the master key read from ``TRUSTDESK_MASTER_KEY_FILE``. The associated data of each field names
its brand, customer and field, so a ciphertext copied to another customer or field fails to decrypt.
Erasing a customer deletes their data key (crypto-shredding): copies of the ciphertext become noise.
"""
from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, delete, func, select, update

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.privacy.crypto import (
    MasterKey,
    decode_master_key,
    decrypt_field,
    encode_master_key,
    encrypt_field,
    generate_data_key,
    generate_master_key,
    unwrap_data_key,
    wrap_data_key,
    wrapped_key_id,
)
from trustdesk.services.audit import record_audit_event
from trustdesk.storage import tables as t
from trustdesk.storage.bulk import insert_rows
from trustdesk.storage.privacy_tables import customer_keys


class KeyMismatchError(LookupError):
    """A data key was wrapped by another master key than the one loaded."""


@dataclass(frozen=True)
class Keyring:
    """The master key in use; it wraps and unwraps customers' data keys."""

    master: MasterKey

    def wrap(self, data_key: bytes) -> bytes:
        return wrap_data_key(data_key, self.master.key, key_id=self.master.key_id)

    def unwrap(self, wrapped: bytes) -> bytes:
        key_id = wrapped_key_id(wrapped)
        if key_id != self.master.key_id:
            raise KeyMismatchError(
                f"data key wrapped by master key {key_id!r}, but the loaded master key is {self.master.key_id!r}: "
                "point TRUSTDESK_MASTER_KEY_FILE at the right file, or finish `trustdesk keys rotate`"
            )
        return unwrap_data_key(wrapped, self.master.key)


def new_master_key(now: datetime) -> MasterKey:
    """A fresh master key whose id says when it was made (key ids appear in wrapped keys and audit entries)."""
    return MasterKey(key_id=f"kek-{now:%Y%m%d}-{secrets.token_hex(4)}", key=generate_master_key())


def write_master_key_file(path: Path, master: MasterKey) -> None:
    """Create ``path`` (mode 0600, never overwriting) holding ``master``; FileExistsError when it exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        stream.write(encode_master_key(master))


def read_master_key_file(path: Path) -> MasterKey:
    return decode_master_key(path.read_text(encoding="ascii"))


def new_master_key_notice(path: Path) -> str:
    """What to tell the operator when a master key was generated: without it the customer data is lost."""
    return (f"trustdesk: generated a new master key in {path} (mode 0600). Back it up and keep it apart from "
            "the database: without it the encrypted customer data cannot be read.")


def open_keyring(path: Path, *, now: datetime, on_create: Callable[[Path], None]) -> Keyring:
    """The keyring of the master key at ``path``; a new key is generated there on first run."""
    try:
        master = new_master_key(now)
        write_master_key_file(path, master)
    except FileExistsError:
        # Another process may have created it a moment ago; theirs is the key, whatever we generated.
        return Keyring(read_master_key_file(path))
    on_create(path)
    return Keyring(master)


def _associated_data(brand_id: int, customer_external_id: str, field: str) -> bytes:
    return f"brand:{brand_id}/customer:{customer_external_id}/field:{field}".encode()


def seal_personal_data(fields: Mapping[str, str], data_key: bytes, *, brand_id: int,
                       customer_external_id: str) -> dict[str, str]:
    """The stored form of a customer's fields: field name -> base64 of its AES-256-GCM ciphertext."""
    return {
        field: base64.b64encode(encrypt_field(
            value, data_key, associated_data=_associated_data(brand_id, customer_external_id, field))).decode("ascii")
        for field, value in sorted(fields.items())
    }


def open_personal_data(stored: Mapping[str, str], data_key: bytes, *, brand_id: int,
                       customer_external_id: str) -> dict[str, str]:
    """The plaintext fields of ``seal_personal_data`` output."""
    return {
        field: decrypt_field(base64.b64decode(value), data_key,
                             associated_data=_associated_data(brand_id, customer_external_id, field))
        for field, value in stored.items()
    }


def store_data_keys(connection: Connection, wrapped_by_customer: Mapping[int, bytes], *, keyring: Keyring,
                    now: datetime) -> None:
    """Insert the wrapped data keys of new customers."""
    insert_rows(connection, customer_keys, ("customer_id", "wrapped_key", "master_key_id", "created_at"),
                [(customer_id, wrapped, keyring.master.key_id, now)
                 for customer_id, wrapped in wrapped_by_customer.items()])


def load_data_keys(connection: Connection, customer_ids: Iterable[int], *, keyring: Keyring) -> dict[int, bytes]:
    """The unwrapped data keys of those ``customer_ids`` that have one (erased customers have none)."""
    ids = list(customer_ids)
    if not ids:
        return {}
    rows = connection.execute(
        select(customer_keys.c.customer_id, customer_keys.c.wrapped_key).where(customer_keys.c.customer_id.in_(ids))
    ).all()
    return {row.customer_id: keyring.unwrap(row.wrapped_key) for row in rows}


def shred_data_key(connection: Connection, customer_id: int) -> bool:
    """Delete the customer's data key; True when there was one."""
    return connection.execute(delete(customer_keys).where(customer_keys.c.customer_id == customer_id)).rowcount > 0


def read_customer_record(connection: Connection, *, brand_id: int, customer_external_id: str,
                         keyring: Keyring) -> dict[str, str | None] | None:
    """The decrypted personal fields and country of one customer, or None when the customer does not exist.

    Callers apply the viewer's access policy and write the audit entry; this function only decrypts.
    An erased customer comes back with only the non-personal ``country``.
    """
    row = connection.execute(
        select(t.customers.c.id, t.customers.c.country, t.customers.c.personal_data).where(
            t.customers.c.brand_id == brand_id, t.customers.c.external_id == customer_external_id)
    ).first()
    if row is None:
        return None
    data_key = load_data_keys(connection, [row.id], keyring=keyring).get(row.id)
    fields: dict[str, str | None] = {}
    if data_key is not None and row.personal_data:
        fields.update(open_personal_data(row.personal_data, data_key, brand_id=brand_id,
                                         customer_external_id=customer_external_id))
    fields["country"] = row.country
    return fields


def write_customer_fields(connection: Connection, *, customer_id: int, brand_id: int, customer_external_id: str,
                          fields: Mapping[str, str], keyring: Keyring, now: datetime) -> None:
    """Replace a customer's stored personal fields with ``fields``, encrypted (a data key is made if missing)."""
    data_key = load_data_keys(connection, [customer_id], keyring=keyring).get(customer_id)
    if data_key is None:
        data_key = generate_data_key()
        store_data_keys(connection, {customer_id: keyring.wrap(data_key)}, keyring=keyring, now=now)
    sealed = seal_personal_data(fields, data_key, brand_id=brand_id, customer_external_id=customer_external_id)
    connection.execute(update(t.customers).where(t.customers.c.id == customer_id).values(personal_data=sealed))


def count_unkeyed_customers(connection: Connection) -> int:
    """Customers without a data key: erased ones, ones never given personal data, and any stored in plaintext."""
    return connection.execute(
        select(func.count()).select_from(t.customers)
        .outerjoin(customer_keys, customer_keys.c.customer_id == t.customers.c.id)
        .where(customer_keys.c.customer_id.is_(None))
    ).scalar_one()


@dataclass(frozen=True)
class EncryptionBatch:
    scanned: int  # customers without a data key looked at
    encrypted: int  # of those, the ones whose plaintext fields were sealed
    last_customer_id: int  # where the next batch starts (exclusive)


def encrypt_plaintext_batch(connection: Connection, *, after_customer_id: int, limit: int, keyring: Keyring,
                            actor: str, origin: str, now: datetime) -> EncryptionBatch:
    """Seal the plaintext personal fields of up to ``limit`` key-less customers after ``after_customer_id``.

    Releases before per-customer encryption stored ``customers.personal_data`` as plain field values and made
    no data key. Sealed fields always come with a data key, so a customer without one holds either nothing
    (erased, or never given personal data) or plaintext: those are encrypted here under a new data key.
    Running it again finds nothing left to do. One audit entry per batch that encrypted anything.
    """
    rows = connection.execute(
        select(t.customers.c.id, t.customers.c.brand_id, t.customers.c.external_id, t.customers.c.personal_data)
        .outerjoin(customer_keys, customer_keys.c.customer_id == t.customers.c.id)
        .where(customer_keys.c.customer_id.is_(None), t.customers.c.id > after_customer_id)
        .order_by(t.customers.c.id).limit(limit)
    ).all()
    new_keys: dict[int, bytes] = {}
    for row in rows:
        plaintext = {field: str(value) for field, value in (row.personal_data or {}).items() if value is not None}
        if not plaintext:
            continue
        data_key = generate_data_key()
        sealed = seal_personal_data(plaintext, data_key, brand_id=row.brand_id, customer_external_id=row.external_id)
        connection.execute(update(t.customers).where(t.customers.c.id == row.id).values(personal_data=sealed))
        new_keys[row.id] = keyring.wrap(data_key)
    store_data_keys(connection, new_keys, keyring=keyring, now=now)
    if new_keys:
        record_audit_event(
            connection, actor=actor, role="admin", event_type=AuditEventType.KEY_ROTATION, at=now, origin=origin,
            resource=f"master_key:{keyring.master.key_id}",
            reason=f"plaintext personal data of {len(new_keys)} customer(s) encrypted under new data keys",
        )
    return EncryptionBatch(scanned=len(rows), encrypted=len(new_keys),
                           last_customer_id=rows[-1].id if rows else after_customer_id)


@dataclass(frozen=True)
class RotationReport:
    old_key_id: str
    new_key_id: str
    rewrapped: int


def rotate_master_key(connection: Connection, *, old: Keyring, new: Keyring, actor: str, origin: str, now: datetime,
                      on_progress: Callable[[int], None] = lambda _count: None) -> RotationReport:
    """Re-wrap every data key still under ``old`` with ``new``; the encrypted fields are not touched.

    Resumable: keys already under the new master key are skipped, so a rotation interrupted after its
    transaction committed can simply be run again.
    """
    stale = connection.execute(
        select(customer_keys.c.customer_id, customer_keys.c.wrapped_key)
        .where(customer_keys.c.master_key_id != new.master.key_id)
        .order_by(customer_keys.c.customer_id)
    ).all()
    for row in stale:
        connection.execute(
            update(customer_keys).where(customer_keys.c.customer_id == row.customer_id)
            .values(wrapped_key=new.wrap(old.unwrap(row.wrapped_key)), master_key_id=new.master.key_id)
        )
        on_progress(1)
    record_audit_event(
        connection, actor=actor, role="admin", event_type=AuditEventType.KEY_ROTATION, at=now, origin=origin,
        resource=f"master_key:{new.master.key_id}",
        reason=f"{len(stale)} data keys re-wrapped from {old.master.key_id} to {new.master.key_id}",
    )
    return RotationReport(old_key_id=old.master.key_id, new_key_id=new.master.key_id, rewrapped=len(stale))


def count_stale_data_keys(connection: Connection, *, new_key_id: str) -> int:
    return connection.execute(
        select(func.count()).select_from(customer_keys).where(customer_keys.c.master_key_id != new_key_id)
    ).scalar_one()


def pending_master_key_path(path: Path) -> Path:
    """Where a rotation keeps the new master key until the data keys are re-wrapped under it."""
    return path.with_name(path.name + ".next")


def install_master_key(path: Path, *, old: MasterKey) -> Path:
    """Make the pending key the master key; the old one is kept as ``<file>.<old key id>.bak``."""
    backup = path.with_name(f"{path.name}.{old.key_id}.bak")
    try:
        write_master_key_file(backup, old)
    except FileExistsError:
        pass  # an interrupted rotation already saved it
    # os.replace is atomic: the key file always holds one complete key, the old one or the new one.
    os.replace(pending_master_key_path(path), path)
    return backup
