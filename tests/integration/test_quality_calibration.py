"""Calibration sessions and the fairness report through the API on both databases, with hand-computed
kappa values and disagreement rates."""
from __future__ import annotations

import pytest

from tests.integration.quality_support import create_user, scored_interaction, store
from trustdesk.core.model import Role


@pytest.fixture
def sample(engine, personas):
    """Four interactions: the automatic scorer finds a greeting in the first two and none in the last two."""
    return store(engine, [scored_interaction("greets-1"), scored_interaction("greets-2", day=2),
                          scored_interaction("silent-1", day=3, greets=False),
                          scored_interaction("silent-2", day=4, greets=False)])


def _kappa(session: dict, first: str, second: str, criterion: str) -> float | None:
    pair = next(p for p in session["agreement"] if p["raters"] == [first, second])
    return next(c["kappa"] for c in pair["criteria"] if c["criterion"] == criterion)


def test_calibration_shows_kappa_between_reviewers_and_with_the_machine(client, engine, personas, sample):
    qa, second = personas["acme-qa"], create_user(engine, "acme-qa-2", Role.QA_ANALYST)
    order = ["greets-1", "greets-2", "silent-1", "silent-2"]
    created = client.post("/api/v1/quality/calibrations", headers=qa.headers,
                          json={"brand": "acme", "name": "October", "interaction_ids": [sample[k] for k in order]})
    assert created.status_code == 201, created.text
    session_id = created.json()["id"]
    machine = client.get(f"/api/v1/quality/calibrations/{session_id}", headers=qa.headers).json()
    assert machine["reviewers"] == [] and machine["agreement"] == []
    for key in order:
        greeting = client.get(f"/api/v1/quality/interactions/{sample[key]}", headers=qa.headers).json()
        expected = "pass" if key.startswith("greets") else "fail"
        assert next(c for c in greeting["quality"]["criteria"] if c["id"] == "greeting")["result"] == expected

    # acme-qa agrees with the machine throughout; acme-qa-2 also fails greets-2
    first = {"greets-1": "pass", "greets-2": "pass", "silent-1": "fail", "silent-2": "fail"}
    other = {"greets-1": "pass", "greets-2": "fail", "silent-1": "fail", "silent-2": "fail"}
    for reviewer, ratings in ((qa, first), (second, other)):
        for key, result in ratings.items():
            response = client.put(f"/api/v1/quality/calibrations/{session_id}/ratings", headers=reviewer.headers,
                                  json={"interaction_id": sample[key], "ratings": {"greeting": result, "closing": "pass"}})
            assert response.status_code == 200, response.text
    session = client.get(f"/api/v1/quality/calibrations/{session_id}", headers=qa.headers).json()
    assert session["reviewers"] == ["acme-qa", "acme-qa-2"]
    # reviewers: observed 3/4, chance 0.5*0.25 + 0.5*0.75 = 0.5 -> kappa (0.75-0.5)/(1-0.5) = 0.5
    assert _kappa(session, "acme-qa", "acme-qa-2", "greeting") == pytest.approx(0.5)
    assert _kappa(session, "acme-qa", "automatic", "greeting") == pytest.approx(1.0)
    assert _kappa(session, "acme-qa-2", "automatic", "greeting") == pytest.approx(0.5)
    # both reviewers said "pass" for every closing: chance agreement is 1, so kappa is undefined
    assert _kappa(session, "acme-qa", "acme-qa-2", "closing") is None
    pair = next(p for p in session["agreement"] if p["raters"] == ["acme-qa", "acme-qa-2"])
    assert next(c for c in pair["criteria"] if c["criterion"] == "greeting")["observed_agreement"] == 0.75


def test_ratings_are_validated_and_sessions_need_visible_scored_interactions(client, personas, sample):
    qa = personas["acme-qa"]
    bad_item = client.post("/api/v1/quality/calibrations", headers=qa.headers,
                           json={"brand": "acme", "name": "x", "interaction_ids": [sample["greets-1"], 99999]})
    assert bad_item.status_code == 422 and bad_item.json()["detail"][0]["path"] == "$.interaction_ids[1]"
    session_id = client.post("/api/v1/quality/calibrations", headers=qa.headers, json={
        "brand": "acme", "name": "x", "interaction_ids": [sample["greets-1"]]}).json()["id"]
    unknown = client.put(f"/api/v1/quality/calibrations/{session_id}/ratings", headers=qa.headers,
                         json={"interaction_id": sample["greets-1"], "ratings": {"charisma": "pass"}})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["path"] == "$.ratings.charisma"
    outside = client.put(f"/api/v1/quality/calibrations/{session_id}/ratings", headers=qa.headers,
                         json={"interaction_id": sample["silent-1"], "ratings": {"greeting": "pass"}})
    assert outside.status_code == 422 and outside.json()["detail"][0]["path"] == "$.interaction_id"


def test_fairness_report_counts_human_disagreement_per_vendor_site_and_language(client, engine, personas, sample):
    store(engine, [scored_interaction("pune-1", vendor="pune-cx", agent="agent-p", language="es", day=5)])
    qa = personas["acme-qa"]
    view = client.get(f"/api/v1/quality/interactions/{sample['greets-1']}", headers=qa.headers).json()
    rated = len(view["quality"]["criteria"])
    client.post(f"/api/v1/quality/interactions/{sample['greets-1']}/reviews", headers=qa.headers,
                json={"overrides": [{"criterion": "greeting", "result": "fail", "reason": "greeting was cut off"}]})
    client.post(f"/api/v1/quality/interactions/{sample['greets-2']}/reviews", headers=qa.headers,
                json={"coaching_note": "all correct"})
    report = client.get("/api/v1/quality/fairness?brand=acme", headers=personas["acme-manager"].headers).json()
    manila = next(row for row in report["vendor"] if row["group"] == "manila-bpo")
    # two reviewed interactions rate every criterion; one criterion of them was overturned
    assert manila["interactions"] == 4 and manila["reviewed_criteria"] == 2 * rated
    assert manila["disagreement_rate"] == pytest.approx(1 / (2 * rated))
    pune = next(row for row in report["vendor"] if row["group"] == "pune-cx")
    assert pune["interactions"] == 1 and pune["disagreement_rate"] is None
    assert {row["group"] for row in report["site"]} == {"manila-bpo", "pune-cx"}  # no teams: site falls back to vendor
    assert {row["group"]: row["interactions"] for row in report["language"]} == {"en": 4, "es": 1}
    # the report scores the machine: the overridden greeting still counts as the automatic pass
    automatic_scores = client.get("/api/v1/quality/queue?vendor=manila-bpo&source=automatic", headers=qa.headers).json()
    assert manila["max_score"] >= max(item["qa_score"] for item in automatic_scores["items"])
    vendor_view = client.get("/api/v1/quality/fairness", headers=personas["acme-pune-lead"].headers).json()
    assert [row["group"] for row in vendor_view["vendor"]] == ["pune-cx"]
