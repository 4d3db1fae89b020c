"""Hand-off packets, SLA clocks (DST and holidays through the service), escalations and customer merges."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.factories import interaction
from trustdesk.storage import tables as t

FIRST = [
    {"speaker": "agent", "text": "Thank you for calling Acme, this call may be recorded.", "offset_seconds": 0.0},
    {"speaker": "customer", "text": "I was charged twice for my October bill. Can you fix it?", "offset_seconds": 5.0},
    {"speaker": "agent", "text": "To verify your identity, please confirm your date of birth.", "offset_seconds": 12.0},
    {"speaker": "customer", "text": "It is 12 March 1980.", "offset_seconds": 18.0},
    {"speaker": "agent", "text": "I have checked the account and I will transfer you to billing. "
                                 "You will receive a refund within 3 business days.", "offset_seconds": 30.0},
]
SECOND = [
    {"speaker": "agent", "text": "Hello, I've read the notes on your case, let's continue.", "offset_seconds": 0.0},
    {"speaker": "customer", "text": "Thanks.", "offset_seconds": 4.0},
]


def post(client, persona, **changes):
    response = client.post("/api/v1/interactions", json=interaction(**changes), headers=persona.headers)
    assert response.status_code in (200, 201), response.text
    return response


def two_agent_case(client, personas, *, case_id="case-h", customer="cust-9", status="open", priority="normal",
                   first_start="2026-10-01T09:00:00Z", second_start="2026-10-01T10:00:00Z"):
    manager = personas["acme-manager"]
    case = {"external_id": case_id, "purpose": "billing", "priority": priority, "status": status}
    post(client, manager, external_id=f"{case_id}-1", agent={"external_id": "agent-a"}, vendor="manila-bpo", case=case,
         turns=FIRST, started_at=first_start, ended_at=first_start.replace(":00:00Z", ":05:00Z"),
         customer={"external_id": customer, "country": "US"})
    post(client, manager, external_id=f"{case_id}-2", agent={"external_id": "agent-b"}, vendor="pune-cx", case=case,
         turns=SECOND, started_at=second_start, ended_at=second_start.replace(":00:00Z", ":05:00Z"),
         customer={"external_id": customer, "country": "US"})


def test_handoff_packet_quotes_the_redacted_history_with_turns(client, personas):
    two_agent_case(client, personas)
    response = client.get("/api/v1/brands/acme/cases/case-h/handoff", headers=personas["acme-manager"].headers)
    assert response.status_code == 200
    [packet] = response.json()["handoffs"]
    assert (packet["from_agent"], packet["to_agent"]) == ("agent-a", "agent-b")
    assert (packet["from_vendor"], packet["to_vendor"]) == ("manila-bpo", "pune-cx")
    assert packet["issue"][0] == {"text": "I was charged twice for my October bill.", "turn": 1,
                                  "interaction": "case-h-1", "interaction_turn": 1}
    assert packet["promised"][-1]["due"] == "within 3 business days"
    assert "DATE_OF_BIRTH" in packet["identity_checks"][0]["data_kinds"]
    assert "DATE_OF_BIRTH" in packet["data_given"]  # the customer's answer was redacted before storage
    assert all("1980" not in item["text"] for kind in ("issue", "tried", "promised") for item in packet[kind])


def test_handoff_packets_follow_visibility(client, personas):
    two_agent_case(client, personas)
    # the receiving vendor sees the packet built from the whole history; the sending vendor has no hand-off to it
    pune = client.get("/api/v1/brands/acme/cases/case-h/handoff", headers=personas["acme-pune-lead"].headers).json()
    manila = client.get("/api/v1/brands/acme/cases/case-h/handoff", headers=personas["acme-manila-lead"].headers).json()
    assert len(pune["handoffs"]) == 1 and manila["handoffs"] == []
    for path in ("handoff", "sla"):
        assert client.get(f"/api/v1/brands/acme/cases/case-h/{path}",
                          headers=personas["globex-manager"].headers).status_code == 404
        assert client.get(f"/api/v1/brands/globex/cases/case-h/{path}",
                          headers=personas["globex-manager"].headers).status_code == 404


def set_contract(client, personas, vendor="pune-cx", **hours):
    body = {"first_response_minutes": 60, "next_response_minutes": 60, "resolution_minutes": 8 * 60, **hours}
    response = client.put(f"/api/v1/brands/acme/sla/contracts/{vendor}/normal", json=body,
                          headers=personas["acme-manager"].headers)
    assert response.status_code == 200, response.text


def clock(body, name):
    return next(item for item in body["clocks"] if item["clock"] == name)


def test_resolution_clock_skips_a_holiday_and_counts_business_hours_across_dst(client, personas, engine):
    # The handling site is the receiving agent's time zone and country. Case opened Friday 2026-10-30 16:00 New York (20:00Z); US business hours Mon-Fri 09:00-17:00.
    two_agent_case(client, personas, first_start="2026-10-30T20:00:00Z", second_start="2026-10-30T20:30:00Z")
    with engine.begin() as connection:
        connection.execute(t.agents.update().where(t.agents.c.external_id == "agent-b")
                           .values(time_zone="America/New_York", country="US"))
    set_contract(client, personas, opens="09:00", closes="17:00")
    # DST ends Sunday 2026-11-01; Wednesday 2026-11-11 is Veterans Day (a US federal holiday).
    # Business hours up to Thursday 2026-11-12 10:00 New York (15:00Z): Friday 16-17 EDT 1h, Nov 2-6 and 9-10
    # 7 x 8h, Veterans Day 0h, Thursday 09-10 EST 1h = 58h. Counting the holiday would give 66h; ignoring DST
    # (EDT all along) would give 59h, since Thursday would open at 13:00Z.
    at = "2026-11-12T15:00:00Z"
    body = client.get(f"/api/v1/brands/acme/cases/case-h/sla?at={at}", headers=personas["acme-manager"].headers).json()
    resolution = clock(body, "resolution")
    assert resolution["elapsed_minutes"] == 58 * 60
    assert resolution["state"] == "breached" and body["worst_state"] == "breached"
    assert "US public holidays" in body["calendar"]


def test_first_response_is_the_agents_first_turn_in_the_transcript(client, personas):
    turns = [{"speaker": "customer", "text": "Is anyone there? My parcel never came.", "offset_seconds": 0.0},
             {"speaker": "agent", "text": "Sorry for the wait, let me look at your parcel.", "offset_seconds": 1500.0},
             {"speaker": "agent", "text": "It will be delivered tomorrow.", "offset_seconds": 1600.0}]
    case = {"external_id": "case-wait", "purpose": "delivery", "priority": "normal", "status": "open"}
    post(client, personas["acme-manager"], external_id="case-wait-1", vendor="pune-cx", case=case, turns=turns,
         started_at="2026-10-01T09:00:00Z", ended_at="2026-10-01T09:30:00Z")
    set_contract(client, personas)  # 24/7, first response within 60 minutes
    body = client.get("/api/v1/brands/acme/cases/case-wait/sla?at=2026-10-01T12:00:00Z",
                      headers=personas["acme-manager"].headers).json()
    first_response = clock(body, "first_response")
    assert first_response["elapsed_minutes"] == 25
    assert first_response["state"] == "ok"


def test_pending_status_pauses_the_clock_and_the_queue_is_worst_first(client, personas):
    two_agent_case(client, personas, case_id="case-slow", first_start="2026-10-01T09:00:00Z",
                   second_start="2026-10-01T09:30:00Z")
    two_agent_case(client, personas, case_id="case-fresh", customer="cust-2", first_start="2026-10-01T12:00:00Z",
                   second_start="2026-10-01T12:30:00Z")
    set_contract(client, personas)  # 24/7
    headers = personas["acme-manager"].headers
    queue = client.get("/api/v1/brands/acme/sla/queue?at=2026-10-01T18:00:00Z", headers=headers).json()["items"]
    queue = [item for item in queue if item["case"] in ("case-slow", "case-fresh")]  # the personas seed one more
    assert [item["case"] for item in queue] == ["case-slow", "case-fresh"]
    assert clock(queue[0], "resolution")["elapsed_minutes"] == 9 * 60
    breaches = client.get("/api/v1/brands/acme/sla/breaches?at=2026-10-01T18:00:00Z", headers=headers).json()["items"]
    assert "case-slow" in [item["case"] for item in breaches] and "case-fresh" not in [i["case"] for i in breaches]
    assert all(item["worst_state"] == "breached" for item in breaches)
    # vendor staff see only cases their vendor worked on; another brand sees none
    assert client.get("/api/v1/brands/acme/sla/queue", headers=personas["globex-manager"].headers).status_code == 404
    assert client.get("/api/v1/brands/globex/sla/queue", headers=personas["globex-manager"].headers).json()["items"] == []


def test_status_change_to_pending_stops_time_counting(client, personas):
    two_agent_case(client, personas)
    set_contract(client, personas)
    headers = personas["acme-manager"].headers
    assert client.post("/api/v1/brands/acme/cases/case-h/status", json={"status": "pending", "reason": "waiting"},
                       headers=headers).status_code == 200
    later = (datetime.now(UTC) + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    first = clock(client.get(f"/api/v1/brands/acme/cases/case-h/sla?at={now}", headers=headers).json(), "resolution")
    second = clock(client.get(f"/api/v1/brands/acme/cases/case-h/sla?at={later}", headers=headers).json(), "resolution")
    assert abs(second["elapsed_minutes"] - first["elapsed_minutes"]) < 1.0  # paused while pending
    response = client.post("/api/v1/brands/acme/cases/case-h/status", json={"status": "waiting"}, headers=headers)
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "$.status"


def test_escalations_are_recorded_once_with_their_reason(client, personas):
    two_agent_case(client, personas)
    set_contract(client, personas)
    headers = personas["acme-manila-lead"].headers
    at = "2026-10-01T15:30:00Z"  # 6.5h of the 8h resolution target: 81%, tier 2 fires at 75%
    recorded = client.post(f"/api/v1/brands/acme/sla/escalations/run?at={at}",
                           headers=personas["acme-manager"].headers).json()["recorded"]
    recorded = [item for item in recorded if item["case"] == "case-h"]  # the personas seed one more case
    assert [(item["clock"], item["level"]) for item in recorded] == [("resolution", "tier_2")]
    assert "escalate to tier_2" in recorded[0]["reason"]
    again = client.post(f"/api/v1/brands/acme/sla/escalations/run?at={at}", headers=personas["acme-manager"].headers)
    assert again.json()["recorded"] == []
    manual = client.post("/api/v1/brands/acme/cases/case-h/escalations", headers=headers,
                         json={"level": "supervisor", "reason": "customer asked for a manager"})
    assert manual.status_code == 201
    duplicate = client.post("/api/v1/brands/acme/cases/case-h/escalations", headers=headers,
                            json={"level": "supervisor", "reason": "again"})
    assert duplicate.status_code == 409
    body = client.get("/api/v1/brands/acme/cases/case-h/sla", headers=personas["acme-manager"].headers).json()
    assert [(e["level"], e["escalated_by"]) for e in body["escalations"]] == [
        ("tier_2", "acme-manager"), ("supervisor", "acme-manila-lead")]
    bad = client.post("/api/v1/brands/acme/cases/case-h/escalations", headers=headers, json={"level": "ceo", "reason": "x"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["path"] == "$.level"


def test_merge_moves_the_timeline_and_unmerge_restores_it(client, personas):
    manager = personas["acme-manager"]
    post(client, manager, external_id="phone-1", customer={"external_id": "cust-phone", "country": "US"},
         case={"external_id": "case-phone", "purpose": "billing", "priority": "normal", "status": "open"})
    post(client, manager, external_id="mail-1", channel="email", customer={"external_id": "cust-mail", "country": "US"},
         case={"external_id": "case-mail", "purpose": "billing", "priority": "normal", "status": "open"})
    merged = client.post("/api/v1/brands/acme/customers/merges", headers=manager.headers,
                         json={"keep": "cust-phone", "merged": "cust-mail", "reason": "same phone and email"})
    assert merged.status_code == 201, merged.text
    record = merged.json()
    assert record["merged_by"] == "acme-manager" and record["reason"] == "same phone and email"
    assert len(record["moved_case_ids"]) == 1 and len(record["moved_interaction_ids"]) == 1
    timeline = client.get("/api/v1/brands/acme/customers/cust-phone/timeline", headers=manager.headers).json()
    assert [item["external_id"] for item in timeline["interactions"]] == ["phone-1", "mail-1"]
    assert timeline["merged_from"] == ["cust-mail"]
    again = client.post("/api/v1/brands/acme/customers/merges", headers=manager.headers,
                        json={"keep": "cust-phone", "merged": "cust-mail", "reason": "twice"})
    assert again.status_code == 409
    unmerged = client.post(f"/api/v1/brands/acme/customers/merges/{record['id']}/unmerge", headers=manager.headers,
                           json={"reason": "different people after all"})
    assert unmerged.status_code == 200 and unmerged.json()["unmerged_by"] == "acme-manager"
    timeline = client.get("/api/v1/brands/acme/customers/cust-phone/timeline", headers=manager.headers).json()
    assert "mail-1" not in {item["external_id"] for item in timeline["interactions"]} and timeline["merged_from"] == []
    back = client.get("/api/v1/brands/acme/customers/cust-mail/timeline", headers=manager.headers).json()
    assert [item["external_id"] for item in back["interactions"]] == ["mail-1"]


def test_merge_checks_roles_fields_and_brand(client, personas):
    manager = personas["acme-manager"]
    post(client, manager, external_id="phone-1", customer={"external_id": "cust-phone", "country": "US"})
    body = {"keep": "cust-phone", "merged": "cust-9", "reason": "same email"}
    assert client.post("/api/v1/brands/acme/customers/merges", headers=personas["acme-manila-lead"].headers,
                       json=body).status_code == 403
    assert client.post("/api/v1/brands/acme/customers/merges", headers=personas["globex-manager"].headers,
                       json=body).status_code == 404
    unknown = client.post("/api/v1/brands/acme/customers/merges", headers=manager.headers,
                          json={**body, "merged": "nobody"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["path"] == "$.merged"
    assert client.get("/api/v1/brands/acme/customers/cust-phone/timeline",
                      headers=personas["globex-manager"].headers).status_code == 404
    assert client.get("/api/v1/brands/acme/customers/merges", headers=personas["globex-manager"].headers).status_code == 404
