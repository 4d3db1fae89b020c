"""Workforce endpoints (wellbeing, staffing and coverage, recognition, eNPS), tenant isolation of every new
read endpoint, and the customer merge CLI."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.factories import NOW, interaction
from trustdesk.cli.main import app as cli
from trustdesk.core.model import Role
from trustdesk.services import accounts
from trustdesk.storage import tables as t


def ingest(client, persona, **changes):
    response = client.post("/api/v1/interactions", json=interaction(**changes), headers=persona.headers)
    assert response.status_code in (200, 201), response.text


def give_shifts(engine):
    with engine.begin() as connection:
        connection.execute(t.agents.update().where(t.agents.c.external_id == "agent-manila-bpo").values(
            country="PH", time_zone="Asia/Manila", shift_start="08:00", shift_end="17:00", languages={"en": 5}))
        connection.execute(t.agents.update().where(t.agents.c.external_id == "agent-pune-cx").values(
            country="IN", time_zone="Asia/Kolkata", shift_start="20:00", shift_end="05:00", languages={"en": 4}))


def test_wellbeing_flags_name_their_reason_and_thresholds_are_configurable(engine, client, personas):
    give_shifts(engine)
    manager = personas["acme-manager"]
    # agent-pune-cx works 20:00-05:00 Kolkata on 8 consecutive days: night work and a long run
    for day in range(1, 9):
        ingest(client, manager, external_id=f"night-{day}", vendor="pune-cx", agent={"external_id": "agent-pune-cx"},
               started_at=f"2026-10-{day:02d}T18:00:00Z", ended_at=f"2026-10-{day:02d}T18:10:00Z",
               survey={"csat": 1, "nps": 0})
    body = client.get("/api/v1/brands/acme/workforce/wellbeing?date_from=2026-09-25&date_to=2026-10-10",
                      headers=manager.headers).json()
    pune = next(item for item in body["agents"] if item["agent"] == "agent-pune-cx")
    flags = {flag["indicator"]: flag for flag in pune["flags"]}
    # eight night shifts touch nine local dates: the last one ends on the morning of the ninth
    assert pune["consecutive_days"] == 9 and flags["consecutive_days"]["reason"] == "worked 9 consecutive days (limit 6)"
    assert pune["night_share"] > 0.5 and "night_share" in flags
    # all eight night contacts got CSAT 1; the seeded contact of the personas (CSAT 5) makes nine
    assert pune["difficult_contact_share"] == round(8 / 9, 3) and "difficult_contact_share" in flags
    assert {vendor["vendor"] for vendor in body["vendors"]} == {"manila-bpo", "pune-cx"}
    relaxed = client.get("/api/v1/brands/acme/workforce/wellbeing?date_from=2026-09-25&date_to=2026-10-10"
                         "&max_consecutive_days=10&max_night_share=1&max_difficult_contact_share=1",
                         headers=manager.headers).json()
    pune = next(item for item in relaxed["agents"] if item["agent"] == "agent-pune-cx")
    assert {flag["indicator"] for flag in pune["flags"]} <= {"after_hours_share", "occupancy"}
    bad = client.get("/api/v1/brands/acme/workforce/wellbeing?max_occupancy=2", headers=manager.headers)
    assert bad.status_code == 422


def test_staffing_uses_erlang_c_and_coverage_lists_gaps(engine, client, personas):
    give_shifts(engine)
    manager = personas["acme-manager"]
    for index in range(30):
        ingest(client, manager, external_id=f"load-{index}", started_at="2026-10-05T10:00:00Z",
               ended_at="2026-10-05T10:05:00Z", hold_seconds=0, wrap_seconds=0)
    body = client.get("/api/v1/brands/acme/workforce/staffing?at=2026-10-06T00:00:00Z&days=1",
                      headers=manager.headers).json()
    voice = next(queue for queue in body["staffing"]["queues"] if queue["queue"] == "voice-en")
    ten = voice["hours"][10]
    # 30 calls in the hour with AHT 300 s: A = 2.5 erlangs; 80% in 20 s needs 5 agents (4 give 71%)
    assert ten["volume"] == 30 and ten["aht_seconds"] == 300 and ten["agents"] == 5
    assert voice["hours"][3]["agents"] == 0
    coverage = body["coverage"]
    assert coverage["agents_scheduled"] == 2 and not coverage["fully_covered"]
    # Manila 08-17 is 00-09 UTC and Kolkata 20-05 is 14:30-23:30 UTC: 09:00-15:00 UTC has nobody
    assert any(span["start"].endswith("T09:00:00Z") for span in coverage["uncovered"])


def test_recognition_and_enps_pulse(engine, client, personas):
    manager = personas["acme-manager"]
    ingest(client, manager, external_id="praised", survey={"csat": 5, "nps": 10, "comment": "Lovely agent."},
           started_at=NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), ended_at=NOW.strftime("%Y-%m-%dT%H:%M:%SZ"))
    body = client.get("/api/v1/brands/acme/workforce/recognition?days=365", headers=manager.headers).json()
    assert "Lovely agent." in [item["comment"] for item in body["praise"]]
    # each answer needs its own agent login: five manila-bpo agents come in through ingest
    tokens = []
    for number in range(5):
        ingest(client, manager, external_id=f"enps-seed-{number}", agent={"external_id": f"enps-agent-{number}"})
    with engine.begin() as connection:
        for number in range(5):
            accounts.create_user(connection, username=f"pulse-{number}", password="correct horse", role=Role.AGENT,
                                 brand_key="acme", vendor_key="manila-bpo", agent_external_id=f"enps-agent-{number}",
                                 now=NOW)
            tokens.append(accounts.create_token(connection, username=f"pulse-{number}", name="t", now=NOW))
    for number, token in enumerate(tokens[:4]):
        answer = client.post("/api/v1/enps", json={"score": [10, 9, 3, 8][number]}, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 201
    results = client.get("/api/v1/brands/acme/workforce/enps", headers=manager.headers).json()["items"]
    assert results == [{"vendor": "manila-bpo", "answers": 4, "enps": None,
                        "note": "fewer than 5 answers: hidden to keep answers anonymous"}]
    assert client.post("/api/v1/enps", json={"score": 10}, headers={"Authorization": f"Bearer {tokens[4]}"}).status_code == 201
    again = client.post("/api/v1/enps", json={"score": 0}, headers={"Authorization": f"Bearer {tokens[4]}"})
    assert again.status_code == 409
    [manila] = client.get("/api/v1/brands/acme/workforce/enps", headers=manager.headers).json()["items"]
    assert (manila["answers"], manila["enps"]) == (5, 40)  # 3 promoters, 1 detractor of 5
    assert client.post("/api/v1/enps", json={"score": 11}, headers={"Authorization": f"Bearer {tokens[0]}"}).status_code == 422
    assert client.post("/api/v1/enps", json={"score": 5}, headers=manager.headers).status_code == 403


READ_ENDPOINTS = [
    "/api/v1/brands/acme/workforce/wellbeing",
    "/api/v1/brands/acme/workforce/staffing",
    "/api/v1/brands/acme/workforce/recognition",
    "/api/v1/brands/acme/workforce/enps",
    "/api/v1/brands/acme/sla/queue",
    "/api/v1/brands/acme/sla/breaches",
    "/api/v1/brands/acme/sla/contracts",
    "/api/v1/brands/acme/customers/merges",
    "/api/v1/brands/acme/customers/cust-9/timeline",
    "/api/v1/brands/acme/cases/case-manila-bpo/handoff",
    "/api/v1/brands/acme/cases/case-manila-bpo/sla",
]


@pytest.mark.parametrize("path", READ_ENDPOINTS)
def test_another_brand_sees_nothing_of_acme(client, personas, path):
    assert client.get(path, headers=personas["acme-manager"].headers).status_code == 200
    assert client.get(path, headers=personas["globex-manager"].headers).status_code == 404
    assert client.get(path).status_code == 401


def test_vendor_staff_see_only_their_vendor(engine, client, personas):
    give_shifts(engine)
    manila = personas["acme-manila-lead"].headers
    wellbeing = client.get("/api/v1/brands/acme/workforce/wellbeing?date_from=2026-09-01&date_to=2026-10-31",
                           headers=manila).json()
    assert {item["vendor"] for item in wellbeing["vendors"]} == {"manila-bpo"}
    assert client.get("/api/v1/brands/acme/cases/case-pune-cx/handoff", headers=manila).status_code == 404
    staffing = client.get("/api/v1/brands/acme/workforce/staffing", headers=manila).json()
    assert staffing["coverage"]["agents_scheduled"] == 1
    assert client.get("/api/v1/brands/acme/customers/merges", headers=manila).status_code in (403, 404)


def test_cli_merges_and_unmerges_under_a_named_user(engine, client, personas, monkeypatch):
    monkeypatch.setenv("TRUSTDESK_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    ingest(client, personas["acme-manager"], external_id="dm-1", channel="social",
           customer={"external_id": "cust-social", "country": "US"},
           case={"external_id": "case-social", "purpose": "billing", "priority": "normal", "status": "open"})
    runner = CliRunner()
    result = runner.invoke(cli, ["customers", "merge", "acme", "cust-9", "cust-social", "--by", "acme-manager",
                                 "--reason", "same phone number"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["merged_by"] == "acme-manager" and record["merged"] == "cust-social"
    timeline = client.get("/api/v1/brands/acme/customers/cust-9/timeline", headers=personas["acme-manager"].headers).json()
    assert "dm-1" in {item["external_id"] for item in timeline["interactions"]}
    refused = runner.invoke(cli, ["customers", "unmerge", "acme", str(record["id"]), "--by", "acme-manila-lead",
                                  "--reason", "mistake"])
    assert refused.exit_code == 1 and "may not" in refused.stderr
    result = runner.invoke(cli, ["customers", "unmerge", "acme", str(record["id"]), "--by", "acme-manager",
                                 "--reason", "different people"])
    assert result.exit_code == 0 and json.loads(result.stdout)["unmerge_reason"] == "different people"
    unknown = runner.invoke(cli, ["customers", "merge", "acme", "cust-9", "nobody", "--by", "acme-manager",
                                  "--reason", "x"])
    assert unknown.exit_code == 1 and "merged: unknown customer 'nobody'" in unknown.stderr
