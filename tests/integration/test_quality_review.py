"""Human review through the API on both databases: overrides with reasons, coaching the agent sees,
disputes with a 7-day deadline, grade-the-grader and sampled assignments."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.factories import NOW
from tests.integration.quality_support import create_agent_user, create_user, scored_interaction, store
from trustdesk.core.model import Role
from trustdesk.web.api import quality as quality_api


@pytest.fixture
def scored(engine, personas):
    return store(engine, [scored_interaction("call-a"), scored_interaction("call-b", agent="agent-8")])


def _criterion(body: dict, criterion_id: str) -> dict:
    return next(c for c in body["quality"]["criteria"] if c["id"] == criterion_id)


def test_override_makes_the_result_human_and_the_agent_sees_who_and_why(client, engine, personas, scored):
    qa = personas["acme-qa"]
    before = client.get(f"/api/v1/quality/interactions/{scored['call-a']}", headers=qa.headers).json()
    assert before["quality"]["source"] == "automatic" and _criterion(before, "empathy")["result"] == "pass"
    response = client.post(f"/api/v1/quality/interactions/{scored['call-a']}/reviews", headers=qa.headers, json={
        "overrides": [{"criterion": "empathy", "result": "fail", "reason": "apology was scripted, no acknowledgement"}],
        "coaching_note": "Acknowledge the double charge before fixing it."})
    assert response.status_code == 201, response.text
    review = response.json()
    assert review["score"] < review["score_before"] and review["source"] == "human"

    agent = create_agent_user(engine, "agent-7-user", "agent-7")
    seen = client.get(f"/api/v1/quality/interactions/{scored['call-a']}", headers=agent.headers).json()
    empathy = _criterion(seen, "empathy")
    assert seen["quality"]["source"] == "human" and seen["quality"]["score"] == review["score"]
    assert empathy["result"] == "fail" and empathy["points"] == 0
    assert empathy["source"] == "human" and empathy["reviewed_by"] == "acme-qa"
    assert empathy["automatic"]["result"] == "pass"
    assert empathy["override_reason"] == "apology was scripted, no acknowledgement"
    assert [(r["reviewer"], r["coaching_note"]) for r in seen["reviews"]] == [
        ("acme-qa", "Acknowledge the double charge before fixing it.")]
    # the agent sees only their own interactions
    assert client.get(f"/api/v1/quality/interactions/{scored['call-b']}", headers=agent.headers).status_code == 404


def test_bad_overrides_name_the_field_and_store_nothing(client, personas, scored):
    qa = personas["acme-qa"]
    url = f"/api/v1/quality/interactions/{scored['call-a']}/reviews"
    unknown = client.post(url, headers=qa.headers, json={"overrides": [
        {"criterion": "greeting", "result": "pass", "reason": "fine"},
        {"criterion": "charisma", "result": "fail", "reason": "x"}]})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["path"] == "$.overrides[1].criterion"
    blank = client.post(url, headers=qa.headers, json={"overrides": [{"criterion": "greeting", "result": "fail", "reason": "  "}]})
    assert blank.status_code == 422 and blank.json()["detail"][0]["path"] == "$.overrides[0].reason"
    empty = client.post(url, headers=qa.headers, json={})
    assert empty.status_code == 422 and empty.json()["detail"][0]["path"] == "$.overrides"
    after = client.get(f"/api/v1/quality/interactions/{scored['call-a']}", headers=qa.headers).json()
    assert after["quality"]["source"] == "automatic" and after["reviews"] == []


def test_only_reviewer_roles_review(client, engine, personas, scored):
    agent = create_agent_user(engine, "agent-7-user", "agent-7")
    response = client.post(f"/api/v1/quality/interactions/{scored['call-a']}/reviews", headers=agent.headers,
                           json={"coaching_note": "I am great"})
    assert response.status_code == 403


def test_dispute_lifecycle_with_deadline_and_decision(client, engine, personas, scored, monkeypatch):
    agent = create_agent_user(engine, "agent-7-user", "agent-7")
    qa = personas["acme-qa"]
    monkeypatch.setattr(quality_api, "_now", lambda: NOW)
    raised = client.post(f"/api/v1/quality/interactions/{scored['call-a']}/disputes", headers=agent.headers,
                         json={"reason": "I did greet the customer by name."})
    assert raised.status_code == 201, raised.text
    dispute = raised.json()
    assert dispute["status"] == "open" and dispute["raised_by"] == "agent-7-user"
    assert datetime.fromisoformat(dispute["due_at"]) - datetime.fromisoformat(dispute["raised_at"]) == timedelta(days=7)
    assert not dispute["overdue"]
    again = client.post(f"/api/v1/quality/interactions/{scored['call-a']}/disputes", headers=agent.headers,
                        json={"reason": "again"})
    assert again.status_code == 409
    others = client.post(f"/api/v1/quality/interactions/{scored['call-b']}/disputes", headers=agent.headers,
                         json={"reason": "not mine"})
    assert others.status_code == 404
    assert client.post(f"/api/v1/quality/interactions/{scored['call-a']}/disputes", headers=qa.headers,
                       json={"reason": "x"}).status_code == 403

    monkeypatch.setattr(quality_api, "_now", lambda: NOW + timedelta(days=8))
    [late] = client.get("/api/v1/quality/disputes?status=open", headers=qa.headers).json()["items"]
    assert late["id"] == dispute["id"] and late["overdue"] is True

    assert client.post(f"/api/v1/quality/disputes/{dispute['id']}/decision", headers=agent.headers,
                       json={"outcome": "upheld", "note": "self-approved"}).status_code == 403
    decided = client.post(f"/api/v1/quality/disputes/{dispute['id']}/decision", headers=qa.headers, json={
        "outcome": "upheld", "note": "Greeting was there; corrected.",
        "overrides": [{"criterion": "closing", "result": "pass", "reason": "closing given in turn 2"}]})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "upheld" and decided.json()["decided_by"] == "acme-qa"
    assert decided.json()["overdue"] is False
    assert client.post(f"/api/v1/quality/disputes/{dispute['id']}/decision", headers=qa.headers,
                       json={"outcome": "rejected", "note": "changed my mind"}).status_code == 409
    record = client.get(f"/api/v1/quality/interactions/{scored['call-a']}", headers=agent.headers).json()
    assert record["disputes"][0]["decision_note"] == "Greeting was there; corrected."
    assert _criterion(record, "closing")["result"] == "pass" and record["reviews"][0]["reviewer"] == "acme-qa"


def test_a_lead_grades_a_reviewers_review_but_not_their_own(client, engine, personas, scored):
    qa, lead = personas["acme-qa"], personas["acme-manager"]
    review = client.post(f"/api/v1/quality/interactions/{scored['call-a']}/reviews", headers=qa.headers,
                         json={"coaching_note": "Good call."}).json()
    assert client.post(f"/api/v1/quality/reviews/{review['id']}/grades", headers=qa.headers,
                       json={"agrees": True}).status_code == 403  # qa analysts are not leads
    graded = client.post(f"/api/v1/quality/reviews/{review['id']}/grades", headers=lead.headers,
                         json={"agrees": False, "note": "missed the empathy gap"})
    assert graded.status_code == 201
    own = client.post(f"/api/v1/quality/interactions/{scored['call-b']}/reviews", headers=lead.headers,
                      json={"coaching_note": "ok"}).json()
    assert client.post(f"/api/v1/quality/reviews/{own['id']}/grades", headers=lead.headers,
                       json={"agrees": True}).status_code == 409
    view = client.get(f"/api/v1/quality/interactions/{scored['call-a']}", headers=qa.headers).json()
    assert view["reviews"][0]["grades"][0]["grader"] == "acme-manager"
    assert client.get("/api/v1/quality/reviewers", headers=lead.headers).json()["items"] == [
        {"reviewer": "acme-qa", "grades": 1, "agreement": 0.0}]


def test_assignments_give_every_agent_the_same_number_spread_over_reviewers(client, engine, personas):
    counts = {"agent-1": 5, "agent-2": 3, "agent-3": 4}
    store(engine, [scored_interaction(f"{agent}-{n}", agent=agent, day=1 + n)
                   for agent, total in counts.items() for n in range(total)])
    second_qa = create_user(engine, "acme-qa-2", Role.QA_ANALYST)
    body = {"brand": "acme", "period_start": "2026-10-01", "period_end": "2026-10-31", "per_agent": 2,
            "reviewers": ["acme-qa", "acme-qa-2"], "seed": 7}
    created = client.post("/api/v1/quality/assignments", headers=personas["acme-manager"].headers, json=body)
    assert created.status_code == 201, created.text
    # the personas' seed interactions have no consent to analytics, so they are not scored nor sampled
    assert created.json() | {"seed": 7} == {"period": "2026-10-01..2026-10-31", "per_agent": 2, "agents": 3,
                                            "assignments": 6, "seed": 7}
    items = client.get("/api/v1/quality/assignments", headers=personas["acme-manager"].headers).json()["items"]
    per_agent: dict[str, int] = {}
    for item in items:
        per_agent[item["agent"]] = per_agent.get(item["agent"], 0) + 1
    assert len(set(per_agent.values())) == 1  # the same number for every agent
    reviewers = [item["reviewer"] for item in items]
    assert abs(reviewers.count("acme-qa") - reviewers.count("acme-qa-2")) <= 1
    mine = client.get("/api/v1/quality/assignments?mine=true", headers=second_qa.headers).json()["items"]
    assert {i["reviewer"] for i in mine} == {"acme-qa-2"}
    assert client.post("/api/v1/quality/assignments", headers=personas["acme-manager"].headers,
                       json=body).status_code == 409
    bad = client.post("/api/v1/quality/assignments", headers=personas["acme-manager"].headers,
                      json={**body, "period_start": "2026-10-02", "reviewers": ["acme-qa", "globex-manager"]})
    assert bad.status_code == 422 and bad.json()["detail"][0]["path"] == "$.reviewers[1]"
