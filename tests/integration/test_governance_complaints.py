"""Complaints as records with a lifecycle, each opening a follow-up task; customer signals; tenant isolation."""
from __future__ import annotations

import pytest

from tests.factories import interaction


@pytest.fixture
def handled(client, personas) -> dict[str, int]:
    ids = {}
    for key, brand, vendor, persona in [("acme-manila", "acme", "manila-bpo", "acme-manager"),
                                        ("acme-pune", "acme", "pune-cx", "acme-manager"),
                                        ("globex-manila", "globex", "manila-bpo", "globex-manager")]:
        body = interaction(external_id=key, brand=brand, vendor=vendor, agent={"external_id": f"agent-{key}"},
                           customer={"external_id": f"cust-{key}"},
                           case={"external_id": f"case-{key}", "purpose": "billing", "status": "open"})
        response = client.post("/api/v1/interactions", json=body, headers=personas[persona].headers)
        ids[key] = response.json()["results"][0]["id"]
    return ids


def _complain(client, persona, **changes):
    body = {"channel": "email", "category": "billing", "summary": "Charged twice and nobody called back.", **changes}
    return client.post("/api/v1/complaints", json=body, headers=persona.headers)


def test_a_complaint_about_an_interaction_opens_a_follow_up_for_that_vendor(client, personas, handled):
    response = _complain(client, personas["acme-manager"], interaction_id=handled["acme-pune"],
                         summary="Agent refused a refund; reach me at dana@example.com")
    assert response.status_code == 201, response.text
    complaint = response.json()
    assert complaint["vendor"] == "pune-cx" and complaint["customer"] == "cust-acme-pune" and complaint["status"] == "open"
    assert "dana@example.com" not in complaint["summary"] and "[EMAIL]" in complaint["summary"]
    [task] = client.get("/api/v1/follow-ups", headers=personas["acme-pune-lead"].headers).json()["items"]
    assert task["reason"] == "complaint" and task["complaint_id"] == complaint["id"]
    assert client.get("/api/v1/follow-ups", headers=personas["acme-manila-lead"].headers).json()["items"] == []


def test_the_complaint_lifecycle(client, personas, handled):
    headers = personas["acme-manila-lead"].headers
    complaint = _complain(client, personas["acme-manila-lead"], interaction_id=handled["acme-manila"]).json()
    url = f"/api/v1/complaints/{complaint['id']}"
    assert client.patch(url, json={"status": "closed"}, headers=headers).status_code == 409
    assert client.patch(url, json={"status": "investigating"}, headers=headers).json()["status"] == "investigating"
    unresolved = client.patch(url, json={"status": "resolved"}, headers=headers)
    assert unresolved.status_code == 422 and unresolved.json()["detail"][0]["path"] == "$.resolution"
    resolved = client.patch(url, json={"status": "resolved", "resolution": "Duplicate charge refunded"}, headers=headers).json()
    assert resolved["status"] == "resolved" and resolved["resolved_at"] is not None
    reopened = client.patch(url, json={"status": "investigating"}, headers=headers).json()
    assert reopened["resolved_at"] is None
    client.patch(url, json={"status": "resolved", "resolution": "Refund confirmed by the customer"}, headers=headers)
    assert client.patch(url, json={"status": "closed"}, headers=headers).json()["status"] == "closed"
    assert client.patch(url, json={"status": "investigating"}, headers=headers).status_code == 409
    assert [c["status"] for c in client.get("/api/v1/complaints?status=closed", headers=headers).json()["items"]] == ["closed"]


@pytest.mark.parametrize("changes, path", [
    ({"category": "rude"}, "$.category"), ({"channel": "fax"}, "$.channel"), ({"summary": "  "}, "$.summary"),
    ({"interaction_id": 999_999}, "$.interaction_id"), ({"vendor": None}, "$.vendor"), ({"vendor": "nobody"}, "$.vendor"),
])
def test_bad_complaints_name_the_field_and_store_nothing(client, personas, handled, changes, path):
    response = _complain(client, personas["acme-manager"], **{"vendor": "manila-bpo", **changes})
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == path
    assert client.get("/api/v1/complaints", headers=personas["acme-manager"].headers).json()["items"] == []
    assert client.get("/api/v1/follow-ups", headers=personas["acme-manager"].headers).json()["items"] == []


def test_complaints_and_follow_ups_are_isolated_by_brand_and_vendor(client, personas, handled):
    ids = {
        "acme-manila": _complain(client, personas["acme-manager"], interaction_id=handled["acme-manila"]).json()["id"],
        "acme-pune": _complain(client, personas["acme-manager"], vendor="pune-cx").json()["id"],
        "globex-manila": _complain(client, personas["globex-manager"], interaction_id=handled["globex-manila"]).json()["id"],
    }
    visible = {"root": set(ids), "acme-manager": {"acme-manila", "acme-pune"}, "acme-qa": {"acme-manila", "acme-pune"},
               "acme-manila-lead": {"acme-manila"}, "acme-pune-lead": {"acme-pune"}, "globex-manager": {"globex-manila"}}
    for persona, keys in visible.items():
        headers = personas[persona].headers
        listed = {c["id"] for c in client.get("/api/v1/complaints", headers=headers).json()["items"]}
        assert listed == {ids[k] for k in keys}, persona
        for key, complaint_id in ids.items():
            assert client.get(f"/api/v1/complaints/{complaint_id}", headers=headers).status_code == (200 if key in keys else 404)
        tasks = client.get("/api/v1/follow-ups", headers=headers).json()["items"]
        assert {t["complaint_id"] for t in tasks} == {ids[k] for k in keys}, persona
        for task in client.get("/api/v1/follow-ups", headers=personas["root"].headers).json()["items"]:
            expected = 200 if task["complaint_id"] in {ids[k] for k in keys} else 404
            assert client.get(f"/api/v1/follow-ups/{task['id']}", headers=headers).status_code == expected
    assert _complain(client, personas["acme-pune-lead"], interaction_id=handled["acme-manila"]).status_code == 422
    assert _complain(client, personas["acme-qa"], vendor="pune-cx").status_code == 403


def test_customer_signals_rank_at_risk_customers_by_external_id(client, personas, handled):
    headers = personas["acme-manager"].headers
    for i in range(3):  # three contacts about the same open case within days: repeat contacts, negative answers
        body = interaction(external_id=f"again-{i}", customer={"external_id": "cust-unhappy", "name": "Ann Example"},
                           case={"external_id": "case-unhappy", "purpose": "billing", "status": "open"},
                           started_at=f"2026-10-0{2 + i}T09:00:00Z", ended_at=f"2026-10-0{2 + i}T09:05:00Z",
                           survey={"csat": 1, "nps": 2})
        assert client.post("/api/v1/interactions", json=body, headers=headers).status_code == 201
    _complain(client, personas["acme-manager"], vendor="manila-bpo")
    response = client.get("/api/v1/customer-signals?date_from=2026-09-01&date_to=2026-10-31&level=high", headers=headers)
    assert response.status_code == 200, response.text
    [top] = response.json()["items"]
    assert top["customer"] == "cust-unhappy" and top["churn_risk"]["level"] == "high"
    assert {r["code"] for r in top["churn_risk"]["reasons"]} >= {"repeat_contacts", "negative_answers", "unresolved_cases"}
    assert "Ann" not in response.text
    assert client.get("/api/v1/customer-signals?date_from=2026-09-01&date_to=2026-10-31&level=high",
                      headers=personas["acme-pune-lead"].headers).json()["items"] == []
    assert client.get("/api/v1/customer-signals?date_from=2026-09-01&date_to=2026-10-31",
                      headers=personas["globex-manager"].headers).json()["items"] == []
    assert client.get("/api/v1/customer-signals?brand=acme", headers=personas["globex-manager"].headers).status_code == 404
    assert client.get("/api/v1/customer-signals?date_from=2026-11-01&date_to=2026-10-01", headers=headers).status_code == 422
