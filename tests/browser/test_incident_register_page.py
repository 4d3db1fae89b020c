"""A privacy officer registers an incident in Chromium, sees its 72-hour clock and affected customers, and
records that the authority was notified."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.factories import NOW
from trustdesk.core.model import Role
from trustdesk.services import accounts

pytestmark = pytest.mark.browser


@pytest.fixture
def privacy_officer(sqlite_engine_with_personas) -> str:
    with sqlite_engine_with_personas.begin() as connection:
        accounts.create_user(connection, username="acme-dpo", password="correct horse", role=Role.PRIVACY_OFFICER,
                             brand_key="acme", now=NOW)
    return "acme-dpo"


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()


def test_privacy_officer_registers_an_incident_and_records_the_notification(page, live_server, privacy_officer):
    _log_in(page, live_server, privacy_officer)
    page.goto(f"{live_server}/privacy/incidents")
    expect(page.locator("#incident-table")).to_contain_text("No incidents registered.")
    discovered = (datetime.now(timezone.utc) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Kind").select_option("misdirected_data")
    page.get_by_label("What happened").fill("A statement for one customer was e-mailed to another.")
    page.get_by_label("Discovered at (UTC)").fill(discovered)
    page.get_by_label("From (UTC day)").fill("2026-10-01")
    page.get_by_label("To (UTC day)").fill("2026-10-31")
    page.get_by_label("Only vendor (optional)").fill("manila-bpo")
    page.get_by_role("button", name="Register incident").click()

    expect(page.get_by_role("heading", name="misdirected data")).to_be_visible()
    clock = page.locator(".clock .clock-remaining")
    expect(clock).to_contain_text("min left")  # discovered two hours ago: well inside the 72 hours
    expect(page.locator("#affected-customers")).to_contain_text("cust-9")
    page.get_by_label("Status").select_option("notified")
    page.get_by_role("button", name="Record notification status").click()
    expect(clock).to_have_text("clock stopped (notified)")
    expect(page.locator("#notification-form")).to_have_count(0)

    page.goto(f"{live_server}/privacy/incidents")
    expect(page.locator("#incident-table tbody tr")).to_have_count(1)
    expect(page.locator("#incident-table")).to_contain_text("notified")


def test_a_refused_incident_says_which_field_is_wrong(page, live_server, privacy_officer):
    _log_in(page, live_server, privacy_officer)
    page.goto(f"{live_server}/privacy/incidents")
    page.get_by_label("What happened").fill("Laptop left on a train.")
    page.get_by_label("Discovered at (UTC)").fill("2026-11-01T08:00")
    page.get_by_label("From (UTC day)").fill("2026-10-31")
    page.get_by_label("To (UTC day)").fill("2026-10-01")
    page.get_by_role("button", name="Register incident").click()
    expect(page.get_by_role("alert")).to_contain_text("affected.date_to: is before date_from")
    expect(page.locator("#incident-table")).to_contain_text("No incidents registered.")
