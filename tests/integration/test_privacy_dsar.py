"""Data-subject requests: lifecycle, due dates, overdue list, export, rectification, erasure; API and CLI."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import interaction
from tests.integration.privacy_support import add_persona, grant, run_cli
from trustdesk.core.model import Role
from trustdesk.storage.audit_tables import audit_entries
from trustdesk.storage.privacy_tables import dsar_requests


@pytest.fixture
def officer(engine, personas):
    return add_persona(engine, "acme-privacy", Role.PRIVACY_OFFICER)


@pytest.fixture
def stored_customer(client, personas):
    body = interaction(external_id="dsar-1", customer={"external_id": "cust-dsar", "name": "Ivo Brandt",
                                                       "email": "ivo.brandt@example.com", "country": "DE"})
    assert client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers).status_code == 201
    return "cust-dsar"


def _open(client, officer, kind: str, **extra) -> dict:
    response = client.post("/api/v1/brands/acme/dsar-requests", headers=officer.headers,
                           json={"customer": "cust-dsar", "kind": kind, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def _move(client, officer, request_id: int, state: str, note: str | None = None):
    return client.post(f"/api/v1/dsar-requests/{request_id}/transitions", headers=officer.headers,
                       json={"state": state, "note": note})


def _dsar_audit(engine, request_id: int) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(audit_entries.c.reason).where(
            audit_entries.c.resource == f"dsar:{request_id}").order_by(audit_entries.c.entry_id)).scalars())


def test_a_request_is_due_after_the_policy_deadline_and_each_change_is_audited(client, officer, stored_customer, engine):
    request = _open(client, officer, "access")
    assert request["state"] == "received" and request["overdue"] is False
    received = datetime.fromisoformat(request["received_at"])
    assert datetime.fromisoformat(request["due_at"]) - received == timedelta(days=30)
    assert _move(client, officer, request["id"], "completed").status_code == 422  # must be in progress first
    assert _move(client, officer, request["id"], "in_progress").json()["state"] == "in_progress"
    done = _move(client, officer, request["id"], "completed").json()
    assert done["state"] == "completed" and done["closed_at"] is not None
    assert len(_dsar_audit(engine, request["id"])) == 3


def test_overdue_requests_are_listed_for_the_privacy_officer(client, officer, stored_customer, engine):
    late = _open(client, officer, "access")
    _open(client, officer, "erasure")
    with engine.begin() as connection:
        received = connection.execute(sa.select(dsar_requests.c.received_at)
                                      .where(dsar_requests.c.id == late["id"])).scalar_one()
        connection.execute(sa.update(dsar_requests).where(dsar_requests.c.id == late["id"]).values(
            received_at=received - timedelta(days=40), due_at=received - timedelta(days=10)))
    overdue = client.get("/api/v1/dsar-requests", params={"overdue": "true"}, headers=officer.headers).json()["items"]
    assert [item["id"] for item in overdue] == [late["id"]] and overdue[0]["overdue"] is True
    assert len(client.get("/api/v1/dsar-requests", headers=officer.headers).json()["items"]) == 2
    _move(client, officer, late["id"], "in_progress")
    _move(client, officer, late["id"], "completed")
    assert client.get("/api/v1/dsar-requests", params={"overdue": "true"}, headers=officer.headers).json()["items"] == []


def test_completing_a_rectification_rewrites_the_encrypted_field(client, officer, stored_customer, engine):
    request = _open(client, officer, "rectification", changes={"email": "ivo@example.net"})
    assert request["fields"] == ["email"]
    _move(client, officer, request["id"], "in_progress")
    assert _move(client, officer, request["id"], "completed").status_code == 200
    exported = client.get("/api/v1/brands/acme/customers/cust-dsar/export", headers=officer.headers).json()
    assert exported["customer"]["personal_data"] == {"name": "Ivo Brandt", "email": "ivo@example.net"}
    with engine.connect() as connection:
        stored = connection.execute(sa.select(dsar_requests.c.changes)).scalar_one()
    assert stored == ["email"]  # the corrected value is not kept in the clear
    assert "rectification" in _audit_event_types(engine)


def _audit_event_types(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(audit_entries.c.event_type)).scalars())


def test_completing_an_erasure_request_erases_the_customer(client, officer, stored_customer):
    request = _open(client, officer, "erasure")
    _move(client, officer, request["id"], "in_progress")
    assert _move(client, officer, request["id"], "completed").status_code == 200
    exported = client.get("/api/v1/brands/acme/customers/cust-dsar/export", headers=officer.headers).json()
    assert exported["customer"]["personal_data"] == {}
    assert [r["state"] for r in exported["requests"]] == ["completed"]


def test_bad_requests_name_the_field(client, officer, stored_customer, personas):
    wrong_field = client.post("/api/v1/brands/acme/dsar-requests", headers=officer.headers,
                              json={"customer": "cust-dsar", "kind": "rectification", "changes": {"shoe_size": "44"}})
    assert wrong_field.status_code == 422 and wrong_field.json()["detail"][0]["path"] == "$.changes.shoe_size"
    unknown = client.post("/api/v1/brands/acme/dsar-requests", headers=officer.headers,
                          json={"customer": "nobody", "kind": "access"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["path"] == "$.customer"
    request = _open(client, officer, "access")
    no_reason = _move(client, officer, request["id"], "rejected")
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["path"] == "$.note"
    assert client.post("/api/v1/brands/acme/dsar-requests", headers=personas["acme-manager"].headers,
                       json={"customer": "cust-dsar", "kind": "access"}).status_code == 403
    globex = add_persona(client.app.state.engine, "globex-privacy", Role.PRIVACY_OFFICER, brand="globex")
    assert client.get(f"/api/v1/dsar-requests/{request['id']}", headers=globex.headers).status_code == 404


def test_cli_export_prints_the_whole_record_as_json_and_is_audited(client, personas, stored_customer, engine, tmp_path):
    grant(client, personas["acme-manager"], "cust-dsar")
    key_file = tmp_path / "master.key"  # the file the client fixture's server generated its key in
    result = run_cli(engine, key_file, "dsar", "export", "acme", "cust-dsar")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["customer"]["personal_data"]["email"] == "ivo.brandt@example.com"
    assert [i["external_id"] for i in document["interactions"]] == ["dsar-1"]
    assert document["interactions"][0]["vendor"] == "manila-bpo"
    assert document["consents"]["events"][0]["purpose"] == "quality_analytics"
    assert "export" in _audit_event_types(engine)
