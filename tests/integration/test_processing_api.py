"""Ingest redacts and scores before storing; /redact, /score and /route follow CONTRACTS.md sections 2, 3, 6."""
from __future__ import annotations

import json

import sqlalchemy as sa

from tests.factories import interaction
from trustdesk.storage import tables as t

CARD = "4111 1111 1111 1111"


def _raw_database_text(engine) -> str:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(t.transcripts.c.turns)).scalars().all()
        comments = connection.execute(sa.select(t.surveys.c.comment)).scalars().all()
    return json.dumps(rows) + json.dumps(comments)


def test_ingest_stores_only_redacted_turns_with_entity_labels(client, personas, engine):
    body = interaction(external_id="pii-1")
    body["turns"][1]["text"] = f"My card is {CARD}, security code 737, email dana.whitfield@example.com"
    body["survey"]["comment"] = "call me on +1 415 555 0134"
    response = client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers)
    assert response.status_code == 201
    stored = _raw_database_text(engine)
    for raw in (CARD, "737", "dana.whitfield@example.com", "555 0134"):
        assert raw not in stored
    detail = client.get(f"/api/v1/interactions/{response.json()['results'][0]['id']}",
                        headers=personas["acme-manager"].headers).json()
    turn = detail["turns"][1]
    assert "[CARD]" in turn["text"] and "[CVV]" in turn["text"] and "[EMAIL]" in turn["text"]
    assert {e["label"] for e in turn["entities"]} == {"CARD", "CVV", "EMAIL"}


def test_ingest_scores_and_stores_the_evidence(client, personas):
    consent = client.post("/api/v1/brands/acme/customers/cust-9/consents", headers=personas["acme-manager"].headers,
                          json={"purpose": "quality_analytics", "decision": "granted", "channel": "phone",
                                "wording": "May we use this call to improve our service?"})
    assert consent.status_code in (200, 201), consent.text
    response = client.post("/api/v1/interactions", json=interaction(external_id="qa-1"), headers=personas["acme-manager"].headers)
    detail = client.get(f"/api/v1/interactions/{response.json()['results'][0]['id']}",
                        headers=personas["acme-manager"].headers).json()
    quality = detail["quality"]
    assert quality["source"] == "automatic" and detail["qa_score"] == quality["score"]
    disclosure = next(c for c in quality["criteria"] if c["id"] == "recording_disclosure")
    assert disclosure["evidence"][0]["quote"]
    assert disclosure["result"] == "pass" and disclosure["evidence"][0]["turn"] == 0


def test_missing_language_is_detected_at_ingest(client, personas):
    body = interaction(external_id="lang-1")
    del body["language"]
    body["turns"][1]["text"] = "Hola, me cobraron dos veces la factura de octubre y necesito ayuda por favor."
    response = client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers)
    detail = client.get(f"/api/v1/interactions/{response.json()['results'][0]['id']}",
                        headers=personas["acme-manager"].headers).json()
    assert detail["language"] == "es"


def test_redact_endpoint_follows_the_contract(client, personas):
    texts = [{"id": "a", "text": f"my card is {CARD}"}, {"id": "b", "text": "nothing here"}]
    response = client.post("/api/v1/redact", json=texts, headers=personas["acme-qa"].headers)
    assert response.status_code == 200
    first, second = response.json()
    assert first["id"] == "a" and first["redacted"] == "my card is [CARD]"
    assert first["entities"][0] | {"text_hash": None} == {"start": 11, "end": 30, "label": "CARD", "text_hash": None}
    assert CARD not in response.text
    assert second == {"id": "b", "redacted": "nothing here", "entities": []}


def test_redact_endpoint_names_bad_fields(client, personas):
    response = client.post("/api/v1/redact", json=[{"id": "a"}], headers=personas["acme-qa"].headers)
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "$[0].text"
    assert client.post("/api/v1/redact", json=[{"id": "a", "text": "x"}]).status_code == 401


def test_score_endpoint_returns_the_contract_shape(client, personas):
    body = interaction(external_id="score-1")
    body["turns"][2]["text"] = f"Let me confirm, your card is {CARD}."
    response = client.post("/api/v1/score", json=body, headers=personas["acme-qa"].headers)
    assert response.status_code == 200
    [result] = response.json()
    assert result["external_id"] == "score-1" and result["scorecard"] == "default"
    readback = next(c for c in result["criteria"] if c["id"] == "sensitive_readback")
    assert readback["result"] == "fail" and readback["evidence"][0]["turn"] == 2
    assert CARD not in response.text


def test_route_endpoint_explains_its_choice(client, personas):
    request = {"contact": {"channel": "chat", "language": "es", "purpose": "billing", "priority": "normal",
                           "customer_country": "DE", "at": "2026-10-01T14:00:00Z",
                           "consents": {"offshore_transfer": False}},
               "agents": [
                   {"external_id": "agent-ph", "vendor": "manila-bpo", "country": "PH", "languages": {"es": 5},
                    "skills": ["billing"], "channels": ["chat"], "time_zone": "Asia/Manila",
                    "shift": {"start": "00:00", "end": "23:59"}, "load": {"chat": 0}, "capacity": {"chat": 3},
                    "occupancy": 0.1},
                   {"external_id": "agent-de", "vendor": "in-house", "country": "DE", "languages": {"es": 4},
                    "skills": ["billing"], "channels": ["chat"], "time_zone": "Europe/Berlin",
                    "shift": {"start": "08:00", "end": "18:00"}, "load": {"chat": 1}, "capacity": {"chat": 3},
                    "occupancy": 0.5}]}
    response = client.post("/api/v1/route", json=request, headers=personas["acme-manager"].headers)
    assert response.status_code == 200
    [decision] = response.json()
    assert decision["agent"] == "agent-de" and decision["reasons"]
    assert [e["agent"] for e in decision["excluded"]] == ["agent-ph"]
