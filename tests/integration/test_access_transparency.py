"""The customer's transparency page through signed links: valid, expired, tampered; consent and requests."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from tests.factories import interaction
from trustdesk.core.model import Role
from trustdesk.services import transparency
from trustdesk.services.scope import Viewer
from trustdesk.storage.audit_tables import audit_entries
from trustdesk.storage.privacy_tables import dsar_requests

LINK = "/api/v1/brands/acme/customers/cust-9/transparency-link"


def _link(client, persona) -> str:
    response = client.post(LINK, headers=persona.headers)
    assert response.status_code == 201, response.text
    return response.json()["url"]


def test_a_signed_link_shows_who_handled_the_cases_where_and_what_is_held(client, personas):
    stored = client.post("/api/v1/interactions", json=interaction(external_id="call-x"), headers=personas["root"].headers)
    assert stored.status_code == 201
    url = _link(client, personas["acme-manager"])
    page = client.get(url)
    assert page.status_code == 200
    assert "manila-bpo" in page.text and "pune-cx" in page.text
    assert "email address" in page.text and "conversation(s)" in page.text
    assert page.text.count('role="switch"') == 5
    assert "Dana" not in page.text and "dana.whitfield" not in page.text  # categories, never the values


def test_an_altered_or_expired_link_is_refused(client, personas, engine):
    url = _link(client, personas["acme-manager"])
    token = url.rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.get(f"/transparency/{tampered}").status_code == 404
    forged_payload = transparency._serializer("another-secret", datetime.now(timezone.utc)).dumps(
        {"brand": "acme", "customer": "cust-9"})
    assert client.get(f"/transparency/{forged_payload}").status_code == 404
    viewer = Viewer(user_id=0, username="root", role=Role.ADMIN, brand_id=None, vendor_id=None)
    with engine.connect() as connection:
        old = transparency.issue_link_token(connection, viewer, brand_key="acme", customer_external_id="cust-9",
                                            secret="test-secret", now=datetime.now(timezone.utc) - timedelta(days=15))
    expired = client.get(f"/transparency/{old}")
    assert expired.status_code == 410 and "expired" in expired.text
    assert client.post(f"/transparency/{old}/request", data={"kind": "erasure"}).status_code == 410


def test_the_customer_switches_a_consent_and_requests_a_copy_from_the_page(client, personas, engine):
    url = _link(client, personas["acme-manager"])
    switched = client.post(f"{url}/consent", data={"purpose": "marketing", "allowed": "true"}, follow_redirects=False)
    assert switched.status_code == 303
    page = client.get(switched.headers["location"])
    assert 'aria-checked="true" aria-label="Send me marketing messages."' in page.text
    assert client.post(f"{url}/request", data={"kind": "access"}).status_code == 200
    with engine.connect() as connection:
        assert connection.execute(sa.select(dsar_requests.c.kind, dsar_requests.c.state)).all() == [("access", "received")]
        events = connection.execute(sa.select(audit_entries.c.event_type, audit_entries.c.user)
                                    .order_by(audit_entries.c.entry_id)).all()
    assert [(e.event_type, e.user) for e in events] == [("consent_change", "customer:acme/cust-9"),
                                                         ("dsar_change", "customer:acme/cust-9")]
    assert client.post(f"{url}/consent", data={"purpose": "telepathy", "allowed": "true"}).status_code == 422


def test_links_are_issued_only_for_customers_in_the_callers_scope(client, personas):
    assert client.post(LINK, headers=personas["globex-manager"].headers).status_code == 404
    assert client.post("/api/v1/brands/acme/customers/nobody/transparency-link",
                       headers=personas["acme-manager"].headers).status_code == 404
