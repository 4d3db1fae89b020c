"""Suggested duplicate customers from the keyed blind index of encrypted identifiers plus name similarity,
confirmed (or not) through the audited, reversible merge; erasure removes the customer's index row."""
from __future__ import annotations

import sqlalchemy as sa

from tests.factories import NOW, interaction
from trustdesk.services.consent import CustomerRef
from trustdesk.services.erasure import erase_customer
from trustdesk.storage import tables as t
from trustdesk.storage.audit_tables import audit_entries
from trustdesk.storage.operations_tables import customer_match_keys

DUPLICATES = "/api/v1/brands/acme/customers/duplicates"


def ingest(client, persona, external_id, customer, channel="voice"):
    response = client.post("/api/v1/interactions", headers=persona.headers, json=interaction(
        external_id=external_id, channel=channel, customer=customer,
        case={"external_id": f"case-{external_id}", "purpose": "billing"}))
    assert response.status_code == 201, response.text


def three_records(client, personas):
    manager = personas["acme-manager"]
    ingest(client, manager, "call-1", {"external_id": "cust-9", "name": "Dana Whitfield", "country": "US",
                                       "email": "dana.whitfield@example.com", "phone": "+1 415 555 0134"})
    ingest(client, manager, "dm-1", {"external_id": "cust-social", "name": "Dana Whitfeld", "country": "US",
                                     "email": " DANA.WHITFIELD@example.com"}, channel="social")
    # shares the household phone, written the local way, but is somebody else
    ingest(client, manager, "call-2", {"external_id": "cust-partner", "name": "Carlos Mendoza", "country": "US",
                                       "phone": "(415) 555-0134"})


def test_duplicates_are_suggested_with_the_reason_and_no_personal_data(client, personas, engine):
    three_records(client, personas)
    response = client.get(DUPLICATES, headers=personas["acme-manager"].headers)
    assert response.status_code == 200, response.text
    [pair] = response.json()["items"]
    assert (pair["first"]["customer"], pair["second"]["customer"]) == ("cust-9", "cust-social")
    assert pair["matched"] == ["email"] and pair["name_similarity"] >= 0.9
    assert pair["reason"].startswith("same email; names 9")
    # cust-9 is also the customer of the personas' two seed contacts
    assert pair["second"]["channels"] == ["social"] and pair["first"]["contacts"] == 3
    assert "Whitf" not in response.text and "example.com" not in response.text and "555" not in response.text
    with engine.connect() as connection:
        stored = connection.execute(sa.select(customer_match_keys)).mappings().all()
    assert len(stored) == 3 and all("example" not in (row["email_digest"] or "") for row in stored)
    # vendor staff and other brands see nothing
    assert client.get(DUPLICATES, headers=personas["acme-manila-lead"].headers).status_code == 403
    assert client.get(DUPLICATES, headers=personas["globex-manager"].headers).status_code == 404


def test_a_suggestion_is_confirmed_through_the_reversible_merge(client, personas):
    three_records(client, personas)
    manager = personas["acme-manager"]
    merged = client.post("/api/v1/brands/acme/customers/merges", headers=manager.headers,
                         json={"keep": "cust-9", "merged": "cust-social", "reason": "same email; names 96% similar"})
    assert merged.status_code == 201
    assert client.get(DUPLICATES, headers=manager.headers).json()["items"] == []
    undone = client.post(f"/api/v1/brands/acme/customers/merges/{merged.json()['id']}/unmerge", headers=manager.headers,
                         json={"reason": "two people after all"})
    assert undone.status_code == 200
    assert len(client.get(DUPLICATES, headers=manager.headers).json()["items"]) == 1


def test_rows_of_an_older_master_key_and_records_never_indexed_are_indexed_when_listing(client, personas, engine):
    three_records(client, personas)
    with engine.begin() as connection:
        connection.execute(customer_match_keys.update().values(key_id="kek-old", email_digest="stale"))
        connection.execute(customer_match_keys.delete().where(customer_match_keys.c.customer_id == connection.execute(
            sa.select(t.customers.c.id).where(t.customers.c.external_id == "cust-9")).scalar_one()))
    [pair] = client.get(DUPLICATES, headers=personas["acme-manager"].headers).json()["items"]
    assert (pair["first"]["customer"], pair["second"]["customer"]) == ("cust-9", "cust-social")
    with engine.connect() as connection:
        key_ids = set(connection.execute(sa.select(customer_match_keys.c.key_id)).scalars())
    assert len(key_ids) == 1 and "kek-old" not in key_ids


def test_erasure_removes_the_blind_index_row_for_good(client, personas, engine):
    three_records(client, personas)
    with engine.begin() as connection:
        row = connection.execute(sa.select(t.customers.c.id, t.customers.c.brand_id)
                                 .where(t.customers.c.external_id == "cust-social")).one()
        erase_customer(connection, CustomerRef(row.id, row.brand_id, "acme", "cust-social"), actor="root",
                       role="admin", origin="test", now=NOW)
        assert connection.execute(sa.select(customer_match_keys)
                                  .where(customer_match_keys.c.customer_id == row.id)).first() is None
    assert client.get(DUPLICATES, headers=personas["acme-manager"].headers).json()["items"] == []
    with engine.connect() as connection:  # listing did not index the erased customer again
        assert connection.execute(sa.select(customer_match_keys)
                                  .where(customer_match_keys.c.customer_id == row.id)).first() is None


def test_a_pair_judged_to_be_two_people_is_dismissed_audited_and_can_be_suggested_again(client, personas, engine):
    three_records(client, personas)
    manager, dismissals = personas["acme-manager"], f"{DUPLICATES}/dismissals"
    judged = {"first": "cust-social", "second": "cust-9", "reason": "twins sharing one mailbox"}
    assert client.post(dismissals, headers=personas["acme-manila-lead"].headers, json=judged).status_code == 403
    assert client.post(dismissals, headers=personas["globex-manager"].headers, json=judged).status_code == 404
    unknown = client.post(dismissals, headers=manager.headers, json={**judged, "second": "nobody"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["path"] == "$.second"
    blank = client.post(dismissals, headers=manager.headers, json={**judged, "reason": "  "})
    assert blank.status_code == 422 and blank.json()["detail"][0]["path"] == "$.reason"

    dismissed = client.post(dismissals, headers=manager.headers, json=judged)
    assert dismissed.status_code == 201, dismissed.text
    assert dismissed.json() | {"dismissed_at": None} == {
        "id": dismissed.json()["id"], "first": "cust-9", "second": "cust-social", "reason": "twins sharing one mailbox",
        "dismissed_by": "acme-manager", "dismissed_at": None}
    assert client.get(DUPLICATES, headers=manager.headers).json()["items"] == []
    assert client.post(dismissals, headers=manager.headers, json=judged).status_code == 409
    assert [item["id"] for item in client.get(dismissals, headers=manager.headers).json()["items"]] == [
        dismissed.json()["id"]]

    undo = client.delete(f"{dismissals}/{dismissed.json()['id']}", headers=manager.headers)
    assert undo.status_code == 204
    assert len(client.get(DUPLICATES, headers=manager.headers).json()["items"]) == 1
    assert client.delete(f"{dismissals}/{dismissed.json()['id']}", headers=manager.headers).status_code == 404
    with engine.connect() as connection:
        reasons = list(connection.execute(sa.select(audit_entries.c.reason).where(
            audit_entries.c.resource == f"duplicate_dismissal:acme/{dismissed.json()['id']}")
            .order_by(audit_entries.c.entry_id)).scalars())
    assert reasons == ["suggestion cust-9 = cust-social dismissed", "dismissal of cust-9 = cust-social undone"]
