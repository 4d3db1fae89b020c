"""Internal targets between teams (OLA): targets per (from team, to team, priority), clocks on the owing team's
business calendar from the hand-off to its reply, on the SLA queue and breach list, and the scheduled
escalation run (``trustdesk sla escalate`` and the serve loop) recording each escalation once."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tests.factories import interaction
from trustdesk.cli.main import app as cli
from trustdesk.cli.sla import run_escalation_loop
from trustdesk.config import ConfigError
from trustdesk.services import directory, ola
from trustdesk.services.escalation_runs import escalation_interval
from trustdesk.storage import tables as t
from trustdesk.storage.operations_tables import escalations

# Monday 5 October 2026, 16:30 in Pune: the owing team's day ends at 18:00 (90 business minutes left).
HANDED_AT = datetime(2026, 10, 5, 11, 0, tzinfo=UTC)
OLA_TARGET = "/api/v1/brands/acme/sla/olas/manila-care/pune-billing/normal"


@pytest.fixture
def teams(engine, client, personas):
    """Case case-o handled by the Manila agent (team manila-care); pune-billing works 09:00-18:00 Kolkata."""
    response = client.post("/api/v1/interactions", headers=personas["acme-manager"].headers, json=interaction(
        external_id="o-1", agent={"external_id": "agent-manila-bpo"}, started_at="2026-10-05T10:00:00Z",
        ended_at="2026-10-05T10:10:00Z", case={"external_id": "case-o", "purpose": "billing", "status": "open"}))
    assert response.status_code == 201, response.text
    with engine.begin() as connection:
        acme = connection.execute(sa.select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
        vendors = dict(connection.execute(sa.select(t.vendors.c.key, t.vendors.c.id)).all())
        for key, vendor, agent, zone, country in (("manila-care", "manila-bpo", "agent-manila-bpo", "Asia/Manila", "PH"),
                                                  ("pune-billing", "pune-cx", "agent-pune-cx", "Asia/Kolkata", "IN")):
            team_id = directory.save_team(connection, brand_id=acme, vendor_id=vendors[vendor], key=key, name=key)
            connection.execute(t.agents.update().where(t.agents.c.external_id == agent).values(
                team_id=team_id, time_zone=zone, country=country))
    assert client.put("/api/v1/brands/acme/sla/contracts/pune-cx/normal", headers=personas["acme-manager"].headers,
                      json={"first_response_minutes": 60, "next_response_minutes": 60, "resolution_minutes": 4320,
                            "opens": "09:00", "closes": "18:00"}).status_code == 200
    return acme


def hand_off(engine, *, case="case-o", at=HANDED_AT) -> int:
    with engine.begin() as connection:
        row = connection.execute(sa.select(t.cases).where(t.cases.c.external_id == case)).mappings().one()
        return ola.hand_off_case(connection, None, row, to_team="pune-billing", from_team=None, note="refund?",
                                 now=at)["id"]


def queue_item(client, persona, at, path="queue"):
    items = client.get(f"/api/v1/brands/acme/sla/{path}?at={at}", headers=persona.headers).json()["items"]
    return next((item for item in items if item["case"] == "case-o"), None)


def test_targets_are_set_per_team_pair_and_priority_by_brand_staff(client, personas, teams):
    manager = personas["acme-manager"]
    assert client.put(OLA_TARGET, headers=manager.headers, json={"target_minutes": 120}).status_code == 200
    assert client.put(OLA_TARGET, headers=manager.headers, json={"target_minutes": 150}).status_code == 200
    assert client.get("/api/v1/brands/acme/sla/olas", headers=manager.headers).json()["items"] == [
        {"from_team": "manila-care", "to_team": "pune-billing", "priority": "normal", "target_minutes": 150}]
    assert client.put(OLA_TARGET, headers=personas["acme-manila-lead"].headers, json={"target_minutes": 1}).status_code == 403
    assert client.put(OLA_TARGET, headers=manager.headers, json={"target_minutes": 0}).status_code == 422
    unknown = client.put("/api/v1/brands/acme/sla/olas/manila-care/nobody/normal", headers=manager.headers,
                         json={"target_minutes": 60})
    assert unknown.status_code == 404
    same = client.put("/api/v1/brands/acme/sla/olas/manila-care/manila-care/normal", headers=manager.headers,
                      json={"target_minutes": 60})
    assert same.status_code == 422 and same.json()["detail"][0]["path"] == "$.to_team"
    assert client.get("/api/v1/brands/acme/sla/olas", headers=personas["globex-manager"].headers).status_code == 404


def test_hand_offs_through_the_api_name_the_bad_field(client, personas, teams):
    lead = personas["acme-manila-lead"]
    created = client.post("/api/v1/brands/acme/cases/case-o/handoffs", headers=lead.headers,
                          json={"to_team": "pune-billing", "note": "customer disputes a refund"})
    assert created.status_code == 201, created.text
    assert (created.json()["from_team"], created.json()["to_team"]) == ("manila-care", "pune-billing")
    unknown = client.post("/api/v1/brands/acme/cases/case-o/handoffs", headers=lead.headers, json={"to_team": "nobody"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["path"] == "$.to_team"
    same = client.post("/api/v1/brands/acme/cases/case-o/handoffs", headers=lead.headers, json={"to_team": "manila-care"})
    assert same.status_code == 422
    assert client.post("/api/v1/brands/acme/cases/case-o/handoffs", headers=personas["globex-manager"].headers,
                       json={"to_team": "pune-billing"}).status_code == 404
    reply = f"/api/v1/brands/acme/cases/case-o/handoffs/{created.json()['id']}/reply"
    assert client.post(reply, headers=personas["acme-manager"].headers).json()["replied_at"] is not None
    assert client.post(reply, headers=personas["acme-manager"].headers).status_code == 409


def test_ola_clock_runs_on_the_owing_teams_calendar_beside_the_sla_clocks(client, personas, teams, engine):
    manager = personas["acme-manager"]
    client.put(OLA_TARGET, headers=manager.headers, json={"target_minutes": 120})
    handoff_id = hand_off(engine)
    # 90 minutes on Monday until 18:00 Kolkata, nothing overnight, 09:00 Tuesday is 03:30 UTC
    item = queue_item(client, manager, "2026-10-06T03:30:00Z")
    [clock] = item["ola_clocks"]
    assert (clock["owed_by"], clock["owed_to"], clock["handoff"]) == ("pune-billing", "manila-care", handoff_id)
    assert (clock["elapsed_minutes"], clock["target_minutes"], clock["state"]) == (90.0, 120, "at_risk")
    assert clock["calendar"] == "Mon-Fri 09:00-18:00 Asia/Kolkata, closed on IN public holidays"
    assert clock["escalation"]["level"] == "tier_2"
    assert item["clocks"] == []  # no SLA contract covers manila-bpo here: only the OLA clock runs
    assert queue_item(client, manager, "2026-10-06T03:30:00Z", "breaches") is None
    breached = queue_item(client, manager, "2026-10-06T04:31:00Z", "breaches")
    assert breached["worst_state"] == "breached" and breached["ola_clocks"][0]["elapsed_minutes"] == 151.0
    # the owing team's reply stops the clock
    with engine.begin() as connection:
        row = connection.execute(sa.select(t.cases).where(t.cases.c.external_id == "case-o")).mappings().one()
        ola.reply_to_handoff(connection, None, row, handoff_id=handoff_id, now=datetime(2026, 10, 6, 4, 0, tzinfo=UTC))
    stopped = queue_item(client, manager, "2026-10-07T12:00:00Z")["ola_clocks"][0]
    assert (stopped["running"], stopped["elapsed_minutes"], stopped["state"]) == (False, 120.0, "ok")


def test_a_response_from_the_owing_teams_agent_counts_as_its_reply(client, personas, teams, engine):
    client.put(OLA_TARGET, headers=personas["acme-manager"].headers, json={"target_minutes": 120})
    hand_off(engine)
    # a Pune agent answers the customer on the case Tuesday 10:00 Kolkata (04:30 UTC): 90 + 60 business minutes
    response = client.post("/api/v1/interactions", headers=personas["acme-manager"].headers, json=interaction(
        external_id="o-2", vendor="pune-cx", agent={"external_id": "agent-pune-cx"}, started_at="2026-10-06T04:30:00Z",
        ended_at="2026-10-06T04:40:00Z", case={"external_id": "case-o", "purpose": "billing", "status": "open"}))
    assert response.status_code == 201
    clock = queue_item(client, personas["acme-manager"], "2026-10-08T00:00:00Z")["ola_clocks"][0]
    assert (clock["running"], clock["elapsed_minutes"], clock["state"]) == (False, 150.0, "breached")


def test_sla_escalate_records_each_escalation_once(client, personas, teams, engine, monkeypatch):
    client.put(OLA_TARGET, headers=personas["acme-manager"].headers, json={"target_minutes": 120})
    handoff_id = hand_off(engine)
    monkeypatch.setenv("TRUSTDESK_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    first = runner.invoke(cli, ["sla", "escalate", "--at", "2026-10-06T04:31:00Z"])
    assert first.exit_code == 0, first.output
    assert "escalation(s) recorded" in first.output
    with engine.connect() as connection:
        rows = connection.execute(sa.select(escalations.c.clock, escalations.c.level, escalations.c.reason,
                                            escalations.c.escalated_by)).all()
    assert [(row.clock, row.level, row.escalated_by) for row in rows] == [(f"ola:{handoff_id}", "in_house", None)]
    assert "ola has used 126% of its 2h business-hour target" in rows[0].reason
    again = runner.invoke(cli, ["sla", "escalate", "--at", "2026-10-06T04:31:00Z", "--brand", "acme"])
    assert again.exit_code == 0 and again.output.strip().endswith("0 escalation(s) recorded"), again.output
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(escalations)).scalar_one() == 1
    case = client.get("/api/v1/brands/acme/cases/case-o/sla?at=2026-10-06T04:31:00Z",
                      headers=personas["acme-manager"].headers).json()
    assert [(item["clock"], item["escalated_by"]) for item in case["escalations"]] == [(f"ola:{handoff_id}", None)]
    assert case["team_handoffs"][0]["to_team"] == "pune-billing"
    bad = runner.invoke(cli, ["sla", "escalate", "--at", "2026-10-06 04:31"])
    assert bad.exit_code == 1 and "--at" in bad.output
    unknown = runner.invoke(cli, ["sla", "escalate", "--brand", "nobody"])
    assert unknown.exit_code == 1 and "--brand" in unknown.output


def test_the_serve_loop_runs_escalations_until_stopped(client, personas, teams, engine):
    client.put(OLA_TARGET, headers=personas["acme-manager"].headers, json={"target_minutes": 120})
    # handed over a week ago, never answered: breached by now
    hand_off(engine, at=datetime.now(UTC) - timedelta(days=8))
    runs, errors = [], []
    stop = threading.Event()
    stop.set()  # one run, then the wait returns at once
    run_escalation_loop(engine, interval=timedelta(minutes=5), stop=stop, on_run=runs.append, on_error=errors.append)
    assert errors == [] and len(runs) == 1
    # the personas' open seed case on pune-cx is long past its resolution target too
    assert {(item["case"], item["clock"].split(":")[0], item["level"]) for item in runs[0].recorded} == {
        ("case-o", "ola", "in_house"), ("case-pune-cx", "resolution", "in_house")}


@pytest.mark.parametrize(
    ("config", "interval"),
    [({}, None), ({"sla": {}}, None), ({"sla": {"escalate_every_minutes": 15}}, timedelta(minutes=15))],
)
def test_the_escalation_loop_is_enabled_by_configuration(config, interval):
    assert escalation_interval(config) == interval


@pytest.mark.parametrize("value", [0, -5, "15", True, 1.5])
def test_a_bad_escalation_interval_names_the_key(value):
    with pytest.raises(ConfigError, match="escalate_every_minutes"):
        escalation_interval({"sla": {"escalate_every_minutes": value}})
