"""Pages in headless Chromium: break adherence and privacy-training standing on the workforce fairness view
with its configurable limits, the agent's workforce page, OLA clocks on the SLA queue and breach list,
hand-offs answered and made from the case page, and suggested duplicate customers merged or dismissed."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.support import log_in
from tests.factories import NOW, interaction
from trustdesk.contracts.interaction import InteractionIn
from trustdesk.core.model import Priority
from trustdesk.services import breaks, directory, ola
from trustdesk.services.ingest import ingest_interactions
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.services.privacy_keys import open_keyring
from trustdesk.services.training import TrainingInput, load_training_records
from trustdesk.storage import tables as t

pytestmark = pytest.mark.browser


@pytest.fixture
def sqlite_engine_with_personas(sqlite_engine_with_personas, tmp_path):
    """The shared browser data plus agent-7's shift with a break plan half taken, privacy training that expires
    in ten days, a case handed between teams long ago and never answered, and two records of one customer."""
    engine = sqlite_engine_with_personas
    # The server opens the same key file, so the customers' fields stored here are readable by it.
    keyring = open_keyring(tmp_path / "master.key", now=NOW, on_create=lambda _path: None)
    now = datetime.now(UTC)
    customer = {"name": "Dana Whitfield", "email": "dana.whitfield@example.com", "country": "US"}
    handed = [
        interaction(external_id="ola-1", case={"external_id": "case-ola", "purpose": "billing", "priority": "high"},
                    customer={"external_id": "cust-9", **customer, "phone": "+1 415 555 0134"}),
        interaction(external_id="dm-1", channel="social", customer={"external_id": "cust-dm", **customer,
                                                                    "name": "Dana Whitfeld"}),
    ]
    with engine.begin() as connection:
        ingest_interactions(connection, [InteractionIn.model_validate(item).to_domain() for item in handed],
                            steps=default_ingest_steps(), now=NOW, may_create_brands=False, keyring=keyring)
        acme = connection.execute(sa.select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
        vendors = dict(connection.execute(sa.select(t.vendors.c.key, t.vendors.c.id)).all())
        connection.execute(t.agents.update().where(t.agents.c.external_id == "agent-7").values(
            country="PH", time_zone="Asia/Manila", shift_start="08:00", shift_end="17:00"))
        care = directory.save_team(connection, brand_id=acme, vendor_id=vendors["manila-bpo"], key="manila-care",
                                   name="Manila care")
        directory.save_team(connection, brand_id=acme, vendor_id=vendors["pune-cx"], key="pune-billing",
                            name="Pune billing")
        connection.execute(t.agents.update().where(t.agents.c.external_id == "agent-7").values(team_id=care))
        agent = breaks.find_break_agent(connection, None, brand_id=acme, agent_external_id="agent-7")
        shift = datetime(2026, 10, 20, 0, 0, tzinfo=UTC)  # 08:00 Manila
        breaks.import_agent_breaks(
            connection, agent, now=now,
            plans={date(2026, 10, 20): [breaks.PlannedBreak(shift + timedelta(hours=2), 15),
                                        breaks.PlannedBreak(shift + timedelta(hours=4), 30)]},
            taken=[(shift + timedelta(hours=2, minutes=5), shift + timedelta(hours=2, minutes=20))])
        load_training_records(connection, [TrainingInput(course="privacy", completed_at=now - timedelta(days=355),
                                                         expires_at=now + timedelta(days=10), brand="acme",
                                                         agent="agent-7")], actor=None, origin="test", now=now)
        ola.save_ola_target(connection, None, brand_id=acme, from_team="manila-care", to_team="pune-billing",
                            priority=Priority.HIGH, target_minutes=60, now=now)
        case = connection.execute(sa.select(t.cases).where(t.cases.c.external_id == "case-ola")).mappings().one()
        ola.hand_off_case(connection, None, case, to_team="pune-billing", from_team=None, note="refund dispute",
                          now=now - timedelta(days=3))
    return engine


def test_workforce_view_shows_breaks_and_training_with_configurable_limits(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.goto(f"{live_server}/workforce?days=400")
    row = page.locator("#agent-wellbeing tbody tr[data-agent='agent-7']")
    expect(row.locator("td.breaks")).to_have_text("1/2 (50%)")
    expect(row).to_contain_text("took 50% of scheduled breaks (minimum 90%)")
    expect(row.locator(".training")).to_have_class("training expiring")
    expect(page.locator("#vendor-wellbeing tbody tr").filter(has_text="manila-bpo").locator("td.breaks")).to_have_text("1/2 (50%)")
    page.get_by_label("Min break adherence").fill("0.4")
    page.get_by_role("button", name="Apply limits").click()
    expect(page).to_have_url(f"{live_server}/workforce?days=400&max_occupancy=0.85&max_after_hours_share=0.3"
                             "&max_night_share=0.25&max_consecutive_days=6&min_break_adherence=0.4"
                             "&max_difficult_contact_share=0.2")
    row = page.locator("#agent-wellbeing tbody tr[data-agent='agent-7']")
    expect(row).not_to_contain_text("scheduled breaks")
    expect(page.get_by_label("Min break adherence")).to_have_value("0.4")
    row.get_by_role("link", name="agent-7").click()
    expect(page.get_by_role("heading", name="Privacy training")).to_be_visible()
    expect(page.locator("#privacy-training p")).to_contain_text("Expires on")
    expect(page.locator("#training-records tbody tr")).to_have_count(1)
    expect(page.locator("#agent-breaks h2")).to_contain_text("1 of 2 scheduled breaks taken")


def test_sla_queue_shows_ola_clocks_and_the_breach_list(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.get_by_role("link", name="SLA queue").click()
    row = page.locator("#sla-queue tbody tr").filter(has_text="case-ola")
    expect(row.locator(".ola-clocks")).to_contain_text("pune-billing owes manila-care")
    expect(row.locator(".ola-clocks .clock-state")).to_have_class("clock-state breached")
    page.locator("#breach-list").click()
    expect(page.get_by_role("heading", name="SLA queue")).to_contain_text("breaches only")
    expect(page.locator("#sla-queue tbody tr").filter(has_text="case-ola")).to_have_count(1)
    page.get_by_role("link", name="case-ola").click()
    handoffs = page.locator("#team-handoffs tbody tr")
    expect(handoffs).to_have_count(1)
    expect(handoffs).to_contain_text("manila-care → pune-billing")
    expect(handoffs.locator(".clock-state")).to_have_text("breached")


def test_duplicates_are_listed_with_their_reason_and_merged_on_confirmation(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.get_by_role("link", name="Duplicates").click()
    pair = page.locator("#duplicate-pairs tbody tr[data-pair='cust-9|cust-dm']")
    expect(pair.locator(".reason")).to_contain_text("same email; names")
    expect(page.locator("#duplicate-pairs")).not_to_contain_text("example.com")
    pair.get_by_role("button", name="Merge").click()
    expect(page.locator("#merges li").first).to_contain_text("cust-dm → cust-9 by acme-manager")
    expect(page.locator("#duplicate-pairs tbody tr")).to_have_text("No suggested duplicates.")


def test_a_suggestion_judged_to_be_two_people_is_dismissed_and_can_come_back(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.get_by_role("link", name="Duplicates").click()
    pair = page.locator("#duplicate-pairs tbody tr[data-pair='cust-9|cust-dm']")
    pair.get_by_label("Why they differ").fill("different people, shared family email")
    pair.get_by_role("button", name="Dismiss").click()
    expect(page.locator("#duplicate-pairs tbody tr")).to_have_text("No suggested duplicates.")
    expect(page.locator("#dismissals li").first).to_contain_text(
        "cust-9 ≠ cust-dm by acme-manager")
    page.locator("#dismissals").get_by_role("button", name="Suggest again").click()
    expect(page.locator("#duplicate-pairs tbody tr[data-pair='cust-9|cust-dm']")).to_have_count(1)
    expect(page.locator("#dismissals li")).to_have_text("None dismissed.")


def test_a_supervisor_answers_a_hand_off_and_hands_the_case_on_from_its_page(page, live_server):
    log_in(page, live_server, "acme-manila-lead")
    page.goto(f"{live_server}/cases/acme/case-ola")
    handoffs = page.locator("#team-handoffs tbody tr")
    handoffs.first.get_by_role("button", name="Mark answered").click()
    expect(handoffs.first.get_by_role("button", name="Mark answered")).to_have_count(0)
    expect(handoffs.first.locator("td").nth(3)).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}T"))  # answered now

    page.get_by_label("Hand to team").select_option("manila-care")
    page.get_by_label("Note").fill("customer asks for the refund reference")
    page.get_by_role("button", name="Hand off").click()
    expect(page.get_by_role("alert")).to_contain_text("already with this team")  # its last agent is in manila-care
    page.get_by_label("Hand to team").select_option("pune-billing")
    page.get_by_label("Note").fill("customer asks for the refund reference")
    page.get_by_role("button", name="Hand off").click()
    expect(handoffs).to_have_count(2)
    expect(handoffs.nth(1)).to_contain_text("customer asks for the refund reference")
    expect(handoffs.nth(1).get_by_role("button", name="Mark answered")).to_have_count(1)


def test_a_supervisor_logs_a_break_in_the_agents_local_time(page, live_server):
    log_in(page, live_server, "acme-manila-lead")
    page.goto(f"{live_server}/workforce/agents/agent-7?days=400")
    expect(page.locator("#agent-breaks h2")).to_contain_text("1 of 2 scheduled breaks taken")
    expect(page.locator("#log-break")).to_contain_text("Asia/Manila")
    page.get_by_label("Break started").fill("2026-10-20T12:02")  # the 30-minute break planned at 12:00 Manila
    page.get_by_label("Minutes").fill("30")
    page.get_by_role("button", name="Log break").click()
    expect(page.locator("#agent-breaks h2")).to_contain_text("2 of 2 scheduled breaks taken")
    expect(page.locator("#agent-breaks")).to_contain_text("2026-10-20T04:02:00Z")
    page.get_by_label("Break started").fill("2026-10-20T12:10")
    page.get_by_label("Minutes").fill("10")
    page.get_by_role("button", name="Log break").click()
    expect(page.get_by_role("alert")).to_contain_text("overlaps the break logged from 2026-10-20T04:02:00Z")
