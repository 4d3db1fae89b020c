"""QA pages in headless Chromium: the queue worst first, reviewing with highlighted evidence, the agent's
transparent view and dispute, a calibration session and the fairness report."""
from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.support import log_in
from tests.factories import NOW, create_personas
from tests.integration.quality_support import create_agent_user, scored_interaction, store
from trustdesk.services import quality_calibration
from trustdesk.services.accounts import viewer_for_user_id
from trustdesk.storage.db import create_database_engine

pytestmark = pytest.mark.browser


@pytest.fixture
def sqlite_engine_with_personas(sqlite_template, tmp_path):
    """Personas, eight scored acme interactions of agent-7 (three without a greeting), an agent user and
    a calibration session over the first four."""
    path = tmp_path / "quality.db"
    shutil.copy(sqlite_template, path)
    engine = create_database_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        create_personas(connection)
    ids = store(engine, [scored_interaction(f"qa-{n}", day=1 + n, greets=n % 3 != 0) for n in range(8)])
    create_agent_user(engine, "agent-7-user", "agent-7")
    with engine.begin() as connection:
        qa = viewer_for_user_id(connection, connection.exec_driver_sql(
            "SELECT id FROM users WHERE username = 'acme-qa'").scalar_one())
        quality_calibration.create_session(connection, qa, brand_id=qa.brand_id, name="October calibration",
                                           interaction_ids=[ids[f"qa-{n}"] for n in range(4)], now=NOW)
    yield engine
    engine.dispose()


def _log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def _scores(page) -> list[float]:
    return [float(text) for text in page.locator("#queue-table tbody tr td:first-child").all_inner_texts()]


def test_analyst_reviews_the_worst_interaction_with_highlighted_evidence(page, live_server):
    log_in(page, live_server, "acme-qa")
    page.get_by_role("link", name="Quality").click()
    expect(page.get_by_role("heading", name="QA queue")).to_contain_text("8 scored")
    scores = _scores(page)
    assert scores == sorted(scores) and scores[0] < scores[-1]  # worst first
    page.locator("#queue-table tbody tr a").first.click()
    expect(page.locator("mark.evidence").first).to_be_visible()
    expect(page.locator(".turn.evidence").first).to_be_visible()
    page.get_by_label("Override empathy").select_option("fail")
    page.get_by_label("Reason for empathy").fill("the apology sounded scripted")
    page.get_by_label("Coaching note for the agent").fill("Name the customer's frustration first.")
    page.get_by_role("button", name="Save review").click()
    empathy = page.locator('#criteria-table tr[data-criterion="empathy"]')
    expect(empathy.locator(".result")).to_have_text("fail")
    expect(empathy.locator(".source")).to_contain_text("human · acme-qa")
    expect(empathy.locator(".source")).to_contain_text("the apology sounded scripted")
    expect(page.locator("#effective-score")).to_contain_text("human")
    expect(page.locator("#reviews")).to_contain_text("Name the customer's frustration first.")


def test_an_override_without_a_reason_is_refused_and_nothing_changes(page, live_server):
    log_in(page, live_server, "acme-qa")
    page.goto(f"{live_server}/quality")
    page.locator("#queue-table tbody tr a").first.click()
    page.get_by_label("Override greeting").select_option("pass")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("alert")).to_contain_text("needs a reason")
    expect(page.locator("#effective-score")).to_contain_text("automatic")


def test_agent_sees_who_reviewed_and_disputes_then_a_reviewer_decides(page, live_server):
    log_in(page, live_server, "acme-qa")
    page.goto(f"{live_server}/quality")
    page.locator("#queue-table tbody tr a").first.click()
    review_url = page.url
    page.get_by_label("Coaching note for the agent").fill("Close with a clear next step.")
    page.get_by_role("button", name="Save review").click()
    expect(page.locator("#reviews")).to_contain_text("acme-qa")
    _log_out(page)

    log_in(page, live_server, "agent-7-user")
    page.goto(review_url)
    expect(page.locator("#reviews")).to_contain_text("acme-qa")
    expect(page.locator("#reviews")).to_contain_text("Close with a clear next step.")
    expect(page.get_by_role("button", name="Save review")).to_have_count(0)  # agents cannot edit scores
    page.get_by_label("Why do you dispute this score?").fill("I did give a next step in turn 2.")
    page.get_by_role("button", name="Dispute score").click()
    expect(page.locator("#disputes")).to_contain_text("open")
    expect(page.locator("#disputes")).to_contain_text("I did give a next step in turn 2.")
    _log_out(page)

    log_in(page, live_server, "acme-qa")
    page.goto(f"{live_server}/quality")
    expect(page.locator("#open-disputes")).to_contain_text("agent-7-user")
    page.goto(review_url)
    page.get_by_label("Decision", exact=True).select_option("rejected")
    page.get_by_label("Decision note").fill("No owner or time was given.")
    page.get_by_role("button", name="Decide dispute").click()
    expect(page.locator("#disputes")).to_contain_text("rejected")
    expect(page.locator("#disputes")).to_contain_text("Decided by acme-qa")


def test_calibration_session_shows_kappa_after_rating(page, live_server):
    log_in(page, live_server, "acme-qa")
    page.goto(f"{live_server}/quality/calibrations")
    page.get_by_role("link", name="October calibration").click()
    expect(page.locator("#agreement")).to_contain_text("No ratings yet")
    page.locator(".calibration-item").first.get_by_role("button", name="Save rating").click()
    table = page.locator('table.agreement[data-raters="acme-qa|automatic"]')
    expect(table).to_be_visible()
    expect(table.locator('tr[data-criterion="greeting"] td').nth(1)).to_have_text("1")


def test_fairness_report_lists_vendor_site_and_language(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.goto(f"{live_server}/quality/fairness")
    expect(page.locator('#fairness-vendor tr[data-group="manila-bpo"]')).to_contain_text("8")
    expect(page.locator('#fairness-vendor tr[data-group="manila-bpo"] .disagreement')).to_have_text("not reviewed")
    expect(page.locator('#fairness-language tr[data-group="en"]')).to_be_visible()
    expect(page.locator('#fairness-site tr[data-group="manila-bpo"]')).to_be_visible()
