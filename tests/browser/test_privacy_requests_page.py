"""A privacy officer works the data-subject request queue in the browser: overdue first, export, erasure."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.factories import NOW, interaction
from trustdesk.contracts.interaction import InteractionIn
from trustdesk.core.model import Role
from trustdesk.services import accounts, consent, dsar
from trustdesk.services.ingest import ingest_interactions
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.services.privacy_keys import open_keyring

pytestmark = pytest.mark.browser


@pytest.fixture
def privacy_queue(sqlite_engine_with_personas, tmp_path):
    engine = sqlite_engine_with_personas
    # The live server reads its master key from this file; encrypt with the same one.
    keyring = open_keyring(tmp_path / "master.key", now=NOW, on_create=lambda _path: None)
    body = interaction(external_id="web-privacy", customer={"external_id": "cust-web", "name": "Lucia Ferreira",
                                                            "email": "lucia.ferreira@example.com", "country": "PT"})
    with engine.begin() as connection:
        ingest_interactions(connection, [InteractionIn.model_validate(body).to_domain()], steps=default_ingest_steps(),
                            now=NOW, may_create_brands=False, keyring=keyring)
        accounts.create_user(connection, username="acme-privacy", password="correct horse",
                             role=Role.PRIVACY_OFFICER, brand_key="acme", now=NOW)
        customer = consent.find_customer(connection, brand_key="acme", customer_external_id="cust-9",
                                         visible_brand_id=None)
        dsar.open_request(connection, customer, kind="access", changes=None,
                          actor=dsar.Actor("acme-privacy", "privacy_officer", "test"),
                          now=datetime.now(timezone.utc) - timedelta(days=45))
    return engine


def test_officer_sees_overdue_requests_and_erases_a_customer(page, live_server, privacy_queue):
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("acme-privacy")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Requests").click()
    expect(page.locator("#overdue-requests tbody tr")).to_have_count(1)
    expect(page.locator("#overdue-requests")).to_contain_text("acme/cust-9")

    page.get_by_label("Brand").fill("acme")
    page.get_by_label("Customer id").fill("cust-web")
    page.get_by_label("Kind").select_option("erasure")
    page.get_by_role("button", name="Receive request").click()
    row = page.locator("#other-requests tbody tr", has_text="acme/cust-web")
    expect(row).to_contain_text("received")

    row.get_by_role("link", name="acme/cust-web").click()
    expect(page.locator("#personal-data")).to_contain_text("Lucia Ferreira")
    expect(page.locator("#consents")).to_contain_text("brand policy default")
    page.go_back()

    row = page.locator("#other-requests tbody tr", has_text="acme/cust-web")
    row.get_by_role("button", name="Start").click()
    row = page.locator("#other-requests tbody tr", has_text="acme/cust-web")
    row.get_by_role("button", name="Complete (erases the customer)").click()
    expect(page.locator("#other-requests tbody tr", has_text="acme/cust-web")).to_contain_text("completed")
    page.get_by_role("link", name="acme/cust-web").click()
    expect(page.locator("#personal-data")).to_contain_text("No personal data is held.")
    expect(page.locator("#personal-data")).not_to_contain_text("Lucia")
