"""Operations pages in headless Chromium: the agent's case page with its hand-off packet, the supervisor's
SLA queue, the workforce fairness view and the staffing/coverage view."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import log_in
from tests.factories import NOW, interaction
from trustdesk.contracts.interaction import InteractionIn
from trustdesk.core.model import Priority, Role
from trustdesk.services import accounts, sla
from trustdesk.services.ingest import ingest_interactions
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.storage import tables as t

pytestmark = pytest.mark.browser

HANDOFF_TURNS = [
    {"speaker": "customer", "text": "My router keeps dropping the connection every evening.", "offset_seconds": 0.0},
    {"speaker": "agent", "text": "I have reset your line from our side.", "offset_seconds": 20.0},
    {"speaker": "agent", "text": "I will transfer you to technical support, they will call you back by Friday.",
     "offset_seconds": 40.0},
]


@pytest.fixture
def sqlite_engine_with_personas(sqlite_engine_with_personas):
    """The shared browser data plus a case handed from manila-bpo to pune-cx, contracts, shifts and an agent login."""
    engine = sqlite_engine_with_personas
    case = {"external_id": "case-handoff", "purpose": "technical_support", "priority": "high", "status": "open"}
    batch = [
        interaction(external_id="ho-1", case=case, turns=HANDOFF_TURNS, agent={"external_id": "agent-7"},
                    started_at="2026-10-20T09:00:00Z", ended_at="2026-10-20T09:05:00Z"),
        interaction(external_id="ho-2", case=case, vendor="pune-cx", agent={"external_id": "agent-pune"},
                    started_at="2026-10-20T09:10:00Z", ended_at="2026-10-20T09:15:00Z",
                    turns=[{"speaker": "agent", "text": "Hello, how can I help?", "offset_seconds": 0.0},
                           {"speaker": "customer", "text": "My router keeps dropping the connection.",
                            "offset_seconds": 5.0}]),
    ]
    with engine.begin() as connection:
        ingest_interactions(connection, [InteractionIn.model_validate(item).to_domain() for item in batch],
                            steps=default_ingest_steps(), now=NOW, may_create_brands=False)
        acme = connection.execute(t.brands.select().where(t.brands.c.key == "acme")).first().id
        for vendor in ("manila-bpo", "pune-cx"):
            for priority in Priority:
                sla.save_sla_contract(connection, None, brand_id=acme, vendor_key=vendor, priority=priority,
                                      first_response_minutes=15, next_response_minutes=15, resolution_minutes=240,
                                      opens=None, closes=None, now=NOW)
        connection.execute(t.agents.update().where(t.agents.c.external_id == "agent-7").values(
            country="PH", time_zone="Asia/Manila", shift_start="08:00", shift_end="17:00", languages={"en": 5}))
        connection.execute(t.agents.update().where(t.agents.c.external_id == "agent-pune").values(
            country="IN", time_zone="Asia/Kolkata", shift_start="22:00", shift_end="06:00", languages={"en": 4}))
        accounts.create_user(connection, username="pune-agent", password="correct horse", role=Role.AGENT,
                             brand_key="acme", vendor_key="pune-cx", agent_external_id="agent-pune", now=NOW)
    return engine


def test_receiving_agent_sees_the_handoff_packet_and_clocks(page, live_server):
    log_in(page, live_server, "pune-agent")
    page.goto(f"{live_server}/cases/acme/case-handoff")
    packet = page.locator(".handoff-packet")
    expect(packet).to_have_count(1)
    expect(packet.locator("h3")).to_contain_text("agent-7 (manila-bpo) → agent-pune (pune-cx)")
    expect(packet.locator(".packet-issue li")).to_contain_text("My router keeps dropping the connection every evening.")
    expect(packet.locator(".packet-tried li").first).to_contain_text("I have reset your line")
    expect(packet.locator(".packet-promised li").last).to_contain_text("due by Friday")
    expect(page.locator("#sla-clocks")).to_contain_text("resolution")
    resolution = page.locator("#sla-clocks tbody tr").filter(has_text="resolution")
    expect(resolution.locator(".clock-state")).to_have_text("breached")  # opened weeks ago, 4h target
    # the agent sees only their own interaction of the case, not the sending vendor's transcript
    expect(page.locator("section table.data").last.locator("tbody tr")).to_have_count(1)


def test_supervisor_queue_lists_cases_worst_first(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.get_by_role("link", name="SLA queue").click()
    expect(page.get_by_role("heading", name="SLA queue")).to_be_visible()
    rows = page.locator("#sla-queue tbody tr")
    expect(rows.first.locator(".clock-state")).to_have_text("breached")
    expect(page.locator(".summary")).to_contain_text("breached")
    page.get_by_role("link", name="case-handoff").click()
    expect(page.get_by_role("heading", name="Case case-handoff")).to_be_visible()


def test_workforce_view_shows_vendors_agents_and_flags(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.goto(f"{live_server}/workforce?days=400")
    expect(page.get_by_role("heading", name="Workforce fairness and wellbeing")).to_be_visible()
    vendors = page.locator("#vendor-wellbeing tbody tr")
    expect(vendors.filter(has_text="manila-bpo")).to_have_count(1)
    # agent-7 handled 60+ contacts on a handful of days: occupancy is computed and shown
    expect(page.locator("#agent-wellbeing tbody tr").filter(has_text="agent-7").locator("td").nth(3)).to_contain_text("%")
    expect(page.locator("#recognition-praise")).to_contain_text("Quick and kind.")


def test_staffing_view_shows_erlang_needs_and_coverage_gaps(page, live_server):
    log_in(page, live_server, "acme-manager")
    page.get_by_role("link", name="Staffing").click()
    expect(page.get_by_role("heading", name="Staffing and 24/7 coverage")).to_be_visible()
    # Manila 08-17 (00-09 UTC) and Kolkata 22-06 (16:30-00:30 UTC) leave a daily gap around 09-16 UTC
    expect(page.locator("#uncovered li").first).to_contain_text("T09:00:00Z")
    expect(page.locator("#language-gaps")).to_contain_text("en")
