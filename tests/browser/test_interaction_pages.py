"""A supervisor logs in, filters the interaction list and opens one interaction's transcript."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server}/interactions")
    expect(page).to_have_url(f"{live_server}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/interactions")


def test_wrong_password_is_refused(page, live_server):
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("acme-manila-lead")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("wrong password")


def test_supervisor_browses_filters_and_opens_a_transcript(page, live_server):
    _log_in(page, live_server, "acme-manila-lead")
    table = page.locator("#interaction-table")
    expect(table.locator("tbody tr")).to_have_count(50)  # first page of the 60 stored for manila-bpo
    expect(page.get_by_role("heading", name="Interactions")).to_contain_text("60")
    page.get_by_label("Channel").select_option("chat")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="Interactions")).to_contain_text("20")
    expect(table.locator("tbody tr td:nth-child(6)").first).to_have_text("chat")
    table.locator("tbody tr a").first.click()
    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()
    expect(page.locator(".turn.agent").first).to_contain_text("Thank you for calling")


def test_vendor_staff_never_see_another_vendors_interactions(page, live_server):
    _log_in(page, live_server, "acme-pune-lead")
    expect(page.get_by_role("heading", name="Interactions")).to_have_text("Interactions 1")
    expect(page.locator("#interaction-table tbody tr")).to_have_count(1)
    expect(page.locator("#interaction-table")).to_contain_text("seed-pune-cx")
    expect(page.locator("#interaction-table")).not_to_contain_text("manila-bpo")


def test_paging_moves_to_older_interactions(page, live_server):
    _log_in(page, live_server, "acme-manila-lead")
    page.get_by_role("link", name="Older →").click()
    expect(page.locator(".pager")).to_contain_text("Page 2 of 2")
    expect(page.locator("#interaction-table tbody tr")).to_have_count(10)
