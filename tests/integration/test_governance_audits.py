"""Audits: sample size from confidence and margin, strata per vendor and channel, stored seed, findings linked
to sampled interactions, corrective actions through to verification, and tenant isolation."""
from __future__ import annotations

import pytest

from tests.factories import interaction
from trustdesk.core.metrics.sampling import cochran_sample_size

PERIOD = {"period_from": "2026-10-01", "period_to": "2026-10-31"}


@pytest.fixture
def audited_work(client, personas):
    """acme: 60 manila-bpo (40 voice, 20 chat) and 20 pune-cx voice interactions in October; globex: 5."""
    def post(brand, vendor, count, channel, persona, prefix):
        batch = [interaction(external_id=f"{prefix}-{i}", brand=brand, vendor=vendor, channel=channel,
                             agent={"external_id": f"agent-{vendor}"}, survey=None,
                             started_at=f"2026-10-{1 + i % 28:02d}T09:00:00Z", ended_at=f"2026-10-{1 + i % 28:02d}T09:05:00Z")
                 for i in range(count)]
        response = client.post("/api/v1/interactions", json=batch, headers=personas[persona].headers)
        assert response.status_code == 201, response.text

    post("acme", "manila-bpo", 39, "voice", "acme-manager", "mv")  # + the seed interaction of each vendor (voice)
    post("acme", "manila-bpo", 20, "chat", "acme-manager", "mc")
    post("acme", "pune-cx", 19, "voice", "acme-manager", "pv")
    post("globex", "manila-bpo", 5, "voice", "globex-manager", "gv")


def _plan(client, persona, **changes):
    body = {"title": "Q4 conduct audit", **PERIOD, "confidence": 0.95, "margin": 0.1, "seed": 42, **changes}
    return client.post("/api/v1/audits", json=body, headers=persona.headers)


def test_the_sample_size_follows_cochran_and_every_stratum_is_represented(client, personas, audited_work):
    response = _plan(client, personas["acme-manager"])
    assert response.status_code == 201, response.text
    audit = response.json()
    assert audit["population"] == 80 and audit["seed"] == 42
    assert audit["target_size"] == cochran_sample_size(80, confidence=0.95, margin=0.1) == 44
    strata = {(s["vendor"], s["channel"]): (s["population"], s["sample_size"]) for s in audit["strata"]}
    assert strata == {("manila-bpo", "chat"): (20, 11), ("manila-bpo", "voice"): (40, 22), ("pune-cx", "voice"): (20, 11)}
    assert len(audit["sample"]) == 44
    drawn = {(row["vendor"], row["channel"]) for row in audit["sample"]}
    assert drawn == set(strata)
    assert not any(row["external_id"].startswith("gv-") for row in audit["sample"])


def test_a_tighter_margin_needs_a_larger_sample_and_the_seed_redraws_the_same_one(client, personas, audited_work):
    loose = _plan(client, personas["acme-manager"], margin=0.2).json()
    tight = _plan(client, personas["acme-manager"], margin=0.05).json()
    assert loose["target_size"] < tight["target_size"] <= 80
    again = _plan(client, personas["acme-manager"], margin=0.05).json()
    assert [r["interaction_id"] for r in again["sample"]] == [r["interaction_id"] for r in tight["sample"]]
    other_seed = _plan(client, personas["acme-manager"], margin=0.05, seed=7).json()
    assert [r["interaction_id"] for r in other_seed["sample"]] != [r["interaction_id"] for r in tight["sample"]]


def test_a_vendor_audit_samples_only_that_vendor(client, personas, audited_work):
    audit = _plan(client, personas["acme-manager"], vendor="pune-cx").json()
    assert audit["population"] == 20 and {row["vendor"] for row in audit["sample"]} == {"pune-cx"}


@pytest.mark.parametrize("changes, path", [
    ({"confidence": 1.2}, "$.confidence"), ({"margin": 0}, "$.margin"), ({"period_to": "2026-09-01"}, "$.period_to"),
    ({"vendor": "nobody"}, "$.vendor"), ({"title": " "}, "$.title"), ({"period_from": "October"}, "$.period_from"),
])
def test_bad_audit_plans_name_the_field(client, personas, audited_work, changes, path):
    response = _plan(client, personas["acme-manager"], **changes)
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == path
    assert client.get("/api/v1/audits", headers=personas["acme-manager"].headers).json()["items"] == []


def test_findings_and_corrective_actions_through_to_closing_the_audit(client, personas, audited_work):
    auditor, lead = personas["acme-manager"].headers, personas["acme-pune-lead"].headers
    audit = _plan(client, personas["acme-manager"], vendor="pune-cx").json()
    sampled = audit["sample"][0]["interaction_id"]
    outside = client.post(f"/api/v1/audits/{audit['id']}/findings", headers=auditor,
                          json={"interaction_id": sampled + 100_000, "severity": "high", "title": "x"})
    assert outside.status_code == 422 and outside.json()["detail"][0]["path"] == "$.interaction_id"
    bad_severity = client.post(f"/api/v1/audits/{audit['id']}/findings", headers=auditor,
                               json={"interaction_id": sampled, "severity": "catastrophic", "title": "x"})
    assert bad_severity.json()["detail"][0]["path"] == "$.severity"
    finding = client.post(f"/api/v1/audits/{audit['id']}/findings", headers=auditor, json={
        "interaction_id": sampled, "severity": "critical", "title": "Card number read back to the customer"}).json()
    assert finding["interaction"] == audit["sample"][0]["external_id"]
    action = client.post(f"/api/v1/findings/{finding['id']}/corrective-actions", headers=auditor, json={
        "description": "Retrain the team on PCI read-back rules", "owner": "Pune team lead", "due_on": "2099-01-31"})
    assert action.status_code == 201, action.text
    action = action.json()
    assert action["status"] == "open" and action["owner"] == "Pune team lead"
    past = client.post(f"/api/v1/findings/{finding['id']}/corrective-actions", headers=auditor,
                       json={"description": "x", "owner": "y", "due_on": "2000-01-01"})
    assert past.json()["detail"][0]["path"] == "$.due_on"
    detail = client.get(f"/api/v1/audits/{audit['id']}", headers=auditor).json()
    assert detail["follow_up"] == {"actions": 1, "open": 1, "overdue": 0, "verified": 0}
    assert client.patch(f"/api/v1/audits/{audit['id']}", json={"status": "closed"}, headers=auditor).status_code == 409
    # The vendor's supervisor carries the action to done but cannot verify it.
    assert client.patch(f"/api/v1/corrective-actions/{action['id']}", json={"status": "done", "note": "All 12 agents retrained"},
                        headers=lead).json()["status"] == "done"
    assert client.patch(f"/api/v1/corrective-actions/{action['id']}", json={"status": "verified"}, headers=lead).status_code == 403
    assert client.patch(f"/api/v1/corrective-actions/{action['id']}", json={"status": "done"},
                        headers=personas["acme-manila-lead"].headers).status_code == 404
    verified = client.patch(f"/api/v1/corrective-actions/{action['id']}", json={"status": "verified"}, headers=auditor).json()
    assert verified["status"] == "verified" and verified["note"] == "All 12 agents retrained"
    closed = client.patch(f"/api/v1/audits/{audit['id']}", json={"status": "closed"}, headers=auditor)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["follow_up"] == {"actions": 1, "open": 0, "overdue": 0, "verified": 1}
    assert client.post(f"/api/v1/audits/{audit['id']}/findings", headers=auditor,
                       json={"severity": "low", "title": "late"}).status_code == 409


def test_audits_are_isolated_by_brand_and_vendor(client, personas, audited_work):
    all_vendors = _plan(client, personas["acme-manager"]).json()
    pune = _plan(client, personas["acme-manager"], vendor="pune-cx").json()
    finding = client.post(f"/api/v1/audits/{pune['id']}/findings", headers=personas["acme-manager"].headers,
                          json={"severity": "low", "title": "Greeting script outdated"}).json()
    visible = {
        "root": {all_vendors["id"], pune["id"]},
        "acme-manager": {all_vendors["id"], pune["id"]},
        "acme-pune-lead": {pune["id"]},
        "acme-manila-lead": set(),
        "globex-manager": set(),
    }
    for persona, ids in visible.items():
        listed = {a["id"] for a in client.get("/api/v1/audits", headers=personas[persona].headers).json()["items"]}
        assert listed == ids, persona
        for audit_id in (all_vendors["id"], pune["id"]):
            status = client.get(f"/api/v1/audits/{audit_id}", headers=personas[persona].headers).status_code
            assert status == (200 if audit_id in ids else 404), (persona, audit_id)
    assert client.post(f"/api/v1/findings/{finding['id']}/corrective-actions", headers=personas["globex-manager"].headers,
                       json={"description": "x", "owner": "y", "due_on": "2099-01-01"}).status_code == 404
    assert _plan(client, personas["acme-pune-lead"]).status_code == 403
    assert _plan(client, personas["acme-qa"]).status_code == 403
    assert _plan(client, personas["globex-manager"], brand="acme").status_code == 404
