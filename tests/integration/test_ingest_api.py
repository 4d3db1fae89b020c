"""Ingest through POST /api/v1/interactions (CONTRACTS.md section 1) on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import sqlalchemy as sa

from tests.factories import interaction
from trustdesk.storage import tables as t


def _count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_one_interaction_is_stored_with_its_turns_survey_and_references(client, personas, engine):
    before = _count(engine, t.interactions)
    response = client.post("/api/v1/interactions", json=interaction(), headers=personas["acme-manager"].headers)
    assert response.status_code == 201, response.text
    [result] = response.json()["results"]
    assert result["status"] == "created" and result["external_id"] == "call-1"
    assert _count(engine, t.interactions) == before + 1
    detail = client.get(f"/api/v1/interactions/{result['id']}", headers=personas["acme-manager"].headers).json()
    assert [turn["speaker"] for turn in detail["turns"]] == ["agent", "customer", "agent"]
    assert detail["survey"] == {"csat": 5, "nps": 9, "comment": "Quick and kind."}
    assert detail["case"] == "case-55" and detail["vendor"] == "manila-bpo" and detail["agent"] == "agent-7"
    assert detail["handle_seconds"] == 450 + 60  # the 40 s hold lies inside the 450 s call


def test_resending_the_same_external_id_is_a_no_op(client, personas, engine):
    headers = personas["acme-manager"].headers
    first = client.post("/api/v1/interactions", json=interaction(), headers=headers)
    count = _count(engine, t.interactions)
    second = client.post("/api/v1/interactions", json=interaction(), headers=headers)
    assert second.status_code == 200
    assert second.json()["results"] == [{**first.json()["results"][0], "status": "duplicate"}]
    assert _count(engine, t.interactions) == count
    assert _count(engine, t.transcripts) == count


def test_a_batch_repeating_an_id_stores_it_once(client, personas, engine):
    count = _count(engine, t.interactions)
    response = client.post("/api/v1/interactions", json=[interaction(), interaction()], headers=personas["acme-manager"].headers)
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["created", "duplicate"]
    assert _count(engine, t.interactions) == count + 1


def test_a_bad_field_in_a_batch_names_its_path_and_stores_nothing(client, personas, engine):
    bad = interaction(external_id="call-2")
    bad["turns"][1]["speaker"] = "robot"
    bad["survey"]["csat"] = 9
    before = {table.name: _count(engine, table) for table in (t.interactions, t.transcripts, t.customers, t.cases, t.agents)}
    response = client.post("/api/v1/interactions", json=[interaction(), bad], headers=personas["acme-manager"].headers)
    assert response.status_code == 422
    paths = {error["path"] for error in response.json()["detail"]}
    assert paths == {"$[1].turns[1].speaker", "$[1].survey.csat"}
    after = {table.name: _count(engine, table) for table in (t.interactions, t.transcripts, t.customers, t.cases, t.agents)}
    assert after == before


def test_missing_and_malformed_fields_are_each_named(client, personas):
    data = interaction(channel="fax", started_at="yesterday")
    del data["agent"]
    response = client.post("/api/v1/interactions", json=data, headers=personas["acme-manager"].headers)
    assert response.status_code == 422
    assert {e["path"] for e in response.json()["detail"]} == {"$.channel", "$.started_at", "$.agent"}


def test_end_before_start_is_rejected(client, personas):
    response = client.post("/api/v1/interactions", json=interaction(ended_at="2026-10-01T08:00:00Z"),
                           headers=personas["acme-manager"].headers)
    assert response.status_code == 422
    assert "ended_at is before started_at" in response.text


def test_body_that_is_not_json_is_a_422(client, personas):
    response = client.post("/api/v1/interactions", content=b"{not json", headers={**personas["acme-manager"].headers,
                                                                                   "content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == "$"


def test_json_that_is_neither_an_interaction_nor_a_list_is_a_422_at_the_root(client, personas):
    response = client.post("/api/v1/interactions", json="call-1", headers=personas["acme-manager"].headers)
    assert response.status_code == 422
    assert [error["path"] for error in response.json()["detail"]] == ["$"]


def test_a_batch_over_the_batch_limit_is_refused_before_its_items_are_judged(client, personas):
    response = client.post("/api/v1/interactions", json=[{}] * 1_001, headers=personas["acme-manager"].headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"path": "$", "message": "a batch holds at most 1000 interactions", "type": "too_long"}]


def test_body_over_the_limit_is_a_413_and_stores_nothing(client, personas, engine):
    before = _count(engine, t.interactions)
    huge = [interaction(external_id=f"big-{i}") for i in range(600)]  # well over the 256 KiB test limit
    response = client.post("/api/v1/interactions", content=json.dumps(huge).encode(),
                           headers={**personas["acme-manager"].headers, "content-type": "application/json"})
    assert response.status_code == 413
    assert "TRUSTDESK_MAX_BODY_BYTES" in response.json()["detail"]
    assert _count(engine, t.interactions) == before


def test_unknown_brand_is_a_422_naming_the_brand_field(client, personas):
    response = client.post("/api/v1/interactions", json=interaction(brand="initech"), headers=personas["root"].headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == "$.brand"


def test_a_token_writes_only_to_its_own_brand_and_vendor(client, personas):
    other_brand = client.post("/api/v1/interactions", json=interaction(brand="globex"), headers=personas["acme-manager"].headers)
    assert other_brand.status_code == 403
    other_vendor = client.post("/api/v1/interactions", json=[interaction(vendor="pune-cx")],
                               headers=personas["acme-manila-lead"].headers)
    assert other_vendor.status_code == 403
    assert other_vendor.json()["detail"][0]["path"] == "$[0].vendor"
    own_vendor = client.post("/api/v1/interactions", json=interaction(), headers=personas["acme-manila-lead"].headers)
    assert own_vendor.status_code == 201


def test_readers_may_not_ingest(client, personas):
    response = client.post("/api/v1/interactions", json=interaction(), headers=personas["acme-qa"].headers)
    assert response.status_code == 403


def test_no_credentials_is_a_401(client, personas):
    assert client.post("/api/v1/interactions", json=interaction()).status_code == 401
    assert client.get("/api/v1/interactions", headers={"Authorization": "Bearer td_forged"}).status_code == 401


def test_referenced_customer_and_case_are_matched_not_duplicated(client, personas, engine):
    headers = personas["acme-manager"].headers
    client.post("/api/v1/interactions", json=interaction(), headers=headers)
    customers, cases = _count(engine, t.customers), _count(engine, t.cases)
    later = interaction(external_id="call-2", started_at="2026-10-03T09:00:00Z", ended_at="2026-10-03T09:05:00Z",
                        case={"external_id": "case-55", "purpose": "billing", "status": "escalated"})
    assert client.post("/api/v1/interactions", json=later, headers=headers).status_code == 201
    assert (_count(engine, t.customers), _count(engine, t.cases)) == (customers, cases)
    case = client.get("/api/v1/brands/acme/cases/case-55", headers=headers).json()
    assert case["status"] == "escalated"
    assert [i["external_id"] for i in case["interactions"]] == ["call-1", "call-2"]


def test_concurrent_writers_creating_the_same_references_both_succeed(client, personas, engine):
    from concurrent.futures import ThreadPoolExecutor

    def post(prefix: str):
        body = [interaction(external_id=f"{prefix}-{n}", vendor="cebu-new", agent={"external_id": "agent-new"},
                            customer={"external_id": "cust-new"}, case={"external_id": "case-new"}) for n in range(20)]
        return client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(post, ["a", "b", "c", "d"]))
    assert statuses == [201, 201, 201, 201]
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(t.vendors).where(t.vendors.c.key == "cebu-new")).scalar_one() == 1
        assert connection.execute(sa.select(sa.func.count()).select_from(t.customers).where(t.customers.c.external_id == "cust-new")).scalar_one() == 1
    assert _count(engine, t.interactions) >= 80
