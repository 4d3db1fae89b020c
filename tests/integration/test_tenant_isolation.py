"""Every read endpoint narrows to the caller's brand and vendor; hidden records look like missing ones."""
from __future__ import annotations

import pytest

from tests.factories import interaction


@pytest.fixture
def stored(client, personas):
    """acme work by manila-bpo and pune-cx, and globex work by manila-bpo."""
    ids = {}
    for key, brand, vendor, persona in [
        ("acme-manila", "acme", "manila-bpo", "acme-manager"),
        ("acme-pune", "acme", "pune-cx", "acme-manager"),
        ("globex-manila", "globex", "manila-bpo", "globex-manager"),
    ]:
        body = interaction(external_id=key, brand=brand, vendor=vendor, agent={"external_id": f"agent-{key}"},
                           case={"external_id": f"case-{key}", "purpose": "billing"},
                           customer={"external_id": f"cust-{key}"})
        response = client.post("/api/v1/interactions", json=body, headers=personas[persona].headers)
        assert response.status_code == 201, response.text
        ids[key] = response.json()["results"][0]["id"]
    return ids


VISIBLE = {
    "root": {"acme-manila", "acme-pune", "globex-manila"},
    "acme-manager": {"acme-manila", "acme-pune"},
    "acme-qa": {"acme-manila", "acme-pune"},
    "acme-manila-lead": {"acme-manila"},
    "acme-pune-lead": {"acme-pune"},
    "globex-manager": {"globex-manila"},
}


def _brand_of(key: str) -> str:
    return key.split("-")[0]


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_interaction_list_shows_only_the_viewers_tenant(client, personas, stored, persona):
    items = client.get("/api/v1/interactions?page_size=200", headers=personas[persona].headers).json()["items"]
    seen = {item["external_id"] for item in items} & set(stored)
    assert seen == VISIBLE[persona]


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_interaction_detail_of_another_tenant_is_not_found(client, personas, stored, persona):
    for key, interaction_id in stored.items():
        response = client.get(f"/api/v1/interactions/{interaction_id}", headers=personas[persona].headers)
        assert response.status_code == (200 if key in VISIBLE[persona] else 404), (persona, key)


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_case_of_another_tenant_is_not_found(client, personas, stored, persona):
    for key in stored:
        response = client.get(f"/api/v1/brands/{_brand_of(key)}/cases/case-{key}", headers=personas[persona].headers)
        assert response.status_code == (200 if key in VISIBLE[persona] else 404), (persona, key)


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_agent_list_shows_only_the_viewers_tenant(client, personas, stored, persona):
    agents = client.get("/api/v1/agents", headers=personas[persona].headers).json()["items"]
    seen = {a["external_id"].removeprefix("agent-") for a in agents} & set(stored)
    assert seen == VISIBLE[persona]


def test_filters_cannot_widen_the_scope(client, personas, stored):
    response = client.get("/api/v1/interactions?brand=globex", headers=personas["acme-manager"].headers)
    assert response.json()["items"] == []
    response = client.get("/api/v1/interactions?vendor=pune-cx", headers=personas["acme-manila-lead"].headers)
    assert response.json()["items"] == []
