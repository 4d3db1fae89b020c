"""Minimized customer views through the API: per role, training gate, break-glass, brand policy, tenant scope."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import NOW, Persona, interaction
from trustdesk.core.model import Role
from trustdesk.services import accounts
from trustdesk.storage.audit_tables import audit_entries

CUSTOMER = "/api/v1/brands/acme/customers/cust-9"
EXTRA_PERSONAS = {
    "acme-privacy": (Role.PRIVACY_OFFICER, "acme", None, None),
    "acme-manila-agent": (Role.AGENT, "acme", "manila-bpo", "agent-manila-bpo"),
}


@pytest.fixture
def staff(engine, personas, client) -> dict[str, Persona]:
    """The shared personas plus a privacy officer and a manila-bpo agent linked to their agent record."""
    result = dict(personas)
    with engine.begin() as connection:
        for username, (role, brand, vendor, agent) in EXTRA_PERSONAS.items():
            accounts.create_user(connection, username=username, password="correct horse", role=role,
                                 brand_key=brand, vendor_key=vendor, agent_external_id=agent, now=NOW)
            result[username] = Persona(username, accounts.create_token(connection, username=username, name="t", now=NOW))
    # Through the API, so the customer's personal fields are stored (encrypted under the app's master key).
    stored = client.post("/api/v1/interactions", headers=personas["root"].headers, json=interaction(
        external_id="call-manila", agent={"external_id": "agent-manila-bpo"},
        case={"external_id": "case-manila-bpo", "purpose": "billing"}))
    assert stored.status_code == 201, stored.text
    return result


def train(client, staff, *usernames, expires_at="2099-01-01T00:00:00Z"):
    records = [{"username": name, "course": "privacy", "completed_at": "2026-01-01T00:00:00Z", "expires_at": expires_at}
               for name in usernames]
    response = client.post("/api/v1/training", json=records, headers=staff["root"].headers)
    assert response.status_code == 201, response.text


def audit_rows(engine):
    with engine.connect() as connection:
        return connection.execute(sa.select(audit_entries).order_by(audit_entries.c.entry_id)).mappings().all()


def view(client, persona, case="case-manila-bpo", **params):
    return client.get(CUSTOMER, params={"case": case, **params}, headers=persona.headers)


def test_without_privacy_training_no_personal_field_is_shown_and_nothing_is_audited(client, staff, engine):
    response = view(client, staff["acme-manila-lead"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["training_current"] is False
    assert body["fields"] == {"country": "US"}
    assert {"name", "email", "phone"} <= set(body["hidden_fields"])
    assert body["audit_entry"] is None and audit_rows(engine) == [] or all(
        row["event_type"] != "personal_data_read" for row in audit_rows(engine))


def test_an_expired_training_record_does_not_open_the_gate(client, staff):
    train(client, staff, "acme-manila-lead", expires_at="2026-02-01T00:00:00Z")
    assert view(client, staff["acme-manila-lead"]).json()["fields"] == {"country": "US"}


def test_each_role_sees_its_minimized_view_and_the_read_is_audited_with_the_fields_shown(client, staff, engine):
    train(client, staff, "acme-manila-lead", "acme-manila-agent", "acme-qa", "acme-privacy")
    supervisor = view(client, staff["acme-manila-lead"]).json()
    assert supervisor["fields"] == {"name": "Dana Whitfield", "email": "dana.whitfield@example.com",
                                    "phone": "+1 415 555 0134", "country": "US"}
    agent = view(client, staff["acme-manila-agent"]).json()
    assert agent["fields"] == {"name": "Dana Whitfield", "email": "d***@example.com", "phone": "***0134", "country": "US"}
    assert agent["masked_fields"] == ["email", "phone"]
    qa = view(client, staff["acme-qa"]).json()
    assert qa["fields"] == {"name": "D. W.", "country": "US"}
    officer = view(client, staff["acme-privacy"]).json()
    assert officer["fields"]["email"] == "dana.whitfield@example.com"
    reads = [row for row in audit_rows(engine) if row["event_type"] == "personal_data_read"]
    assert [(row["user"], row["fields"]) for row in reads] == [
        ("acme-manila-lead", ["name", "email", "phone", "country"]),
        ("acme-manila-agent", ["name", "email", "phone", "country"]),
        ("acme-qa", ["name", "country"]),
        ("acme-privacy", ["name", "email", "phone", "country"]),
    ]
    assert {(row["customer"], row["purpose"], row["case_ref"]) for row in reads} == {("acme/cust-9", "billing", "case-manila-bpo")}
    assert supervisor["audit_entry"] == reads[0]["entry_id"]


def test_vendor_staff_see_only_customers_of_cases_their_vendor_worked(client, staff):
    train(client, staff, "acme-pune-lead", "globex-manager")
    assert view(client, staff["acme-pune-lead"]).status_code == 404
    assert view(client, staff["acme-pune-lead"], case="case-pune-cx").status_code == 200
    assert view(client, staff["globex-manager"]).status_code == 404
    assert client.get("/api/v1/brands/acme/customers/nobody", params={"purpose": "billing"},
                      headers=staff["acme-manager"].headers).status_code == 404


def test_the_purpose_comes_from_the_case_and_must_be_named(client, staff):
    mismatch = view(client, staff["acme-manila-lead"], purpose="shipping")
    assert mismatch.status_code == 422
    assert mismatch.json()["detail"][0]["path"] == "$.query.purpose"
    missing = client.get(CUSTOMER, headers=staff["acme-manager"].headers)
    assert missing.status_code == 422 and missing.json()["detail"][0]["path"] == "$.query.case"


def test_break_glass_needs_a_role_and_a_reason_then_opens_the_view_and_flags_it(client, staff, engine):
    train(client, staff, "acme-manila-lead", "acme-manila-agent")
    url = f"{CUSTOMER}/break-glass"
    reason = "Customer reports fraud on the line; must verify the address on file."
    denied = client.post(url, json={"case": "case-manila-bpo", "reason": reason}, headers=staff["acme-manila-agent"].headers)
    assert denied.status_code == 403
    short = client.post(url, json={"case": "case-manila-bpo", "reason": "need"}, headers=staff["acme-manila-lead"].headers)
    assert short.status_code == 422 and short.json()["detail"][0]["path"] == "$.reason"
    opened = client.post(url, json={"case": "case-manila-bpo", "reason": reason}, headers=staff["acme-manila-lead"].headers)
    assert opened.status_code == 200, opened.text
    assert opened.json()["break_glass"] is True and opened.json()["masked_fields"] == []
    [entry] = [row for row in audit_rows(engine) if row["event_type"] == "break_glass"]
    assert entry["reason"] == reason and entry["user"] == "acme-manila-lead"
    assert client.get("/api/v1/privacy/break-glass", headers=staff["acme-manila-lead"].headers).status_code == 403
    [flag] = client.get("/api/v1/privacy/break-glass", headers=staff["acme-privacy"].headers).json()["items"]
    assert (flag["user"], flag["customer"], flag["reason"], flag["audit_entry"]) == (
        "acme-manila-lead", "cust-9", reason, entry["entry_id"])
    assert client.get("/api/v1/privacy/break-glass", headers=staff["globex-manager"].headers).status_code == 403
    reviewed = client.post(f"/api/v1/privacy/break-glass/{flag['id']}/review", headers=staff["acme-privacy"].headers)
    assert reviewed.status_code == 200
    assert client.get("/api/v1/privacy/break-glass", params={"unreviewed": True},
                      headers=staff["acme-privacy"].headers).json()["items"] == []


def test_break_glass_does_not_lift_the_training_gate(client, staff):
    response = client.post(f"{CUSTOMER}/break-glass", json={"case": "case-manila-bpo", "reason": "Urgent fraud check on this account."},
                           headers=staff["acme-manila-lead"].headers)
    assert response.status_code == 200 and response.json()["fields"] == {"country": "US"}


def test_a_brand_policy_changes_the_view_and_is_audited(client, staff, engine):
    train(client, staff, "acme-manila-lead")
    custom = 'extends = "gdpr"\nname = "acme"\n[access.roles.supervisor."*"]\nemail = "masked"\nphone = "hidden"\n'
    assert client.put("/api/v1/brands/acme/policy", json={"policy": custom},
                      headers=staff["acme-manila-lead"].headers).status_code == 403
    response = client.put("/api/v1/brands/acme/policy", json={"policy": custom}, headers=staff["acme-privacy"].headers)
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "acme"
    assert view(client, staff["acme-manila-lead"]).json()["fields"] == {"name": "Dana Whitfield", "email": "d***@example.com", "country": "US"}
    assert [row["resource"] for row in audit_rows(engine) if row["event_type"] == "policy_change"] == ["policy:acme"]
    bad = client.put("/api/v1/brands/acme/policy", json={"policy": 'extends = "gdpr"\n[access.roles.agent."*"]\nname = "shown"\n'},
                     headers=staff["acme-privacy"].headers)
    assert bad.status_code == 422 and 'access.roles.agent."*".name' in bad.json()["detail"][0]["message"]
    assert client.get("/api/v1/brands/acme/policy", headers=staff["acme-manager"].headers).json()["name"] == "acme"
    assert client.get("/api/v1/brands/acme/policy", headers=staff["globex-manager"].headers).status_code == 404


def test_training_records_are_loaded_all_or_nothing_within_the_brand(client, staff):
    bad = [{"username": "acme-qa", "course": "privacy", "completed_at": "2026-01-01T00:00:00Z"},
           {"username": "ghost", "course": "privacy", "completed_at": "2026-01-01T00:00:00Z"}]
    response = client.post("/api/v1/training", json=bad, headers=staff["acme-privacy"].headers)
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "$[1].username"
    other_brand = [{"username": "globex-manager", "course": "privacy", "completed_at": "2026-01-01T00:00:00Z"}]
    assert client.post("/api/v1/training", json=other_brand, headers=staff["acme-privacy"].headers).status_code == 422
    assert client.post("/api/v1/training", json=bad[:1], headers=staff["acme-qa"].headers).status_code == 403
    agent_record = [{"brand": "acme", "agent": "agent-manila-bpo", "course": "privacy", "completed_at": "2026-01-01T00:00:00Z"}]
    assert client.post("/api/v1/training", json=agent_record, headers=staff["acme-privacy"].headers).status_code == 201
    # the agent's user account is linked to that agent record, so the gate opens for it
    assert view(client, staff["acme-manila-agent"]).json()["training_current"] is True
    items = client.get("/api/v1/training", headers=staff["acme-manager"].headers).json()["items"]
    assert [(item["agent"], item["current"]) for item in items] == [("agent-manila-bpo", True)]
    assert client.get("/api/v1/training", headers=staff["globex-manager"].headers).json()["items"] == []
