"""Routing over stored agents and their presence, through POST /api/v1/route and `trustdesk route --database`."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.factories import NOW
from trustdesk.cli.main import app as cli
from trustdesk.services import directory
from trustdesk.storage import tables as t

CONTACT = {"channel": "chat", "language": "es", "purpose": "billing", "priority": "normal",
           "customer_country": "MX", "at": "2026-10-01T15:00:00Z"}


def store_agents(engine) -> None:
    """acme: two Spanish chat agents on shift (PH and CO) and one off shift; globex: one agent in MX."""
    with engine.begin() as connection:
        acme, globex = (directory.brand_id_by_key(connection, key) for key in ("acme", "globex"))
        vendor = connection.execute(t.vendors.select().where(t.vendors.c.key == "manila-bpo")).first().id
        other = directory.save_vendor(connection, key="medellin-contact", name="Medellin", legal_name=None,
                                      countries=["CO"], sites=[], now=NOW)
        common = {"languages": {"es": 4, "en": 5}, "skills": ["billing"], "channels": ["chat"],
                  "capacity": {"chat": 2}, "team_id": None}
        directory.save_agent(connection, brand_id=acme, vendor_id=vendor, external_id="ph-day", display_name="A",
                             country="PH", time_zone="Asia/Manila", shift_start="20:00", shift_end="05:00", **common)
        directory.save_agent(connection, brand_id=acme, vendor_id=other, external_id="co-day", display_name="B",
                             country="CO", time_zone="America/Bogota", shift_start="08:00", shift_end="17:00", **common)
        directory.save_agent(connection, brand_id=acme, vendor_id=other, external_id="co-night", display_name="C",
                             country="CO", time_zone="America/Bogota", shift_start="22:00", shift_end="06:00", **common)
        directory.save_agent(connection, brand_id=globex, vendor_id=other, external_id="globex-mx", display_name="D",
                             country="MX", time_zone="America/Mexico_City", shift_start="00:00", shift_end="00:00",
                             **common)


def test_stored_agents_route_to_the_least_occupied_on_shift(engine, client, personas):
    store_agents(engine)
    headers = personas["acme-manager"].headers
    assert client.put("/api/v1/brands/acme/agents/co-day/presence", headers=headers,
                      json={"load": {"chat": 1}, "occupancy": 0.6}).status_code == 200
    assert client.put("/api/v1/brands/acme/agents/ph-day/presence", headers=headers,
                      json={"load": {"chat": 0}, "occupancy": 0.3}).status_code == 200
    decision = client.post("/api/v1/route", headers=headers, json={"contact": CONTACT}).json()[0]
    assert decision["agent"] == "ph-day"
    excluded = {item["agent"]: item["reason"] for item in decision["excluded"]}
    assert excluded["co-night"].startswith("shift: ")
    assert "globex-mx" not in excluded  # another brand's agents are never considered
    # the seeded agents from ingest have no shift or country; the decision says they were left out
    assert any("lack a country, time zone or shift" in reason for reason in decision["reasons"])

    # a full agent (load at capacity) is excluded, so the other one gets the contact
    client.put("/api/v1/brands/acme/agents/ph-day/presence", headers=headers, json={"load": {"chat": 2}, "occupancy": 0.3})
    decision = client.post("/api/v1/route", headers=headers, json={"contact": CONTACT}).json()[0]
    assert decision["agent"] == "co-day"
    assert {item["agent"]: item["reason"] for item in decision["excluded"]}["ph-day"].startswith("capacity: ")


def test_consent_keeps_the_contact_in_the_customers_country(engine, client, personas):
    store_agents(engine)
    contact = {**CONTACT, "customer_country": "CO", "consents": {"offshore_transfer": False}}
    decision = client.post("/api/v1/route", headers=personas["acme-manager"].headers, json={"contact": contact}).json()[0]
    assert decision["agent"] == "co-day"
    assert {item["agent"]: item["reason"] for item in decision["excluded"]}["ph-day"].startswith("consent: ")
    residency = {**CONTACT, "allowed_countries": ["MX"]}
    decision = client.post("/api/v1/route", headers=personas["acme-manager"].headers, json={"contact": residency}).json()[0]
    assert decision["agent"] is None


def test_vendor_staff_route_only_to_their_vendors_agents(engine, client, personas):
    store_agents(engine)
    decision = client.post("/api/v1/route", headers=personas["acme-manila-lead"].headers,
                           json={"contact": CONTACT}).json()[0]
    assert decision["agent"] == "ph-day"
    assert {item["agent"] for item in decision["excluded"]} <= {"ph-day"}


def test_brand_is_required_for_an_admin_and_fixed_for_brand_staff(engine, client, personas):
    store_agents(engine)
    response = client.post("/api/v1/route", headers=personas["root"].headers, json={"contact": CONTACT})
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "$.brand"
    response = client.post("/api/v1/route", headers=personas["root"].headers, json=[{"contact": CONTACT, "brand": "globex"}])
    assert response.status_code == 200 and response.json()[0]["agent"] == "globex-mx"
    response = client.post("/api/v1/route", headers=personas["acme-manager"].headers,
                           json={"contact": CONTACT, "brand": "globex"})
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "$.brand"


def test_presence_of_another_brands_agent_looks_missing(engine, client, personas):
    store_agents(engine)
    response = client.put("/api/v1/brands/acme/agents/globex-mx/presence", headers=personas["acme-manager"].headers,
                          json={"occupancy": 0.1})
    assert response.status_code == 404
    response = client.put("/api/v1/brands/globex/agents/globex-mx/presence", headers=personas["acme-manager"].headers,
                          json={"occupancy": 0.1})
    assert response.status_code == 404
    response = client.put("/api/v1/brands/acme/agents/co-day/presence", headers=personas["acme-manila-lead"].headers,
                          json={"occupancy": 0.1})
    assert response.status_code == 404  # another vendor's agent


def test_cli_routes_over_the_stored_agents(engine, personas, monkeypatch):
    store_agents(engine)
    monkeypatch.setenv("TRUSTDESK_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    lines = "\n".join(json.dumps(item) for item in ({"contact": CONTACT}, {"contact": CONTACT, "brand": "globex"}))
    result = CliRunner().invoke(cli, ["route", "--database", "--brand", "acme"], input=lines)
    assert result.exit_code == 0, result.output
    decisions = [json.loads(line) for line in result.stdout.splitlines()]
    # no presence reported: both at occupancy 0, the tie goes to the smaller external_id
    assert [decision["agent"] for decision in decisions] == ["co-day", "globex-mx"]
    result = CliRunner().invoke(cli, ["route", "--database"], input=json.dumps({"contact": CONTACT}))
    assert result.exit_code == 1 and "brand" in result.stderr
