"""The consent ledger and its enforcement at ingest, through the API and the CLI, on SQLite and PostgreSQL."""
from __future__ import annotations

import sqlalchemy as sa

from tests.factories import NOW, interaction
from tests.integration.privacy_support import add_persona, grant, run_cli
from trustdesk.core.model import Role
from trustdesk.services.brand_policy import set_brand_policy
from trustdesk.storage import tables as t
from trustdesk.storage.audit_tables import audit_entries
from trustdesk.storage.privacy_tables import consent_events


def _post(client, persona, external_id: str, customer: str = "cust-9") -> dict:
    body = interaction(external_id=external_id, customer={"external_id": customer, "name": "Dana Whitfield",
                                                          "country": "US"})
    response = client.post("/api/v1/interactions", json=body, headers=persona.headers)
    assert response.status_code == 201, response.text
    detail = client.get(f"/api/v1/interactions/{response.json()['results'][0]['id']}", headers=persona.headers)
    return detail.json()


def _audit_types(engine, customer: str) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(audit_entries.c.event_type).where(audit_entries.c.customer == customer)
                                       .order_by(audit_entries.c.entry_id)).scalars())


def test_without_quality_analytics_consent_an_interaction_is_counted_but_not_scored(client, personas, engine):
    manager = personas["acme-manager"]
    detail = _post(client, manager, "no-consent-1")
    assert detail["qa_score"] is None and detail["quality"] is None
    listed = client.get("/api/v1/interactions", params={"brand": "acme"}, headers=manager.headers).json()
    assert "no-consent-1" in {item["external_id"] for item in listed["items"]}
    with engine.connect() as connection:
        scored = connection.execute(sa.select(sa.func.count()).select_from(t.quality_results).join(
            t.interactions, t.interactions.c.id == t.quality_results.c.interaction_id)
            .where(t.interactions.c.external_id == "no-consent-1")).scalar_one()
    assert scored == 0


def test_granting_then_withdrawing_turns_scoring_on_and_off(client, personas, engine):
    manager = personas["acme-manager"]
    state = grant(client, manager, "cust-9")
    current = {row["purpose"]: row for row in state["current"]}
    assert current["quality_analytics"]["allowed"] is True
    assert current["quality_analytics"]["basis"] == "customer decision"
    assert current["marketing"] == {"purpose": "marketing", "allowed": False, "basis": "brand policy default",
                                    "decided_at": None}
    scored = _post(client, manager, "consented-1")
    assert scored["qa_score"] is not None and scored["quality"]["source"] == "automatic"

    grant(client, manager, "cust-9", decision="withdrawn")
    assert _post(client, manager, "withdrawn-1")["qa_score"] is None
    ledger = client.get("/api/v1/brands/acme/customers/cust-9/consents", headers=manager.headers).json()
    assert [(e["purpose"], e["decision"]) for e in ledger["events"]] == [
        ("quality_analytics", "granted"), ("quality_analytics", "withdrawn")]
    assert ledger["events"][0]["wording"] == "May we review this call to improve our service?"
    assert _audit_types(engine, "acme/cust-9") == ["consent_change", "consent_change"]


def test_a_brand_policy_that_allows_analytics_by_default_scores_without_an_event(client, personas, engine):
    with engine.begin() as connection:
        set_brand_policy(connection, brand_key="acme", source='extends = "default"\n[consent.defaults]\n'
                         "quality_analytics = true\n", actor="root", role="admin", origin="test", now=NOW)
    manager = personas["acme-manager"]
    assert _post(client, manager, "default-allowed-1", customer="cust-new")["qa_score"] is not None
    grant(client, manager, "cust-new", decision="withdrawn")
    assert _post(client, manager, "default-allowed-2", customer="cust-new")["qa_score"] is None


def test_cli_consent_set_follows_the_contract_and_is_audited(client, personas, engine, tmp_path):
    result = run_cli(engine, tmp_path / "master.key", "consent", "set", "acme", "cust-9", "quality_analytics", "granted")
    assert result.exit_code == 0, result.output
    with engine.connect() as connection:
        event = connection.execute(sa.select(consent_events)).one()
    assert (event.purpose, event.decision, event.channel) == ("quality_analytics", "granted", "operator")
    assert event.recorded_by.startswith("cli:")
    assert _audit_types(engine, "acme/cust-9") == ["consent_change"]
    assert _post(client, personas["acme-manager"], "cli-consented")["qa_score"] is not None
    bad = run_cli(engine, tmp_path / "master.key", "consent", "set", "acme", "cust-9", "telepathy", "granted")
    assert bad.exit_code == 2 and "telepathy" in bad.output


def test_bad_consent_input_names_each_field_and_stores_nothing(client, personas, engine):
    response = client.post("/api/v1/brands/acme/customers/cust-9/consents", headers=personas["acme-manager"].headers,
                           json={"purpose": "telepathy", "decision": "granted", "channel": "phone"})
    assert response.status_code == 422
    assert {error["path"] for error in response.json()["detail"]} == {"$.purpose", "$.wording"}
    future = client.post("/api/v1/brands/acme/customers/cust-9/consents", headers=personas["acme-manager"].headers,
                         json={"purpose": "marketing", "decision": "granted", "channel": "web", "wording": "Offers?",
                               "at": "2999-01-01T00:00:00Z"})
    assert future.status_code == 422 and future.json()["detail"][0]["path"] == "$.at"
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(consent_events)).scalar_one() == 0


def test_vendor_staff_reach_only_customers_their_vendor_served(client, personas, engine):
    _post(client, personas["acme-manager"], "manila-only", customer="cust-manila")
    manila_agent = add_persona(engine, "manila-agent", Role.AGENT, vendor="manila-bpo")
    pune_lead = personas["acme-pune-lead"]
    assert grant(client, manila_agent, "cust-manila")["customer"] == "cust-manila"
    hidden = client.get("/api/v1/brands/acme/customers/cust-manila/consents", headers=pune_lead.headers)
    assert hidden.status_code == 404
    other_brand = client.get("/api/v1/brands/acme/customers/cust-9/consents", headers=personas["globex-manager"].headers)
    assert other_brand.status_code == 404
    qa = client.get("/api/v1/brands/acme/customers/cust-9/consents", headers=personas["acme-qa"].headers)
    assert qa.status_code == 403
