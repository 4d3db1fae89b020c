"""Privileged and score-changing writes land in the hash-chained audit trail, through the API, on both databases.

Each test makes writes of one area through the API, then finds each write's entry (actor, event type, resource,
the client's address as origin) and checks that the whole chain still verifies.
"""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests.factories import interaction
from tests.integration.quality_support import create_agent_user, create_user, scored_interaction, store
from trustdesk.core.model import Role
from trustdesk.services import directory
from trustdesk.storage import tables as t
from trustdesk.storage.audit_tables import audit_entries

TESTCLIENT_ORIGIN = "testclient"  # the client address Starlette's TestClient reports


def _entries(engine, event_type: str) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(audit_entries).where(audit_entries.c.event_type == event_type)
                                  .order_by(audit_entries.c.entry_id)).mappings().all()
    return [dict(row) for row in rows]


def _audited(engine, event_type: str, *, actor: str, resource_starts: str, reason_has: str = "") -> dict:
    found = [e for e in _entries(engine, event_type)
             if e["user"] == actor and e["resource"].startswith(resource_starts) and reason_has in (e["reason"] or "")]
    assert found, f"no {event_type} entry by {actor} on {resource_starts}*: {_entries(engine, event_type)}"
    assert found[-1]["origin"] == TESTCLIENT_ORIGIN and found[-1]["success"] is True
    return found[-1]


def _chain_verifies(client, personas) -> None:
    report = client.get("/api/v1/audit/verify", headers=personas["root"].headers)
    assert report.status_code == 200 and report.json()["intact"] is True, report.text


def test_qa_overrides_coaching_disputes_and_calibration_are_audited(client, engine, personas):
    scored = store(engine, [scored_interaction("call-a"), scored_interaction("call-b", agent="agent-8")])
    qa, lead = personas["acme-qa"], create_user(engine, "acme-lead", Role.SUPERVISOR)
    agent = create_agent_user(engine, "agent-7-user", "agent-7")
    review = client.post(f"/api/v1/quality/interactions/{scored['call-a']}/reviews", headers=qa.headers, json={
        "overrides": [{"criterion": "greeting", "result": "fail", "reason": "no greeting by name"}],
        "coaching_note": "Greet the customer by name."})
    assert review.status_code == 201, review.text
    entry = _audited(engine, "qa_review", actor="acme-qa", resource_starts=f"interaction:{scored['call-a']}/review:",
                     reason_has="greeting pass->fail")
    assert "coaching note added" in entry["reason"] and "no greeting by name" not in entry["reason"]
    coached = client.post(f"/api/v1/quality/interactions/{scored['call-b']}/reviews", headers=qa.headers,
                          json={"coaching_note": "Summarize before closing."})
    assert coached.status_code == 201, coached.text
    _audited(engine, "qa_review", actor="acme-qa", resource_starts=f"interaction:{scored['call-b']}/review:",
             reason_has="coaching note added")
    graded = client.post(f"/api/v1/quality/reviews/{review.json()['id']}/grades", headers=lead.headers,
                         json={"agrees": True})
    assert graded.status_code == 201, graded.text
    _audited(engine, "qa_review", actor="acme-lead", resource_starts=f"interaction:{scored['call-a']}/review:",
             reason_has="review graded")

    dispute = client.post(f"/api/v1/quality/interactions/{scored['call-a']}/disputes", headers=agent.headers,
                          json={"reason": "I did greet the customer by name."})
    assert dispute.status_code == 201, dispute.text
    _audited(engine, "qa_dispute", actor="agent-7-user", resource_starts=f"interaction:{scored['call-a']}/dispute:",
             reason_has="raised")
    decided = client.post(f"/api/v1/quality/disputes/{dispute.json()['id']}/decision", headers=lead.headers, json={
        "outcome": "upheld", "note": "Greeting was there.",
        "overrides": [{"criterion": "greeting", "result": "pass", "reason": "greeting in turn 1"}]})
    assert decided.status_code == 200, decided.text
    _audited(engine, "qa_dispute", actor="acme-lead", resource_starts=f"interaction:{scored['call-a']}/dispute:",
             reason_has="upheld")
    _audited(engine, "qa_review", actor="acme-lead", resource_starts=f"interaction:{scored['call-a']}/review:",
             reason_has="greeting fail->pass")  # the correction the upheld dispute made

    session = client.post("/api/v1/quality/calibrations", headers=qa.headers, json={
        "brand": "acme", "name": "October", "interaction_ids": [scored["call-a"], scored["call-b"]]})
    assert session.status_code == 201, session.text
    _audited(engine, "calibration_change", actor="acme-qa", resource_starts=f"calibration:{session.json()['id']}",
             reason_has="2 interaction(s)")
    rated = client.put(f"/api/v1/quality/calibrations/{session.json()['id']}/ratings", headers=qa.headers,
                       json={"interaction_id": scored["call-a"], "ratings": {"greeting": "pass"}})
    assert rated.status_code == 200, rated.text
    _audited(engine, "calibration_change", actor="acme-qa",
             resource_starts=f"calibration:{session.json()['id']}/interaction:{scored['call-a']}")
    _chain_verifies(client, personas)


def _registration(today: date) -> dict:
    return {
        "legal_name": "Manila Contact Solutions Inc.", "countries": ["PH"],
        "sites": [{"name": "makati", "city": "Makati", "country": "PH", "time_zone": "Asia/Manila"}],
        "contract_start": (today - timedelta(days=400)).isoformat(), "contract_end": (today + timedelta(days=700)).isoformat(),
        "certifications": [{"name": "ISO 27001", "expires_on": (today + timedelta(days=240)).isoformat()}],
        "agreements": [{"kind": "data_processing", "signed_on": (today - timedelta(days=400)).isoformat()}],
        "sla_targets": [{"priority": "normal", "first_response_minutes": 60, "resolution_minutes": 4320}],
    }


def test_vendor_governance_complaint_and_follow_up_writes_are_audited(client, engine, personas):
    manager, auditor_actor = personas["acme-manager"], "acme-manager"
    today = date.today()
    assert client.put("/api/v1/vendor-registry/manila-bpo", json=_registration(today),
                      headers=manager.headers).status_code == 200
    _audited(engine, "vendor_governance", actor="acme-manager", resource_starts="vendor_registration:",
             reason_has="1 certification(s)")
    checked = client.patch("/api/v1/vendor-registry/manila-bpo/checklist/dpa_signed",
                           json={"status": "done", "evidence": "DPA signed 2025-09-01"}, headers=manager.headers)
    assert checked.status_code == 200, checked.text
    _audited(engine, "vendor_governance", actor="acme-manager", resource_starts="vendor_registration:",
             reason_has="marked done")

    batch = [interaction(external_id=f"gv-{i}", vendor="manila-bpo", agent={"external_id": "agent-gv"}, survey=None,
                         started_at=f"2026-10-{1 + i:02d}T09:00:00Z", ended_at=f"2026-10-{1 + i:02d}T09:05:00Z")
             for i in range(6)]
    assert client.post("/api/v1/interactions", json=batch, headers=manager.headers).status_code == 201
    audit = client.post("/api/v1/audits", headers=manager.headers, json={
        "title": "Q4 conduct audit", "period_from": "2026-10-01", "period_to": "2026-10-31", "confidence": 0.95,
        "margin": 0.1, "seed": 42})
    assert audit.status_code == 201, audit.text
    audit_id = audit.json()["id"]
    _audited(engine, "vendor_governance", actor=auditor_actor, resource_starts=f"vendor_audit:{audit_id}",
             reason_has="audit planned")
    finding = client.post(f"/api/v1/audits/{audit_id}/findings", headers=manager.headers,
                          json={"severity": "high", "title": "Card number read back in full"})
    assert finding.status_code == 201, finding.text
    _audited(engine, "vendor_governance", actor=auditor_actor,
             resource_starts=f"vendor_audit:{audit_id}/finding:{finding.json()['id']}", reason_has="high finding")
    action = client.post(f"/api/v1/findings/{finding.json()['id']}/corrective-actions", headers=manager.headers, json={
        "description": "Retrain on PCI read-back", "owner": "manila team lead",
        "due_on": (today + timedelta(days=14)).isoformat()})
    assert action.status_code == 201, action.text
    action_id = action.json()["id"]
    assert client.patch(f"/api/v1/corrective-actions/{action_id}", json={"status": "verified", "note": "checked"},
                        headers=manager.headers).status_code == 200
    _audited(engine, "vendor_governance", actor=auditor_actor, resource_starts=f"vendor_audit:{audit_id}/finding:",
             reason_has="marked verified")
    assert client.patch(f"/api/v1/audits/{audit_id}", json={"status": "closed"}, headers=manager.headers).status_code == 200
    _audited(engine, "vendor_governance", actor=auditor_actor, resource_starts=f"vendor_audit:{audit_id}",
             reason_has="audit closed")

    complaint = client.post("/api/v1/complaints", headers=manager.headers, json={
        "vendor": "manila-bpo", "channel": "email", "category": "billing", "summary": "Charged twice."})
    assert complaint.status_code == 201, complaint.text
    complaint_id = complaint.json()["id"]
    _audited(engine, "complaint_change", actor="acme-manager", resource_starts=f"complaint:{complaint_id}",
             reason_has="recorded")
    assert client.patch(f"/api/v1/complaints/{complaint_id}", json={"status": "investigating"},
                        headers=manager.headers).status_code == 200
    entry = _audited(engine, "complaint_change", actor="acme-manager", resource_starts=f"complaint:{complaint_id}",
                     reason_has="open -> investigating")
    assert "Charged twice" not in (entry["reason"] or "")  # free text stays out of the permanent log
    [task] = client.get("/api/v1/follow-ups", headers=personas["acme-manila-lead"].headers).json()["items"]
    done = client.patch(f"/api/v1/follow-ups/{task['id']}", json={"status": "done", "note": "Called back, refunded"},
                        headers=personas["acme-manila-lead"].headers)
    assert done.status_code == 200, done.text
    _audited(engine, "follow_up_change", actor="acme-manila-lead", resource_starts=f"follow_up:{task['id']}",
             reason_has="open -> done")
    _chain_verifies(client, personas)


def test_customer_merges_case_status_and_escalations_are_audited(client, engine, personas):
    manager = personas["acme-manager"]
    for n in (1, 2):
        body = interaction(external_id=f"dup-{n}", customer={"external_id": f"cust-dup-{n}"},
                           case={"external_id": f"case-dup-{n}", "purpose": "billing", "status": "open"})
        assert client.post("/api/v1/interactions", json=body, headers=manager.headers).status_code == 201
    merge = client.post("/api/v1/brands/acme/customers/merges", headers=manager.headers,
                        json={"keep": "cust-dup-1", "merged": "cust-dup-2", "reason": "same phone and email"})
    assert merge.status_code == 201, merge.text
    merged = _audited(engine, "customer_merge", actor="acme-manager",
                      resource_starts=f"customer_merge:acme/{merge.json()['id']}", reason_has="merged into cust-dup-1")
    assert merged["customer"] == "acme/cust-dup-1"
    unmerge = client.post(f"/api/v1/brands/acme/customers/merges/{merge.json()['id']}/unmerge", headers=manager.headers,
                          json={"reason": "different people after all"})
    assert unmerge.status_code == 200, unmerge.text
    _audited(engine, "customer_merge", actor="acme-manager", resource_starts=f"customer_merge:acme/{merge.json()['id']}",
             reason_has="undone")

    lead = personas["acme-manila-lead"]
    status = client.post("/api/v1/brands/acme/cases/case-dup-1/status", headers=lead.headers,
                         json={"status": "pending", "reason": "waiting on the customer's bank statement"})
    assert status.status_code == 200, status.text
    entry = _audited(engine, "case_change", actor="acme-manila-lead", resource_starts="case:acme/case-dup-1",
                     reason_has="status set to pending")
    assert entry["case_ref"] == "acme/case-dup-1"
    escalated = client.post("/api/v1/brands/acme/cases/case-dup-1/escalations", headers=lead.headers,
                            json={"level": "supervisor", "reason": "customer asked for a supervisor"})
    assert escalated.status_code == 201, escalated.text
    _audited(engine, "case_change", actor="acme-manila-lead", resource_starts="case:acme/case-dup-1",
             reason_has="escalated to supervisor on manual")
    _chain_verifies(client, personas)


def test_a_refused_write_leaves_no_audit_entry(client, engine, personas):
    merge = client.post("/api/v1/brands/acme/customers/merges", headers=personas["acme-manager"].headers,
                        json={"keep": "nobody-1", "merged": "nobody-2", "reason": "same person"})
    assert merge.status_code == 422
    assert _entries(engine, "customer_merge") == []


def test_sla_contract_and_internal_target_edits_are_audited_once_per_change(client, engine, personas):
    manager = personas["acme-manager"]
    body = interaction(external_id="team-1", agent={"external_id": "agent-pune"})
    assert client.post("/api/v1/interactions", json=body, headers=manager.headers).status_code == 201
    contract = "/api/v1/brands/acme/sla/contracts/pune-cx/high"
    terms = {"first_response_minutes": 30, "next_response_minutes": 60, "resolution_minutes": 480}
    for change in (terms, terms, {**terms, "resolution_minutes": 240, "opens": "09:00", "closes": "18:00"}):
        assert client.put(contract, headers=manager.headers, json=change).status_code == 200
    edits = [e for e in _entries(engine, "case_change") if e["resource"] == "sla_contract:acme/pune-cx/high"]
    assert [e["reason"] for e in edits] == [
        "contract created: first response 30 min, next response 60 min, resolution 480 min, 24/7",
        "contract changed from first response 30 min, next response 60 min, resolution 480 min, 24/7 to "
        "first response 30 min, next response 60 min, resolution 240 min, 09:00-18:00",
    ]
    assert {(e["user"], e["origin"]) for e in edits} == {("acme-manager", TESTCLIENT_ORIGIN)}

    with engine.begin() as connection:
        acme = connection.execute(sa.select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
        pune = connection.execute(sa.select(t.vendors.c.id).where(t.vendors.c.key == "pune-cx")).scalar_one()
        for team in ("care", "billing"):
            directory.save_team(connection, brand_id=acme, vendor_id=pune, key=team, name=team)
    target = "/api/v1/brands/acme/sla/olas/care/billing/normal"
    for minutes in (120, 120, 90):
        assert client.put(target, headers=manager.headers, json={"target_minutes": minutes}).status_code == 200
    refused = client.put(target, headers=personas["acme-manila-lead"].headers, json={"target_minutes": 5})
    assert refused.status_code == 403
    edits = [e for e in _entries(engine, "case_change") if e["resource"] == "ola_target:acme/care/billing/normal"]
    assert [(e["user"], e["reason"]) for e in edits] == [("acme-manager", "target 120 min"),
                                                          ("acme-manager", "target 120 -> 90 min")]
    _chain_verifies(client, personas)
