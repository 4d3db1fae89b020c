"""Vendor registry, expiring-document alerts, due-diligence checklist and the alerts CLI, on both databases."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from trustdesk.cli.main import app as cli

TODAY = date.today()


def _registration(**changes) -> dict:
    body = {
        "legal_name": "Manila Contact Solutions Inc.",
        "countries": ["PH"],
        "sites": [{"name": "makati", "city": "Makati", "country": "PH", "time_zone": "Asia/Manila"}],
        "contract_start": (TODAY - timedelta(days=400)).isoformat(),
        "contract_end": (TODAY + timedelta(days=700)).isoformat(),
        "certifications": [
            {"name": "ISO 27001", "expires_on": (TODAY + timedelta(days=240)).isoformat()},
            {"name": "PCI DSS", "expires_on": (TODAY + timedelta(days=21)).isoformat()},
        ],
        "agreements": [
            {"kind": "data_processing", "signed_on": (TODAY - timedelta(days=400)).isoformat()},
            {"kind": "confidentiality", "signed_on": (TODAY - timedelta(days=410)).isoformat(),
             "expires_on": (TODAY - timedelta(days=3)).isoformat()},
        ],
        "sla_targets": [{"priority": "urgent", "first_response_minutes": 5, "resolution_minutes": 240},
                        {"priority": "normal", "first_response_minutes": 60, "resolution_minutes": 4320}],
    }
    body.update(changes)
    return body


@pytest.fixture
def registered(client, personas):
    headers = personas["acme-manager"].headers
    manila = client.put("/api/v1/vendor-registry/manila-bpo", json=_registration(), headers=headers)
    assert manila.status_code == 200, manila.text
    pune = client.put("/api/v1/vendor-registry/pune-cx", headers=headers, json=_registration(
        legal_name="Pune CX Services Pvt. Ltd.", countries=["IN"], agreements=[], contract_end=None,
        sites=[{"name": "hinjewadi", "city": "Pune", "country": "IN"}],
        certifications=[{"name": "ISO 27001", "expires_on": (TODAY - timedelta(days=12)).isoformat()}]))
    assert pune.status_code == 200, pune.text
    globex = client.put("/api/v1/vendor-registry/manila-bpo", json=_registration(legal_name="Manila (Globex contract)"),
                        headers=personas["globex-manager"].headers)
    assert globex.status_code == 200, globex.text


def test_the_registry_holds_the_brands_record_of_each_vendor(client, personas, registered):
    entry = client.get("/api/v1/vendor-registry/manila-bpo", headers=personas["acme-manager"].headers).json()
    assert entry["legal_name"] == "Manila Contact Solutions Inc." and entry["countries"] == ["PH"]
    assert entry["sites"][0]["city"] == "Makati"
    assert {c["name"] for c in entry["certifications"]} == {"ISO 27001", "PCI DSS"}
    assert {a["kind"] for a in entry["agreements"]} == {"data_processing", "confidentiality"}
    assert [t["priority"] for t in entry["sla_targets"]] == ["urgent", "normal"]
    assert entry["checklist"] == {"done": 0, "failed": 0, "total": 10}
    globex = client.get("/api/v1/vendor-registry/manila-bpo", headers=personas["globex-manager"].headers).json()
    assert globex["legal_name"] == "Manila (Globex contract)"


def test_alerts_list_expired_and_expiring_documents_most_urgent_first(client, personas, registered):
    response = client.get("/api/v1/vendor-alerts?within_days=30", headers=personas["acme-manager"].headers)
    assert response.status_code == 200
    alerts = [(a["vendor"], a["kind"], a["name"], a["state"], a["days_left"]) for a in response.json()["items"]]
    assert alerts == [
        ("pune-cx", "certification", "ISO 27001", "expired", -12),
        ("manila-bpo", "agreement", "confidentiality", "expired", -3),
        ("manila-bpo", "certification", "PCI DSS", "expiring", 21),
    ]
    narrow = client.get("/api/v1/vendor-alerts?within_days=7", headers=personas["acme-manager"].headers).json()["items"]
    assert [a["state"] for a in narrow] == ["expired", "expired"]
    wide = client.get("/api/v1/vendor-alerts?within_days=365", headers=personas["acme-manager"].headers).json()["items"]
    assert ("manila-bpo", "ISO 27001") in {(a["vendor"], a["name"]) for a in wide}
    assert client.get("/api/v1/vendor-alerts?within_days=-1", headers=personas["acme-manager"].headers).status_code == 422


@pytest.mark.parametrize("changes, path", [
    ({"countries": ["Philippines"]}, "$.countries[0]"),
    ({"certifications": [{"name": "PCI DSS", "issued_on": "2026-05-01", "expires_on": "2026-01-01"}]}, "$.certifications[0].expires_on"),
    ({"agreements": [{"kind": "handshake", "signed_on": "2026-01-01"}]}, "$.agreements[0].kind"),
    ({"sla_targets": [{"priority": "normal", "first_response_minutes": 60, "resolution_minutes": 30}]}, "$.sla_targets[0].resolution_minutes"),
    ({"sla_targets": [{"priority": "asap", "first_response_minutes": 1, "resolution_minutes": 30}]}, "$.sla_targets[0].priority"),
    ({"certifications": [{"name": "ISO 27001", "expires_on": "2027-01-01"}, {"name": "iso 27001", "expires_on": "2028-01-01"}]}, "$.certifications[1]"),
    ({"certifications": [{"name": "ISO 27001", "expires_on": "someday"}]}, "$.certifications[0].expires_on"),
])
def test_bad_registry_fields_are_named_and_nothing_changes(client, personas, registered, changes, path):
    headers = personas["acme-manager"].headers
    before = client.get("/api/v1/vendor-registry/manila-bpo", headers=headers).json()
    response = client.put("/api/v1/vendor-registry/manila-bpo", json=_registration(**changes), headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == path
    assert client.get("/api/v1/vendor-registry/manila-bpo", headers=headers).json() == before


def test_the_due_diligence_checklist_records_status_evidence_who_and_when(client, personas, registered):
    headers = personas["acme-manager"].headers
    items = client.get("/api/v1/vendor-registry/manila-bpo/checklist", headers=headers).json()["items"]
    assert len(items) == 10 and {i["status"] for i in items} == {"pending"}
    no_evidence = client.patch("/api/v1/vendor-registry/manila-bpo/checklist/dpa_signed", json={"status": "done"}, headers=headers)
    assert no_evidence.status_code == 422 and no_evidence.json()["detail"][0]["path"] == "$.evidence"
    done = client.patch("/api/v1/vendor-registry/manila-bpo/checklist/dpa_signed",
                        json={"status": "done", "evidence": "DPA v3 signed 2025-10-01, sub-processors annex B"}, headers=headers)
    assert done.status_code == 200, done.text
    assert done.json()["updated_by"] == "acme-manager" and done.json()["updated_at"] is not None
    entry = client.get("/api/v1/vendor-registry/manila-bpo", headers=headers).json()
    assert entry["checklist"]["done"] == 1
    assert client.patch("/api/v1/vendor-registry/manila-bpo/checklist/no_such_item", json={"status": "pending"},
                        headers=headers).status_code == 404
    # Re-registering the vendor keeps the checklist's answers.
    client.put("/api/v1/vendor-registry/manila-bpo", json=_registration(), headers=headers)
    assert client.get("/api/v1/vendor-registry/manila-bpo", headers=headers).json()["checklist"]["done"] == 1


def test_vendor_staff_see_only_their_vendor_and_supply_evidence_but_cannot_sign_off(client, engine, personas, registered):
    from tests.factories import NOW
    from trustdesk.core.model import Role
    from trustdesk.services import accounts

    with engine.begin() as connection:
        accounts.create_user(connection, username="pune-vm", password="x", role=Role.VENDOR_MANAGER, brand_key="acme",
                             vendor_key="pune-cx", now=NOW)
        headers = {"Authorization": "Bearer " + accounts.create_token(connection, username="pune-vm", name="t", now=NOW)}
    registry = client.get("/api/v1/vendor-registry", headers=headers).json()["items"]
    assert [entry["vendor"] for entry in registry] == ["pune-cx"]
    assert client.get("/api/v1/vendor-registry/manila-bpo", headers=headers).status_code == 404
    assert client.get("/api/v1/vendor-registry/manila-bpo/checklist", headers=headers).status_code == 404
    assert {a["vendor"] for a in client.get("/api/v1/vendor-alerts", headers=headers).json()["items"]} == {"pune-cx"}
    evidence = client.patch("/api/v1/vendor-registry/pune-cx/checklist/background_checks",
                            json={"status": "in_progress", "evidence": "Checks for 40 of 52 agents uploaded"}, headers=headers)
    assert evidence.status_code == 200
    assert client.patch("/api/v1/vendor-registry/pune-cx/checklist/background_checks",
                        json={"status": "done", "evidence": "all"}, headers=headers).status_code == 403
    assert client.put("/api/v1/vendor-registry/pune-cx", json=_registration(), headers=headers).status_code == 403


@pytest.mark.parametrize("persona, visible", [
    ("root", None), ("acme-manager", {"manila-bpo", "pune-cx"}), ("globex-manager", {"manila-bpo"}),
])
def test_registry_reads_are_isolated_per_brand(client, personas, registered, persona, visible):
    response = client.get("/api/v1/vendor-registry" + ("?brand=acme" if persona == "root" else ""),
                          headers=personas[persona].headers)
    vendors = {entry["vendor"] for entry in response.json()["items"]}
    assert vendors == (visible or {"manila-bpo", "pune-cx"})
    assert client.get("/api/v1/vendor-registry?brand=globex", headers=personas["acme-manager"].headers).status_code == 404
    assert client.get("/api/v1/vendor-alerts?brand=acme", headers=personas["globex-manager"].headers).status_code == 404
    for path in ("/api/v1/vendor-registry/pune-cx", "/api/v1/vendor-registry/pune-cx/checklist",
                 "/api/v1/vendor-registry/pune-cx?brand=acme", "/api/v1/vendor-registry/pune-cx/checklist?brand=acme"):
        assert client.get(path, headers=personas["globex-manager"].headers).status_code == 404, path
    assert client.patch("/api/v1/vendor-registry/pune-cx/checklist/dpa_signed", json={"brand": "acme", "status": "pending"},
                        headers=personas["globex-manager"].headers).status_code == 404


def test_roles_outside_governance_cannot_read_or_write_the_registry(client, personas, registered):
    assert client.get("/api/v1/vendor-registry", headers=personas["acme-qa"].headers).status_code == 403
    assert client.get("/api/v1/vendor-alerts", headers=personas["acme-manila-lead"].headers).status_code == 403
    assert client.put("/api/v1/vendor-registry/manila-bpo", json=_registration(),
                      headers=personas["acme-qa"].headers).status_code == 403


def test_vendors_alerts_cli_prints_the_alerts_of_one_brand(engine, personas, registered, monkeypatch):
    monkeypatch.setenv("TRUSTDESK_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(cli, ["vendors", "alerts", "--brand", "acme", "--within-days", "30"])
    assert result.exit_code == 1, result.output  # expired documents make the command fail, for cron and CI
    lines = result.output.splitlines()
    assert any("pune-cx" in line and "ISO 27001" in line and "expired" in line for line in lines)
    assert any("manila-bpo" in line and "PCI DSS" in line and "21" in line for line in lines)
    quiet = CliRunner().invoke(cli, ["vendors", "alerts", "--brand", "globex", "--within-days", "0", "--format", "json"])
    assert quiet.exit_code == 1
    unknown = CliRunner().invoke(cli, ["vendors", "alerts", "--brand", "nope"])
    assert unknown.exit_code == 2
