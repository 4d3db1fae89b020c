"""The audit trail through the service, the CLI and the API: append, verify, tamper detection, proofs."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from trustdesk.cli.audit import sign_tree_head_now
from trustdesk.cli.main import app
from trustdesk.config import ConfigError
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.privacy.audit_proof import verify_inclusion_proof
from trustdesk.services import audit
from trustdesk.storage.audit_tables import audit_chain_head, audit_entries, audit_tree_heads

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)


def _append(engine, count: int, *, brand_id=None) -> None:
    with engine.begin() as connection:
        for n in range(count):
            audit.record_audit_event(
                connection, actor=f"user-{n % 3}", role="agent", event_type=AuditEventType.PERSONAL_DATA_READ,
                at=T0 + timedelta(minutes=n), origin="127.0.0.1", resource=f"customer:acme/cust-{n}",
                customer=f"acme/cust-{n}", fields=("name", "phone"), purpose="billing", case=f"case-{n}",
                brand_id=brand_id,
            )


def _cli(engine, tmp_path, *args):
    env = {"TRUSTDESK_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "TRUSTDESK_AUDIT_KEY_FILE": str(tmp_path / "audit.key")}
    return CliRunner().invoke(app, ["audit", *args], env=env)


def test_intact_log_verifies_and_names_the_first_edited_entry(engine, tmp_path):
    _append(engine, 12)
    assert _cli(engine, tmp_path, "head").exit_code == 0
    result = _cli(engine, tmp_path, "verify")
    assert result.exit_code == 0 and "12 entries" in result.output
    with engine.begin() as connection:
        connection.execute(sa.update(audit_entries).where(audit_entries.c.entry_id == 5).values(fields=["name"]))
    result = _cli(engine, tmp_path, "verify")
    assert result.exit_code == 1
    assert "first broken entry: 5" in result.output


def test_a_deleted_entry_is_named(engine, tmp_path):
    _append(engine, 6)
    with engine.begin() as connection:
        connection.execute(sa.delete(audit_entries).where(audit_entries.c.entry_id == 3))
    result = _cli(engine, tmp_path, "verify")
    assert result.exit_code == 1 and "first broken entry: 3" in result.output and "missing" in result.output


def test_deleting_the_newest_entries_is_named_by_the_chain_head(engine, tmp_path):
    _append(engine, 6)
    with engine.begin() as connection:
        connection.execute(sa.delete(audit_entries).where(audit_entries.c.entry_id >= 5))
    result = _cli(engine, tmp_path, "verify")
    assert result.exit_code == 1 and "first broken entry: 5" in result.output and "missing" in result.output


def test_truncating_the_tail_and_its_chain_head_breaks_the_signed_tree_head(engine, tmp_path):
    _append(engine, 6)
    assert _cli(engine, tmp_path, "head").exit_code == 0
    with engine.begin() as connection:
        fifth = connection.execute(sa.select(audit_entries.c.entry_hash).where(audit_entries.c.entry_id == 5)).scalar_one()
        connection.execute(sa.delete(audit_entries).where(audit_entries.c.entry_id == 6))
        connection.execute(sa.update(audit_chain_head).values(entry_id=5, entry_hash=fifth))
    result = _cli(engine, tmp_path, "verify")
    assert result.exit_code == 1 and "signed tree head of size 6" in result.output


def test_inclusion_proof_verifies_offline_and_fails_when_altered(engine, tmp_path):
    _append(engine, 9)
    result = _cli(engine, tmp_path, "prove", "4")
    assert result.exit_code == 0
    assert verify_inclusion_proof(result.stdout)
    assert not verify_inclusion_proof(result.stdout.replace("cust-3", "cust-X"))
    assert _cli(engine, tmp_path, "prove", "99").exit_code == 2


def test_api_lets_auditors_of_a_brand_read_only_that_brand(client, personas, engine):
    with engine.connect() as connection:
        acme, globex = connection.execute(sa.text("SELECT id FROM brands ORDER BY key")).scalars().all()
    _append(engine, 3, brand_id=acme)
    _append(engine, 2, brand_id=globex)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE users SET role = 'auditor' WHERE username = 'acme-qa'"))
    auditor = personas["acme-qa"].headers
    items = client.get("/api/v1/audit/entries", headers=auditor).json()["items"]
    assert len(items) == 3 and all(i["customer"].startswith("acme/") for i in items)
    assert client.get("/api/v1/audit/entries/4/proof", headers=auditor).status_code == 404  # globex's entry
    proof = client.get("/api/v1/audit/entries/1/proof", headers=auditor)
    assert proof.status_code == 200 and proof.json()["entry_id"] == 1
    assert client.get("/api/v1/audit/verify", headers=auditor).json()["intact"] is True
    csv_text = client.get("/api/v1/audit/entries.csv", headers=auditor).text
    assert csv_text.splitlines()[0].startswith("entry_id,at,user") and len(csv_text.splitlines()) == 4
    assert client.get("/api/v1/audit/entries", headers=personas["acme-manager"].headers).status_code == 403
    assert client.get("/api/v1/audit/entries", headers=personas["acme-manila-lead"].headers).status_code == 403


def test_concurrent_appenders_keep_one_unbroken_chain(engine, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    def append_some(_):
        for _ in range(10):
            _append(engine, 1)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(append_some, range(4)))
    with engine.connect() as connection:
        assert audit.count_audit_entries(connection) == 40
    assert _cli(engine, tmp_path, "verify").exit_code == 0


def test_appending_continues_an_existing_log_after_the_chain_head_row_is_created(engine, tmp_path):
    _append(engine, 3)
    with engine.begin() as connection:
        connection.execute(sa.delete(audit_chain_head))  # as on a database upgraded with entries already in it
    _append(engine, 2)
    with engine.connect() as connection:
        assert connection.execute(sa.select(audit_chain_head.c.entry_id)).scalar_one() == 5
    result = _cli(engine, tmp_path, "verify")
    assert result.exit_code == 0 and "5 entries" in result.output


def test_periodic_signing_publishes_a_head_only_when_the_log_grew(engine, tmp_path):
    key, _ = audit.load_or_create_signing_key(tmp_path / "audit.key")
    assert sign_tree_head_now(engine, key) == 0
    _append(engine, 4)
    assert sign_tree_head_now(engine, key) == 4
    assert sign_tree_head_now(engine, key) == 4
    with engine.connect() as connection:
        sizes = connection.execute(sa.select(audit_tree_heads.c.tree_size).order_by(audit_tree_heads.c.tree_size)).scalars()
        assert list(sizes) == [0, 4]
        report = audit.verify_audit_log(connection, public_key=audit.audit_public_key(key))
    assert report.is_intact


def test_serve_reads_the_signing_interval_and_names_a_bad_key():
    assert audit.tree_head_interval({}) is None
    assert audit.tree_head_interval({"audit": {"sign_every_minutes": 15}}) == timedelta(minutes=15)
    with pytest.raises(ConfigError, match=r"\[audit\] sign_every_minutes"):
        audit.tree_head_interval({"audit": {"sign_every_minutes": "hourly"}})
