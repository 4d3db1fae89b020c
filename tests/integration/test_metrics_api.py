"""GET /api/v1/metrics and `trustdesk metrics`: contract shape, nulls for no data, tenant scope, filters."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.factories import interaction

PERIOD = {"brand": "acme", "from": "2026-10-01", "to": "2026-10-31"}
CONTRACT_FIELDS = {"group", "interactions", "fcr", "aht_seconds", "csat", "nps", "sla_adherence", "escalation_rate",
                   "transfer_rate", "repeat_contact_rate", "qa_score", "compliance_pass_rate", "cem_score"}


def _ingest(client, personas, *items):
    response = client.post("/api/v1/interactions", json=list(items), headers=personas["root"].headers)
    assert response.status_code == 201, response.text


def test_vendor_comparison_has_contract_fields_and_null_without_data(client, personas):
    _ingest(client, personas, interaction(external_id="no-survey", vendor="pune-cx", survey=None,
                                          customer={"external_id": "cust-40"},
                                          agent={"external_id": "agent-pune-cx"},
                                          case={"external_id": "case-40", "purpose": "refund", "status": "escalated"}))
    response = client.get("/api/v1/metrics", params={**PERIOD, "by": "vendor"}, headers=personas["acme-manager"].headers)
    assert response.status_code == 200, response.text
    rows = {row["group"]: row for row in response.json()}
    assert set(rows) == {"manila-bpo", "pune-cx"}
    assert CONTRACT_FIELDS <= set(rows["pune-cx"])
    pune = rows["pune-cx"]
    assert pune["interactions"] == 2
    assert pune["csat"] == 1.0  # one answer (the seed's 5), the new one without a survey is left out
    assert pune["escalation_rate"] == 0.5
    assert pune["sla_adherence"] is None  # no contract targets: no data is null, never 0
    assert pune["cem_breakdown"]["pillars"][0]["pillar"] == "customer_outcome"


def test_a_period_without_interactions_returns_no_rows(client, personas):
    response = client.get("/api/v1/metrics", params={"brand": "acme", "from": "2025-01-01", "to": "2025-01-31"},
                          headers=personas["acme-manager"].headers)
    assert response.status_code == 200
    assert response.json() == []


def test_vendor_staff_see_only_their_vendor_and_other_brands_look_missing(client, personas):
    response = client.get("/api/v1/metrics", params={**PERIOD, "by": "vendor"}, headers=personas["acme-manila-lead"].headers)
    assert [row["group"] for row in response.json()] == ["manila-bpo"]
    hidden = client.get("/api/v1/metrics", params={**PERIOD, "brand": "acme"}, headers=personas["globex-manager"].headers)
    assert hidden.status_code == 404


def test_filters_and_groupings(client, personas):
    _ingest(client, personas, interaction(external_id="chat-1", channel="chat", language="es",
                                          customer={"external_id": "cust-41"}, case={"external_id": "case-41"}))
    headers = personas["acme-manager"].headers
    by_channel = client.get("/api/v1/metrics", params={**PERIOD, "by": "channel"}, headers=headers).json()
    assert {row["group"]: row["interactions"] for row in by_channel} == {"chat": 1, "voice": 2}
    only_chat = client.get("/api/v1/metrics", params={**PERIOD, "by": "language", "channel": "chat"}, headers=headers).json()
    assert [(row["group"], row["interactions"]) for row in only_chat] == [("es", 1)]
    by_day = client.get("/api/v1/metrics", params={**PERIOD, "by": "day", "vendor": "manila-bpo"}, headers=headers).json()
    assert [(row["group"], row["interactions"]) for row in by_day] == [("2026-10-01", 2)]


def test_bad_parameters_name_the_field(client, personas):
    headers = personas["acme-manager"].headers
    bad_by = client.get("/api/v1/metrics", params={**PERIOD, "by": "planet"}, headers=headers)
    assert bad_by.status_code == 422
    assert bad_by.json()["detail"][0]["path"] == "$.query.by"
    reversed_period = client.get("/api/v1/metrics", params={**PERIOD, "from": "2026-11-01"}, headers=headers)
    assert reversed_period.status_code == 422
    assert reversed_period.json()["detail"][0]["path"] == "$.query.from"
    admin_without_brand = client.get("/api/v1/metrics", params={"by": "vendor"}, headers=personas["root"].headers)
    assert admin_without_brand.status_code == 422
    assert admin_without_brand.json()["detail"][0]["path"] == "$.query.brand"


def test_cli_prints_the_same_rows_as_the_api(engine, client, personas, tmp_path):
    config = tmp_path / "trustdesk.toml"
    config.write_text("[metrics.cem_weights]\nworkforce_health = 0\nconduct = 0\n", encoding="utf-8")
    env = {"TRUSTDESK_DATABASE_URL": engine.url.render_as_string(hide_password=False), "TRUSTDESK_CONFIG": str(config),
           "PATH": "/usr/bin:/bin", "COLUMNS": "240"}
    result = subprocess.run([sys.executable, "-m", "trustdesk", "metrics", "--brand", "acme", "--by", "vendor",
                             "--from", "2026-10-01", "--to", "2026-10-31", "--format", "json"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    api = client.get("/api/v1/metrics", params={**PERIOD, "by": "vendor"}, headers=personas["acme-manager"].headers).json()
    assert [row["group"] for row in rows] == [row["group"] for row in api]
    assert [row["csat"] for row in rows] == [row["csat"] for row in api]
    # Only customer outcome is weighted in the configured weights, so CEM is the outcome pillar alone.
    assert all(row["cem_score"] == row["cem_breakdown"]["pillars"][0]["score"] for row in rows)
    table = subprocess.run([sys.executable, "-m", "trustdesk", "metrics", "--brand", "acme", "--from", "2026-10-01",
                            "--to", "2026-10-31", "--format", "table"], capture_output=True, text=True, env=env, timeout=120)
    assert table.returncode == 0 and "manila-bpo" in table.stdout
