"""A brand manager compares vendors side by side and drills down to the evidence: one interaction."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def test_brand_manager_compares_vendors_and_drills_down_to_an_interaction(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()
    page.get_by_role("navigation", name="Dashboards").get_by_role("link", name="Vendor comparison").click()
    page.get_by_label("From").fill("2026-10-01")
    page.get_by_label("To").fill("2026-10-31")
    page.get_by_role("button", name="Apply").click()

    comparison = page.locator("#vendor-comparison")
    expect(comparison.locator("tbody tr")).to_have_count(2)
    manila = comparison.locator('tr[data-vendor="manila-bpo"]')
    pune = comparison.locator('tr[data-vendor="pune-cx"]')
    expect(manila.locator("td").first).to_have_text("60")  # the browser fixture's 59 plus the persona seed
    expect(pune.locator("td").first).to_have_text("1")
    expect(manila.locator(".cem-breakdown")).to_contain_text("customer outcome")
    expect(manila.locator(".cem-breakdown .cem-components").first).to_contain_text("fcr")  # components beside pillars
    expect(page.locator("#chart-cem .main-svg").first).to_be_attached()  # plotly drew the chart locally

    manila.get_by_role("link", name="interactions").click()
    expect(page).to_have_url(f"{live_server}/interactions?vendor=manila-bpo&date_from=2026-10-01&date_to=2026-10-31")
    expect(page.get_by_role("heading", name="Interactions")).to_contain_text("60")
    expect(page.locator("#interaction-table")).not_to_contain_text("pune-cx")
    page.locator("#interaction-table tbody tr a").first.click()
    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()


def test_vendor_staff_compare_only_their_own_vendor(page, live_server):
    log_in(page, live_server, "acme-pune-lead")
    page.goto(f"{live_server}/dashboards/vendors?from=2026-10-01&to=2026-10-31")
    expect(page.locator("#vendor-comparison tbody tr")).to_have_count(1)
    expect(page.locator("#vendor-comparison")).not_to_contain_text("manila-bpo")


def test_brand_manager_sets_the_fcr_window_and_vendor_staff_only_read_it(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.goto(f"{live_server}/dashboards?from=2026-10-01&to=2026-10-31")
    window = page.get_by_label("Repeat window in days")
    expect(window).to_have_value("7")
    window.fill("12")
    page.get_by_role("button", name="Recount").click()
    expect(page.get_by_label("Repeat window in days")).to_have_value("12")

    log_in(page, live_server, "acme-pune-lead")
    page.goto(f"{live_server}/dashboards?from=2026-10-01&to=2026-10-31")
    expect(page.locator("#fcr-window")).to_contain_text("within 12 days")
    expect(page.get_by_role("button", name="Recount")).to_have_count(0)
