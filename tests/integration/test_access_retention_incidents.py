"""Retention sweep through the CLI (dry run vs real) and the incident register through the API, on both databases."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tests.factories import NOW, Persona, interaction
from trustdesk.cli.main import app
from trustdesk.core.model import Role
from trustdesk.services import accounts
from trustdesk.storage import tables as t
from trustdesk.storage.audit_tables import audit_entries

GLOBEX_POLICY = 'extends = "default"\nname = "globex"\n[retention.transcripts]\ndays = 30\naction = "delete"\n' \
                '[retention.surveys]\ndays = 30\naction = "delete"\n'


def _cli(engine, *args):
    url = engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(app, list(map(str, args)), env={"TRUSTDESK_DATABASE_URL": url})


@pytest.fixture
def officers(engine, personas) -> dict[str, Persona]:
    result = dict(personas)
    with engine.begin() as connection:
        for username, brand in (("acme-privacy", "acme"), ("globex-privacy", "globex")):
            accounts.create_user(connection, username=username, password="correct horse", role=Role.PRIVACY_OFFICER,
                                 brand_key=brand, now=NOW)
            result[username] = Persona(username, accounts.create_token(connection, username=username, name="t", now=NOW))
    return result


def _old_interactions(client, personas):
    for body in (interaction(external_id="old-acme", started_at="2024-06-01T09:00:00Z", ended_at="2024-06-01T09:05:00Z"),
                 interaction(external_id="old-globex", brand="globex", started_at="2026-08-01T09:00:00Z",
                             ended_at="2026-08-01T09:05:00Z")):
        assert client.post("/api/v1/interactions", json=body, headers=personas["root"].headers).status_code == 201


def _transcript_and_survey(engine, external_id):
    with engine.connect() as connection:
        interaction_id = connection.execute(sa.select(t.interactions.c.id).where(t.interactions.c.external_id == external_id)).scalar_one()
        turns = connection.execute(sa.select(t.transcripts.c.turns).where(t.transcripts.c.interaction_id == interaction_id)).scalar()
        survey = connection.execute(sa.select(t.surveys.c.csat, t.surveys.c.comment).where(t.surveys.c.interaction_id == interaction_id)).first()
    return turns, survey


def test_retention_dry_run_counts_and_the_real_sweep_removes_exactly_that(client, personas, engine, tmp_path):
    _old_interactions(client, personas)
    policy_file = tmp_path / "globex.toml"
    policy_file.write_text(GLOBEX_POLICY, encoding="utf-8")
    assert _cli(engine, "policy", "set", "globex", policy_file).exit_code == 0
    expected = {"transcripts": {"deleted": 1, "anonymized": 1}, "surveys": {"deleted": 1, "anonymized": 1}}

    dry = _cli(engine, "retention", "sweep", "--dry-run", "--as-of", "2026-11-01T00:00:00")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["totals"] == expected
    turns, survey = _transcript_and_survey(engine, "old-acme")
    assert "charged twice" in turns[1]["text"] and survey.comment == "Quick and kind."

    real = _cli(engine, "retention", "sweep", "--as-of", "2026-11-01T00:00:00")
    assert real.exit_code == 0, real.output
    report = json.loads(real.stdout)
    assert report["totals"] == expected
    assert report["brands"]["acme"]["transcripts"] == {"deleted": 0, "anonymized": 1}
    turns, survey = _transcript_and_survey(engine, "old-acme")
    assert [turn["speaker"] for turn in turns] == ["agent", "customer", "agent"]
    assert all("charged" not in turn["text"] for turn in turns)
    assert (survey.csat, survey.comment) == (5, None)
    assert _transcript_and_survey(engine, "old-globex") == (None, None)
    recent_turns, recent_survey = _transcript_and_survey(engine, "seed-manila-bpo")
    assert "charged twice" in recent_turns[1]["text"] and recent_survey.comment == "Quick and kind."
    with engine.connect() as connection:
        swept = connection.execute(sa.select(audit_entries.c.resource).where(audit_entries.c.event_type == "retention_sweep")
                                   .order_by(audit_entries.c.entry_id)).scalars().all()
    assert swept == ["retention:acme", "retention:globex"]

    again = _cli(engine, "retention", "sweep", "--as-of", "2026-11-01T00:00:00")
    assert json.loads(again.stdout)["totals"] == {name: {"deleted": 0, "anonymized": 0} for name in expected}


def test_policy_set_rejects_an_unknown_preset_and_an_invalid_file(engine, personas, tmp_path):
    assert _cli(engine, "policy", "set", "acme", "hipaa").exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "gdpr"\ndsar_deadline_days = 0\n', encoding="utf-8")
    result = _cli(engine, "policy", "set", "acme", bad)
    assert result.exit_code == 2 and "dsar_deadline_days" in result.output
    assert _cli(engine, "policy", "set", "nobody", "gdpr").exit_code == 2


def test_training_csv_loads_all_rows_or_names_the_bad_line(engine, personas, tmp_path):
    good = tmp_path / "training.csv"
    good.write_text("username,brand,agent,course,completed_at,expires_at\n"
                    "acme-qa,,,privacy,2026-01-10,2027-01-10\n"
                    ",acme,agent-manila-bpo,privacy,2026-02-01T08:00:00Z,\n", encoding="utf-8")
    result = _cli(engine, "training", "load", good)
    assert result.exit_code == 0 and "2 training record(s) loaded" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("username,course,completed_at,expires_at\nacme-qa,privacy,2026-01-10,\nacme-qa,privacy,yesterday,\n",
                   encoding="utf-8")
    result = _cli(engine, "training", "load", bad)
    assert result.exit_code == 2 and "line 3, column completed_at" in result.output


def _incident(client, officer, discovered_at, **changes):
    body = {"kind": "breach", "description": "A laptop with exported call notes was stolen.",
            "discovered_at": discovered_at.isoformat(),
            "affected": {"vendor": "manila-bpo", "date_from": "2026-10-01", "date_to": "2026-10-01"}, **changes}
    return client.post("/api/v1/brands/acme/incidents", json=body, headers=officer.headers)


def test_an_incident_finds_its_affected_customers_and_runs_the_72_hour_clock(client, officers, engine):
    now = datetime.now(timezone.utc)
    late = _incident(client, officers["acme-privacy"], now - timedelta(hours=80))
    assert late.status_code == 201, late.text
    body = late.json()
    assert body["affected_customers"] == ["cust-9"] and body["notification_status"] == "pending"
    assert body["overdue"] is True and body["remaining_seconds"] < 0
    fresh = _incident(client, officers["acme-privacy"], now - timedelta(hours=10), kind="lost_device").json()
    assert fresh["overdue"] is False and 0 < fresh["remaining_seconds"] <= 62 * 3600
    page = client.get(f"/privacy/incidents/{body['id']}", headers=officers["acme-privacy"].headers)
    assert page.status_code == 200 and "overdue by" in page.text and "cust-9" in page.text
    notified = client.post(f"/api/v1/incidents/{body['id']}/notification", json={"status": "notified"},
                           headers=officers["acme-privacy"].headers).json()
    assert notified["notification_status"] == "notified" and notified["overdue"] is False
    listed = client.get("/api/v1/incidents", headers=officers["acme-privacy"].headers).json()["items"]
    assert [item["id"] for item in listed] == [fresh["id"], body["id"]]
    with engine.connect() as connection:
        changes = connection.execute(sa.select(sa.func.count()).select_from(audit_entries)
                                     .where(audit_entries.c.event_type == "incident_change")).scalar_one()
    assert changes == 3


def test_incident_input_errors_name_the_field(client, officers):
    now = datetime.now(timezone.utc)
    bad_kind = _incident(client, officers["acme-privacy"], now, kind="meteor")
    assert bad_kind.status_code == 422 and bad_kind.json()["detail"][0]["path"] == "$.kind"
    bad_vendor = _incident(client, officers["acme-privacy"], now,
                           affected={"vendor": "nowhere", "date_from": "2026-10-01", "date_to": "2026-10-02"})
    assert bad_vendor.json()["detail"][0]["path"] == "$.affected.vendor"
    future = _incident(client, officers["acme-privacy"], now + timedelta(days=1))
    assert future.json()["detail"][0]["path"] == "$.discovered_at"
    waived = client.post("/api/v1/incidents/999/notification", json={"status": "not_required"},
                         headers=officers["acme-privacy"].headers)
    assert waived.status_code == 404


def test_the_incident_register_is_for_privacy_officers_of_the_brand(client, officers):
    created = _incident(client, officers["acme-privacy"], datetime.now(timezone.utc)).json()
    assert client.get("/api/v1/incidents", headers=officers["acme-manila-lead"].headers).status_code == 403
    assert _incident(client, officers["acme-manager"], datetime.now(timezone.utc)).status_code == 403
    other = officers["globex-privacy"].headers
    assert client.get("/api/v1/incidents", headers=other).json()["items"] == []
    assert client.get(f"/api/v1/incidents/{created['id']}", headers=other).status_code == 404
    assert client.post(f"/api/v1/incidents/{created['id']}/notification", json={"status": "notified"},
                       headers=other).status_code == 404
    assert client.get(f"/privacy/incidents/{created['id']}", headers=other).status_code == 404
    assert _incident(client, officers["globex-privacy"], datetime.now(timezone.utc)).status_code == 404
    assert client.get("/privacy/break-glass", headers=officers["acme-manila-lead"].headers).status_code == 403
