"""A customer answers a survey link on a phone; a brand manager reads vendor alerts and works the checklist and
the follow-up the detractor answer opened."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.factories import NOW, interaction
from trustdesk.contracts.interaction import InteractionIn
from trustdesk.services import accounts, feedback, governance
from trustdesk.services.ingest import ingest_interactions
from trustdesk.services.pipeline import default_ingest_steps

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def survey_token(sqlite_engine_with_personas) -> str:
    engine = sqlite_engine_with_personas
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        record = InteractionIn.model_validate(interaction(external_id="call-phone-survey", survey=None)).to_domain()
        [result] = ingest_interactions(connection, [record], steps=default_ingest_steps(), now=NOW, may_create_brands=False)
        manager = accounts.authenticate(connection, username="acme-manager", password="correct horse")
        return feedback.issue_survey_link(connection, manager, interaction_id=result.id, now=now).token


@pytest.fixture
def registered_vendors(sqlite_engine_with_personas) -> None:
    today = date.today()
    with sqlite_engine_with_personas.begin() as connection:
        manager = accounts.authenticate(connection, username="acme-manager", password="correct horse")
        for vendor, legal_name, certifications in [
            ("manila-bpo", "Manila Contact Solutions Inc.",
             [{"name": "ISO 27001", "expires_on": today + timedelta(days=240)}, {"name": "PCI DSS", "expires_on": today + timedelta(days=21)}]),
            ("pune-cx", "Pune CX Services Pvt. Ltd.", [{"name": "ISO 27001", "expires_on": today - timedelta(days=12)}]),
        ]:
            governance.register_vendor(connection, manager, brand_key=None, vendor_key=vendor, now=datetime.now(timezone.utc),
                                       registration=governance.registration_from_mapping({
                                           "legal_name": legal_name, "countries": ["PH"], "certifications": certifications,
                                           "agreements": [{"kind": "data_processing", "signed_on": today - timedelta(days=400)}],
                                           "sla_targets": [{"priority": "urgent", "first_response_minutes": 5, "resolution_minutes": 240}]}))


def _log_in(page, live_server, username: str, path: str) -> None:
    page.goto(f"{live_server}{path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}{path}")


def test_a_customer_answers_the_survey_on_a_phone_and_the_supervisor_sees_the_follow_up(page, live_server, survey_token):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/survey/{survey_token}")
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
    # Nothing wider than the phone's screen: no sideways scrolling to reach a button.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    nps_options = page.locator(".scale-nps .scale-option")
    expect(nps_options).to_have_count(11)
    for box in (nps_options.nth(i).bounding_box() for i in range(11)):
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 40
    page.get_by_label("CSAT 2").check()
    page.get_by_label("NPS 3").check()
    page.get_by_label("CES 2").check()
    page.get_by_label("Anything else").fill("I had to call three times.")
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    page.goto(f"{live_server}/survey/{survey_token}")
    expect(page.get_by_role("alert")).to_contain_text("already been answered")

    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server, "acme-manila-lead", "/feedback/follow-ups")
    row = page.locator("#follow-up-table tbody tr").first
    expect(row).to_contain_text("detractor")
    expect(row).to_contain_text("NPS 3, CSAT 2")
    row.get_by_label("Note for task").fill("Called the customer back, bill corrected")
    row.get_by_label("Status of task").select_option("done")
    row.get_by_role("button", name="Save").click()
    expect(page.locator("#follow-up-table tbody tr").first.locator(".badge.done")).to_have_text("done")


def test_a_forged_survey_link_shows_a_clear_message(page, live_server, survey_token):
    page.set_viewport_size(PHONE)
    response = page.goto(f"{live_server}/survey/{survey_token[:-3]}xyz")
    assert response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("not valid")


def test_the_vendor_registry_shows_document_alerts_and_the_checklist_records_evidence(page, live_server, registered_vendors):
    _log_in(page, live_server, "acme-manager", "/vendors")
    alerts = page.locator("#document-alerts li")
    expect(alerts).to_have_count(2)
    expect(alerts.nth(0)).to_contain_text("expired")
    expect(alerts.nth(0)).to_contain_text("pune-cx")
    expect(alerts.nth(1)).to_contain_text("expiring")
    expect(alerts.nth(1)).to_contain_text("PCI DSS")
    expect(page.locator("#vendor-table tbody tr")).to_have_count(2)
    page.get_by_label("Alert window (days)").fill("365")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#document-alerts li")).to_have_count(3)
    page.get_by_role("link", name="manila-bpo").click()
    expect(page.get_by_role("heading", name="Manila Contact Solutions Inc.")).to_be_visible()
    row = page.locator("#checklist tbody tr", has_text="Data-processing agreement signed")
    row.get_by_label("Status of dpa_signed").select_option("done")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("needs an evidence note")
    row = page.locator("#checklist tbody tr", has_text="Data-processing agreement signed")
    row.get_by_label("Status of dpa_signed").select_option("done")
    row.get_by_label("Evidence for dpa_signed").fill("DPA v3 signed, annex B lists sub-processors")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Due-diligence checklist")).to_contain_text("1 of 10 done")
    expect(page.locator("#checklist tbody tr", has_text="Data-processing agreement signed")).to_contain_text("acme-manager")


def test_vendor_staff_see_only_their_own_vendor_in_the_registry(page, live_server, registered_vendors, sqlite_engine_with_personas):
    from trustdesk.core.model import Role

    with sqlite_engine_with_personas.begin() as connection:
        accounts.create_user(connection, username="pune-vendor-manager", password="correct horse", role=Role.VENDOR_MANAGER,
                             brand_key="acme", vendor_key="pune-cx", now=NOW)
    _log_in(page, live_server, "pune-vendor-manager", "/vendors")
    expect(page.locator("#vendor-table tbody tr")).to_have_count(1)
    expect(page.locator("#vendor-table")).not_to_contain_text("manila-bpo")
    response = page.goto(f"{live_server}/vendors/manila-bpo")
    assert response.status == 404
