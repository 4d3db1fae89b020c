"""``trustdesk incident open|list|notify`` on both databases: the register, its clock and its audit entries."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from tests.factories import interaction
from tests.integration.privacy_support import run_cli
from trustdesk.storage.audit_tables import audit_entries


def test_open_list_and_notify_an_incident_from_the_command_line(client, personas, engine, tmp_path, monkeypatch):
    for n in range(2):
        body = interaction(external_id=f"inc-{n}", customer={"external_id": f"cust-inc-{n}"},
                           started_at=f"2026-10-1{n + 1}T09:00:00Z", ended_at=f"2026-10-1{n + 1}T09:05:00Z")
        assert client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers).status_code == 201
    key_file = tmp_path / "master.key"
    discovered = (datetime.now(timezone.utc) - timedelta(hours=80)).strftime("%Y-%m-%dT%H:%M:%S")
    opened = run_cli(engine, key_file, "incident", "open", "acme", "--kind", "lost_device",
                     "--description", "Team lead's laptop lost on a train", "--discovered-at", discovered,
                     "--from", "2026-10-11", "--to", "2026-10-12", "--vendor", "manila-bpo")
    assert opened.exit_code == 0, opened.output
    assert "2 customer(s) affected" in opened.stdout and "overdue by" in opened.stdout  # 80 h > 72 h

    monkeypatch.setenv("COLUMNS", "200")  # wide enough that Rich keeps each table cell on one line
    listed = run_cli(engine, key_file, "incident", "list")
    assert listed.exit_code == 0, listed.output
    assert "lost device" in listed.stdout and "overdue by" in listed.stdout and "pending" in listed.stdout

    incident_id = opened.stdout.split()[1]
    waived = run_cli(engine, key_file, "incident", "notify", incident_id, "--status", "not_required")
    assert waived.exit_code == 2 and "reason" in waived.output  # waiving needs the assessment's reason
    notified = run_cli(engine, key_file, "incident", "notify", incident_id)
    assert notified.exit_code == 0 and "notification notified" in notified.stdout
    assert "stopped (notified)" in run_cli(engine, key_file, "incident", "list").stdout
    with engine.connect() as connection:
        reasons = connection.execute(sa.select(audit_entries.c.reason).where(
            audit_entries.c.event_type == "incident_change", audit_entries.c.origin == "cli")
            .order_by(audit_entries.c.entry_id)).scalars().all()
    assert reasons == ["registered lost_device; 2 customer(s) affected", "notification notified"]


def test_bad_incident_input_names_the_field(client, personas, engine, tmp_path):
    result = run_cli(engine, tmp_path / "master.key", "incident", "open", "acme", "--kind", "breach",
                     "--description", "Phishing", "--discovered-at", "2026-11-01T08:00:00",
                     "--from", "2026-10-31", "--to", "2026-10-01")
    assert result.exit_code == 2 and "affected.date_to" in result.output
    unknown = run_cli(engine, tmp_path / "master.key", "incident", "notify", "999")
    assert unknown.exit_code == 2 and "incident 999 does not exist" in unknown.output
