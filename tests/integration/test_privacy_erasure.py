"""Encryption at rest and erasure by crypto-shredding, through the API and the CLI, on SQLite and PostgreSQL.

The proof reads the database's raw bytes (the SQLite file and its WAL after a checkpoint; a pg_dump of the
test schema on PostgreSQL) and finds none of the erased customer's identifiers.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.factories import interaction
from tests.integration.privacy_support import add_persona, run_cli
from trustdesk.core.model import Role
from trustdesk.storage import tables as t
from trustdesk.storage.audit_tables import audit_entries
from trustdesk.storage.privacy_tables import customer_keys

NAME = "Marguerite Okonkwo-Lindqvist"
EMAIL = "marguerite.okonkwo@example.org"
PHONE = "+1 415 555 0199"
CARD = "4242 4242 4242 4242"
IDENTIFIERS = (NAME, "Okonkwo", EMAIL, "555 0199", "5550199", CARD, "4242424242424242")


def _erasable(external_id: str, customer: str = "cust-erase") -> dict:
    body = interaction(external_id=external_id, customer={
        "external_id": customer, "name": NAME, "email": EMAIL, "phone": PHONE,
        "address": "12 Rue Okonkwo, Lyon", "account_number": "AC00918273", "country": "FR"})
    body["turns"][0]["text"] = f"Thank you for calling Acme, {NAME}, this call may be recorded. How can I help?"
    body["turns"][1]["text"] = f"Hi, it's Okonkwo here, my card is {CARD} and my email is {EMAIL}."
    body["survey"]["comment"] = f"Okonkwo here, call me back on {PHONE}"
    return body


def _raw_database_bytes(engine) -> bytes:
    if engine.dialect.name == "sqlite":
        engine.dispose()  # no other connection may hold a read snapshot during the checkpoint
        raw = engine.raw_connection()
        try:
            # Outside any transaction (the driver's own BEGIN would make the checkpoint fail).
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        engine.dispose()
        path = Path(engine.url.database)
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        return b"".join(file.read_bytes() for file in files if file.exists())
    with engine.connect() as connection:
        schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
    if shutil.which("pg_dump"):
        url = engine.url.set(drivername="postgresql", query={})
        dump = subprocess.run(["pg_dump", "--schema", schema, url.render_as_string(hide_password=False)],
                              check=True, capture_output=True)
        return dump.stdout
    with engine.connect() as connection:
        texts = [str(row) for table in t.metadata.sorted_tables
                 for row in connection.execute(sa.select(sa.cast(sa.literal_column("t.*"), sa.Text))
                                               .select_from(sa.text(f'"{table.name}" AS t')))]
    return "\n".join(texts).encode()


def _assert_absent(raw: bytes, identifiers=IDENTIFIERS) -> None:
    found = [value for value in identifiers if value.encode() in raw]
    assert not found, f"still in the database: {found}"


@pytest.fixture
def officer(engine, personas):
    return add_persona(engine, "acme-privacy", Role.PRIVACY_OFFICER)


def test_personal_fields_are_stored_encrypted_and_exported_in_the_clear(client, personas, officer, engine):
    assert client.post("/api/v1/interactions", json=_erasable("erase-1"),
                       headers=personas["acme-manager"].headers).status_code == 201
    with engine.connect() as connection:
        stored = connection.execute(sa.select(t.customers.c.personal_data)
                                    .where(t.customers.c.external_id == "cust-erase")).scalar_one()
    assert set(stored) == {"name", "email", "phone", "address", "account_number"}
    assert EMAIL not in str(stored) and NAME not in str(stored)
    exported = client.get("/api/v1/brands/acme/customers/cust-erase/export", headers=officer.headers)
    assert exported.status_code == 200
    assert exported.json()["customer"]["personal_data"]["email"] == EMAIL
    assert exported.json()["customer"]["country"] == "FR"


def test_erasure_through_the_api_leaves_no_identifier_in_the_raw_database(client, personas, officer, engine):
    for external_id in ("erase-1", "erase-2"):
        assert client.post("/api/v1/interactions", json=_erasable(external_id),
                           headers=personas["acme-manager"].headers).status_code == 201
    before = client.get("/api/v1/brands/acme/customers/cust-erase/export", headers=officer.headers).json()
    assert before["customer"]["personal_data"]["name"] == NAME  # the test can fail: the data was there

    response = client.post("/api/v1/brands/acme/customers/cust-erase/erasure", headers=officer.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data_key_destroyed"] is True and response.json()["interactions_kept"] == 2

    _assert_absent(_raw_database_bytes(engine))
    with engine.connect() as connection:
        kept = connection.execute(sa.select(sa.func.count()).select_from(t.interactions).join(
            t.customers, t.customers.c.id == t.interactions.c.customer_id)
            .where(t.customers.c.external_id == "cust-erase")).scalar_one()
        ratings = connection.execute(sa.select(t.surveys.c.csat, t.surveys.c.comment)).all()
        erasures = connection.execute(sa.select(audit_entries.c.user).where(
            audit_entries.c.event_type == "erasure", audit_entries.c.customer == "acme/cust-erase")).scalars().all()
    assert kept == 2  # the facts stay for metrics
    assert all(csat == 5 for csat, _ in ratings)
    assert erasures == ["acme-privacy"]
    after = client.get("/api/v1/brands/acme/customers/cust-erase/export", headers=officer.headers).json()
    assert after["customer"]["personal_data"] == {} and all(i["turns"] == [] for i in after["interactions"])


def test_cli_erasure_shreds_the_data_key_and_exits_zero(client, personas, engine, tmp_path):
    assert client.post("/api/v1/interactions", json=_erasable("erase-cli"),
                       headers=personas["acme-manager"].headers).status_code == 201
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(customer_keys)).scalar_one() >= 1
    result = run_cli(engine, tmp_path / "master.key", "customers", "erase", "acme", "cust-erase")
    assert result.exit_code == 0, result.output
    assert "data key destroyed" in result.output
    _assert_absent(_raw_database_bytes(engine))
    again = run_cli(engine, tmp_path / "master.key", "customers", "erase", "acme", "cust-erase")
    assert again.exit_code == 0 and "already absent" in again.output


def test_erasure_needs_a_privacy_role_and_hides_other_brands(client, personas, officer):
    client.post("/api/v1/interactions", json=_erasable("erase-1"), headers=personas["acme-manager"].headers)
    denied = client.post("/api/v1/brands/acme/customers/cust-erase/erasure", headers=personas["acme-manager"].headers)
    assert denied.status_code == 403
    missing = client.post("/api/v1/brands/globex/customers/cust-erase/erasure", headers=officer.headers)
    assert missing.status_code == 404


def test_unknown_customer_on_the_cli_is_an_error_naming_it(engine, personas, tmp_path):
    result = run_cli(engine, tmp_path / "master.key", "customers", "erase", "acme", "nobody")
    assert result.exit_code == 2 and "nobody" in result.output
