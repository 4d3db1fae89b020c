from __future__ import annotations

import json

from typer.testing import CliRunner

from trustdesk.cli.main import app

RUNNER = CliRunner()


def request(**contact_changes) -> dict:
    contact = {
        "channel": "chat",
        "language": "es",
        "purpose": "billing",
        "priority": "normal",
        "customer_country": "DE",
        "at": "2026-10-01T14:00:00Z",
        "consents": {"offshore_transfer": False},
        "allowed_countries": ["DE", "AT"],
    }
    contact.update(contact_changes)
    agents = [
        {
            "external_id": "agent-7",
            "vendor": "manila-bpo",
            "country": "PH",
            "languages": {"en": 5, "es": 3},
            "skills": ["billing"],
            "channels": ["voice", "chat"],
            "time_zone": "Asia/Manila",
            "shift": {"start": "08:00", "end": "17:00"},
            "load": {"chat": 1},
            "capacity": {"chat": 3},
            "occupancy": 0.62,
        },
        {
            "external_id": "agent-9",
            "vendor": "berlin-cc",
            "country": "DE",
            "languages": {"es": 4},
            "skills": ["billing"],
            "channels": ["chat"],
            "time_zone": "Europe/Berlin",
            "shift": {"start": "09:00", "end": "18:00"},
            "occupancy": 0.5,
        },
    ]
    return {"contact": contact, "agents": agents}


def test_single_pretty_printed_object():
    result = RUNNER.invoke(app, ["route"], input=json.dumps(request(), indent=2))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    decision = json.loads(lines[0])
    assert decision["agent"] == "agent-9"
    assert decision["queue"] == "es-billing-chat"
    assert decision["excluded"] == [
        {"agent": "agent-7", "reason": "consent: customer in DE has not consented to transfer to PH"}
    ]
    assert set(decision) == {"agent", "queue", "reasons", "excluded"}


def test_jsonl_gives_one_line_per_input_in_order():
    night = request(at="2026-10-01T23:00:00Z")
    lines = "\n".join(json.dumps(item) for item in (request(), night, request(language="fr")))
    result = RUNNER.invoke(app, ["route"], input=lines + "\n")
    assert result.exit_code == 0, result.output
    decisions = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["agent"] for item in decisions] == ["agent-9", None, None]
    assert decisions[1]["excluded"][-1]["reason"].startswith("shift: ")
    assert decisions[2]["queue"] == "fr-billing-chat"


def test_occupancy_cap_option():
    result = RUNNER.invoke(app, ["route", "--occupancy-cap", "0.4"], input=json.dumps(request()))
    decision = json.loads(result.stdout)
    assert decision["agent"] is None
    assert decision["excluded"][-1]["reason"].startswith("occupancy_cap: ")


def test_missing_agents_explains_database_is_needed():
    result = RUNNER.invoke(app, ["route"], input=json.dumps({"contact": request()["contact"]}))
    assert result.exit_code == 1
    assert "--database" in result.stderr
    assert result.stdout == ""


def test_invalid_fields_are_named_and_nothing_is_routed():
    bad = request(channel="fax", at="2026-10-01T14:00:00")
    result = RUNNER.invoke(app, ["route"], input=json.dumps(request()) + "\n" + json.dumps(bad) + "\n")
    assert result.exit_code == 1
    assert "line 2: contact.channel" in result.stderr
    assert "line 2: contact.at" in result.stderr
    assert result.stdout == ""


def test_agent_field_errors_name_the_path():
    broken = request()
    broken["agents"][0]["time_zone"] = "Mars/Olympus"
    broken["agents"][1]["languages"] = {"es": 7}
    result = RUNNER.invoke(app, ["route"], input=json.dumps(broken))
    assert "agents.0.time_zone" in result.stderr and "Mars/Olympus" in result.stderr
    assert "agents.1.languages" in result.stderr


def test_empty_and_malformed_input():
    assert "no input" in RUNNER.invoke(app, ["route"], input="").stderr
    result = RUNNER.invoke(app, ["route"], input='{"contact": {}}\n{oops\n')
    assert result.exit_code == 1
    assert "line 2 is not JSON" in result.stderr
