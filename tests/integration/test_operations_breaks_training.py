"""Breaks (plan per shift, breaks taken) through the API, break adherence on the wellbeing report with its
configurable floor, and each agent's privacy-training standing on the workforce views."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import NOW, Persona, interaction
from trustdesk.core.model import Role
from trustdesk.services import accounts, breaks
from trustdesk.services.tenancy import FieldError
from trustdesk.storage import tables as t

PERIOD = "date_from=2026-10-01&date_to=2026-10-10"
PLAN = "/api/v1/brands/acme/agents/agent-manila-bpo/breaks/scheduled/2026-10-05"
TAKEN = "/api/v1/brands/acme/agents/agent-manila-bpo/breaks/taken"


@pytest.fixture
def staff(engine, personas, client) -> dict[str, Persona]:
    """Personas, the agents' shifts (Manila 08:00-17:00 = 00:00-09:00 UTC), a login linked to the Manila agent
    and three contacts it handled on 5 October."""
    with engine.begin() as connection:
        connection.execute(t.agents.update().where(t.agents.c.external_id == "agent-manila-bpo").values(
            country="PH", time_zone="Asia/Manila", shift_start="08:00", shift_end="17:00"))
        connection.execute(t.agents.update().where(t.agents.c.external_id == "agent-pune-cx").values(
            country="IN", time_zone="Asia/Kolkata", shift_start="09:00", shift_end="18:00"))
        accounts.create_user(connection, username="manila-agent", password="correct horse", role=Role.AGENT,
                             brand_key="acme", vendor_key="manila-bpo", agent_external_id="agent-manila-bpo", now=NOW)
        token = accounts.create_token(connection, username="manila-agent", name="t", now=NOW)
    for index in range(3):
        response = client.post("/api/v1/interactions", headers=personas["acme-manager"].headers, json=interaction(
            external_id=f"work-{index}", agent={"external_id": "agent-manila-bpo"},
            started_at=f"2026-10-05T0{index + 1}:00:00Z", ended_at=f"2026-10-05T0{index + 1}:20:00Z"))
        assert response.status_code == 201, response.text
    return {**personas, "manila-agent": Persona("manila-agent", token)}


def plan_shift(client, persona):
    # 10:00, 12:00 and 15:00 Manila time
    return client.put(PLAN, headers=persona.headers, json={"breaks": [
        {"starts_at": "2026-10-05T02:00:00Z", "minutes": 15}, {"starts_at": "2026-10-05T04:00:00Z", "minutes": 30},
        {"starts_at": "2026-10-05T07:00:00Z", "minutes": 15}]})


def agent_row(body, agent="agent-manila-bpo"):
    return next(item for item in body["agents"] if item["agent"] == agent)


def test_breaks_taken_vs_scheduled_per_agent_and_vendor_with_a_configurable_floor(client, staff):
    assert plan_shift(client, staff["acme-manila-lead"]).json() == {
        "agent": "agent-manila-bpo", "shift_date": "2026-10-05", "scheduled": 3}
    # the agent logs their own breaks: the first on time, the meal cut to 10 of 30 minutes, the last skipped
    first = client.post(TAKEN, headers=staff["manila-agent"].headers,
                        json={"started_at": "2026-10-05T02:05:00Z", "ended_at": "2026-10-05T02:20:00Z"})
    assert first.status_code == 201, first.text
    assert client.post(TAKEN, headers=staff["acme-manila-lead"].headers,
                       json={"started_at": "2026-10-05T04:00:00Z", "ended_at": "2026-10-05T04:10:00Z"}).status_code == 201
    body = client.get(f"/api/v1/brands/acme/workforce/wellbeing?{PERIOD}", headers=staff["acme-manager"].headers).json()
    manila = agent_row(body)
    assert (manila["breaks_scheduled"], manila["breaks_taken"], manila["break_adherence"]) == (3, 1, 0.333)
    flags = {flag["indicator"]: flag for flag in manila["flags"]}
    assert flags["break_adherence"]["reason"] == "took 33% of scheduled breaks (minimum 90%)"
    vendor = next(item for item in body["vendors"] if item["vendor"] == "manila-bpo")
    assert (vendor["breaks_scheduled"], vendor["breaks_taken"], vendor["break_adherence"]) == (3, 1, 0.333)
    assert "break_adherence" in {flag["indicator"] for flag in vendor["flags"]}
    assert body["thresholds"]["min_break_adherence"] == 0.9
    relaxed = client.get(f"/api/v1/brands/acme/workforce/wellbeing?{PERIOD}&min_break_adherence=0.3",
                         headers=staff["acme-manager"].headers).json()
    assert "break_adherence" not in {flag["indicator"] for flag in agent_row(relaxed)["flags"]}
    # an agent without a plan has no adherence and is never flagged for it
    pune = agent_row(body, "agent-pune-cx")
    assert pune["break_adherence"] is None and pune["breaks_scheduled"] == 0
    listed = client.get(f"/api/v1/brands/acme/agents/agent-manila-bpo/breaks?{PERIOD}",
                        headers=staff["manila-agent"].headers).json()
    assert [item["starts_at"] for item in listed["scheduled"]][0] == "2026-10-05T02:00:00Z"
    assert len(listed["taken"]) == 2 and listed["breaks_taken"] == 1


def test_a_new_plan_replaces_the_shift_and_bad_input_names_the_field(client, staff):
    lead = staff["acme-manila-lead"]
    assert plan_shift(client, lead).status_code == 200
    replaced = client.put(PLAN, headers=lead.headers, json={"breaks": [{"starts_at": "2026-10-05T03:00:00Z", "minutes": 20}]})
    assert replaced.json()["scheduled"] == 1
    listed = client.get(f"/api/v1/brands/acme/agents/agent-manila-bpo/breaks?{PERIOD}", headers=lead.headers).json()
    assert [(item["starts_at"], item["minutes"]) for item in listed["scheduled"]] == [("2026-10-05T03:00:00Z", 20)]
    outside = client.put(PLAN, headers=lead.headers, json={"breaks": [{"starts_at": "2026-10-09T03:00:00Z", "minutes": 20}]})
    assert outside.status_code == 422 and outside.json()["detail"][0]["path"] == "$.breaks[0].starts_at"
    too_long = client.put(PLAN, headers=lead.headers, json={"breaks": [{"starts_at": "2026-10-05T03:00:00Z", "minutes": 300}]})
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["path"].endswith("minutes")
    backwards = client.post(TAKEN, headers=lead.headers,
                            json={"started_at": "2026-10-05T04:00:00Z", "ended_at": "2026-10-05T03:50:00Z"})
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["path"] == "$.ended_at"
    assert client.post(TAKEN, headers=lead.headers,
                       json={"started_at": "2026-10-05T04:00:00Z", "ended_at": "2026-10-05T04:15:00Z"}).status_code == 201
    overlapping = client.post(TAKEN, headers=lead.headers,
                              json={"started_at": "2026-10-05T04:10:00Z", "ended_at": "2026-10-05T04:20:00Z"})
    assert overlapping.status_code == 422 and overlapping.json()["detail"][0]["path"] == "$.started_at"
    # agents may not plan breaks; other vendors' staff do not see the agent at all
    assert plan_shift(client, staff["manila-agent"]).status_code == 403
    assert plan_shift(client, staff["acme-pune-lead"]).status_code == 404
    other_agent = client.post("/api/v1/brands/acme/agents/agent-pune-cx/breaks/taken", headers=staff["manila-agent"].headers,
                              json={"started_at": "2026-10-05T04:30:00Z", "ended_at": "2026-10-05T04:40:00Z"})
    assert other_agent.status_code == 404


def test_privacy_training_standing_follows_the_agent_through_its_linked_login(client, staff):
    manager = staff["acme-manager"]
    body = client.get(f"/api/v1/brands/acme/workforce/wellbeing?{PERIOD}", headers=manager.headers).json()
    assert agent_row(body)["privacy_training"] == {"status": "missing", "expires_at": None}
    # recorded against the user login linked to the agent, expiring in 20 days
    expires = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)
    loaded = client.post("/api/v1/training", headers=staff["root"].headers, json=[
        {"username": "manila-agent", "course": "privacy", "completed_at": "2025-11-10T00:00:00Z",
         "expires_at": expires.isoformat().replace("+00:00", "Z")}])
    assert loaded.status_code == 201, loaded.text
    body = client.get(f"/api/v1/brands/acme/workforce/wellbeing?{PERIOD}", headers=manager.headers).json()
    assert agent_row(body)["privacy_training"] == {"status": "expiring",
                                                   "expires_at": expires.isoformat().replace("+00:00", "Z")}
    # a refresher kept on the agent record itself makes the agent current again
    assert client.post("/api/v1/training", headers=staff["root"].headers, json=[
        {"brand": "acme", "agent": "agent-manila-bpo", "course": "privacy", "completed_at": "2026-01-01T00:00:00Z",
         "expires_at": "2099-01-01T00:00:00Z"}]).status_code == 201
    profile = client.get(f"/api/v1/brands/acme/workforce/agents/agent-manila-bpo?{PERIOD}", headers=manager.headers).json()
    assert profile["privacy_training"] == {"status": "current", "expires_at": "2099-01-01T00:00:00Z"}
    assert [(item["via_user"], item["current"]) for item in profile["training_records"]] == [
        (None, True), ("manila-agent", True)]
    # three contacts on 5 October and the personas' seed contact on 1 October
    assert profile["wellbeing"]["contacts"] == 4 and profile["shift"] == "08:00-17:00"
    # the agent may read their own profile, not a colleague's; the other vendor's lead sees neither
    assert client.get("/api/v1/brands/acme/workforce/agents/agent-manila-bpo", headers=staff["manila-agent"].headers).status_code == 200
    assert client.get("/api/v1/brands/acme/workforce/agents/agent-pune-cx", headers=staff["manila-agent"].headers).status_code == 404
    assert client.get("/api/v1/brands/acme/workforce/agents/agent-manila-bpo", headers=staff["acme-pune-lead"].headers).status_code == 404


def test_a_break_given_in_the_agents_wall_clock_time_is_stored_in_utc_and_bad_input_names_the_field(engine, staff):
    with engine.begin() as connection:
        acme = connection.execute(sa.select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
        manila = breaks.find_break_agent(connection, None, brand_id=acme, agent_external_id="agent-manila-bpo")
        logged = breaks.record_break_at_local_time(connection, None, manila, started="2026-10-05T12:00", minutes=30,
                                                   now=NOW)
        assert (logged["started_at"], logged["ended_at"]) == ("2026-10-05T04:00:00Z", "2026-10-05T04:30:00Z")
        for started, minutes, path in (("5 Oct, noon", 30, "$.started_at"), ("2026-10-05T15:00", 0, "$.minutes")):
            with pytest.raises(FieldError) as refused:
                breaks.record_break_at_local_time(connection, None, manila, started=started, minutes=minutes, now=NOW)
            assert refused.value.path == path
