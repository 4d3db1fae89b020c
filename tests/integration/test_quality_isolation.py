"""Tenant isolation of every QA read endpoint: another brand, another vendor and another agent see nothing
of acme/manila-bpo's reviews, disputes, assignments, calibration sessions, scorecards or fairness figures."""
from __future__ import annotations

import pytest

from tests.integration.quality_support import create_agent_user, scored_interaction, store


@pytest.fixture
def activity(client, engine, personas):
    """A reviewed, disputed, assigned and calibrated manila-bpo interaction of acme, and a scorecard."""
    ids = store(engine, [scored_interaction("call-a"), scored_interaction("call-b", agent="agent-8")])
    qa, manager = personas["acme-qa"], personas["acme-manager"]
    agent = create_agent_user(engine, "agent-7-user", "agent-7")
    review = client.post(f"/api/v1/quality/interactions/{ids['call-a']}/reviews", headers=qa.headers,
                         json={"coaching_note": "Well handled."}).json()
    client.post(f"/api/v1/quality/reviews/{review['id']}/grades", headers=manager.headers, json={"agrees": True})
    dispute = client.post(f"/api/v1/quality/interactions/{ids['call-a']}/disputes", headers=agent.headers,
                          json={"reason": "please recheck"}).json()
    client.post("/api/v1/quality/assignments", headers=manager.headers, json={
        "brand": "acme", "period_start": "2026-10-01", "period_end": "2026-10-31", "per_agent": 1,
        "reviewers": ["acme-qa"], "seed": 1})
    session = client.post("/api/v1/quality/calibrations", headers=qa.headers,
                          json={"brand": "acme", "name": "Oct", "interaction_ids": [ids["call-a"]]}).json()
    client.post("/api/v1/brands/acme/scorecards", headers=manager.headers,
                json={"yaml": "id: acme\nsections:\n  - id: s\n    criteria:\n      - id: greeting\n"})
    return {"ids": ids, "dispute": dispute["id"], "session": session["id"], "agent": agent}


def test_the_owning_brand_sees_everything(client, personas, activity):
    headers = personas["acme-manager"].headers
    assert client.get("/api/v1/quality/queue", headers=headers).json()["total"] == 2
    assert len(client.get(f"/api/v1/quality/interactions/{activity['ids']['call-a']}", headers=headers).json()["reviews"]) == 1
    assert len(client.get("/api/v1/quality/disputes", headers=headers).json()["items"]) == 1
    assert len(client.get("/api/v1/quality/assignments", headers=headers).json()["items"]) == 2
    assert len(client.get("/api/v1/quality/calibrations", headers=headers).json()["items"]) == 1
    assert client.get(f"/api/v1/quality/calibrations/{activity['session']}", headers=headers).status_code == 200
    assert len(client.get("/api/v1/quality/reviewers", headers=headers).json()["items"]) == 1
    assert len(client.get("/api/v1/brands/acme/scorecards", headers=headers).json()["items"]) == 1
    assert client.get("/api/v1/quality/fairness", headers=headers).json()["vendor"][0]["interactions"] == 2


@pytest.mark.parametrize("outsider", ["globex-manager", "acme-pune-lead"])
def test_other_brands_and_vendors_see_nothing(client, personas, activity, outsider):
    headers = personas[outsider].headers
    call_a = activity["ids"]["call-a"]
    assert client.get("/api/v1/quality/queue", headers=headers).json()["items"] == []
    assert client.get(f"/api/v1/quality/interactions/{call_a}", headers=headers).status_code == 404
    assert client.get("/api/v1/quality/disputes", headers=headers).json()["items"] == []
    assert client.get("/api/v1/quality/assignments", headers=headers).json()["items"] == []
    assert client.get("/api/v1/quality/reviewers", headers=headers).json()["items"] == []
    assert client.get("/api/v1/quality/fairness", headers=headers).json() == {"vendor": [], "site": [], "language": []}
    assert client.post(f"/api/v1/quality/interactions/{call_a}/reviews", headers=headers,
                       json={"coaching_note": "snooping"}).status_code == 404
    assert client.post(f"/api/v1/quality/disputes/{activity['dispute']}/decision", headers=headers,
                       json={"outcome": "rejected", "note": "no"}).status_code == 404
    if outsider == "globex-manager":
        assert client.get("/api/v1/quality/calibrations", headers=headers).json()["items"] == []
        assert client.get(f"/api/v1/quality/calibrations/{activity['session']}", headers=headers).status_code == 404
        assert client.get("/api/v1/brands/acme/scorecards", headers=headers).status_code == 404
        assert client.get("/api/v1/quality/fairness?brand=acme", headers=headers).status_code == 404
    else:
        # same brand, other vendor: the session exists for the brand, but none of its items are visible
        session = client.get(f"/api/v1/quality/calibrations/{activity['session']}", headers=headers).json()
        assert session["items"] == [] and session["agreement"] == []


def test_an_agent_sees_only_their_own_scores_and_disputes(client, engine, personas, activity):
    other = create_agent_user(engine, "agent-8-user", "agent-8")
    assert client.get("/api/v1/quality/disputes", headers=other.headers).json()["items"] == []
    assert [i["external_id"] for i in client.get("/api/v1/quality/queue", headers=other.headers).json()["items"]] == ["call-b"]
    assert client.get(f"/api/v1/quality/interactions/{activity['ids']['call-a']}", headers=other.headers).status_code == 404
    own = client.get(f"/api/v1/quality/interactions/{activity['ids']['call-a']}", headers=activity["agent"].headers).json()
    assert own["reviews"][0]["reviewer"] == "acme-qa" and own["reviews"][0]["grades"][0]["grader"] == "acme-manager"
    for path in ("/api/v1/quality/assignments", "/api/v1/quality/calibrations", "/api/v1/quality/reviewers",
                 "/api/v1/quality/fairness"):
        assert client.get(path, headers=other.headers).status_code == 403
