"""A customer opens their transparency link in Chromium, switches a consent and asks for a copy of their data."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from trustdesk.core.model import Role
from trustdesk.services import transparency
from trustdesk.services.scope import Viewer

pytestmark = pytest.mark.browser
ADMIN = Viewer(user_id=0, username="root", role=Role.ADMIN, brand_id=None, vendor_id=None)


def _token(engine) -> str:
    with engine.connect() as connection:
        return transparency.issue_link_token(connection, ADMIN, brand_key="acme", customer_external_id="cust-9",
                                             secret="browser-test", now=datetime.now(timezone.utc))


def test_customer_sees_who_handled_their_cases_and_manages_consent(page, live_server, sqlite_engine_with_personas):
    page.goto(f"{live_server}/transparency/{_token(sqlite_engine_with_personas)}")
    expect(page.get_by_role("heading", name="Your data with acme")).to_be_visible()
    expect(page.locator("#handled-by")).to_contain_text("manila-bpo")
    expect(page.locator("#handled-by")).to_contain_text("pune-cx")
    expect(page.locator("#data-categories")).to_contain_text("conversation(s)")
    marketing = page.get_by_role("switch", name="Send me marketing messages.")
    expect(marketing).to_have_attribute("aria-checked", "false")
    marketing.click()
    expect(page.get_by_role("status")).to_have_text("Your choice is saved.")
    expect(page.get_by_role("switch", name="Send me marketing messages.")).to_have_attribute("aria-checked", "true")
    page.get_by_role("button", name="Request a copy of my data").click()
    expect(page.get_by_role("status")).to_contain_text("request for a copy")
    expect(page.locator("#my-requests tbody tr")).to_have_count(1)
    expect(page.locator("#my-requests")).to_contain_text("access")


def test_an_altered_link_shows_an_error_not_data(page, live_server, sqlite_engine_with_personas):
    token = _token(sqlite_engine_with_personas)
    page.goto(f"{live_server}/transparency/{token[:-3]}xyz")
    expect(page.get_by_role("alert")).to_have_text("this link is not valid")
    expect(page.locator("#handled-by")).to_have_count(0)


def test_the_interaction_page_shows_the_minimized_customer_view(page, live_server):
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("acme-manila-lead")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.locator("#interaction-table tbody tr a").first.click()
    section = page.locator("#customer-view")
    expect(section.get_by_role("heading")).to_contain_text("for a billing case")
    expect(section).to_contain_text("no current privacy training")
    expect(section).to_contain_text("US")
