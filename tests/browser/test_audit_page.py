"""An auditor browses the audit trail and sees that it is intact, then that an edit is detected."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services.audit import record_audit_event
from trustdesk.storage.audit_tables import audit_entries

pytestmark = pytest.mark.browser


@pytest.fixture
def audited(sqlite_engine_with_personas):
    engine = sqlite_engine_with_personas
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE users SET role = 'auditor' WHERE username = 'acme-qa'"))
        acme = connection.execute(sa.text("SELECT id FROM brands WHERE key = 'acme'")).scalar_one()
        for n in range(3):
            record_audit_event(connection, actor="acme-manila-lead", role="supervisor",
                               event_type=AuditEventType.PERSONAL_DATA_READ, at=datetime(2026, 10, 2, 9, n, tzinfo=timezone.utc),
                               origin="127.0.0.1", resource=f"customer:acme/cust-{n}", customer=f"acme/cust-{n}",
                               fields=("name",), purpose="billing", brand_id=acme)
    return engine


def test_auditor_sees_the_trail_and_a_tampered_entry(page, live_server, audited):
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("acme-qa")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("status")).to_contain_text("Intact: 3 entries")
    expect(page.locator("#audit-table tbody tr")).to_have_count(3)
    expect(page.locator("#audit-table")).to_contain_text("customer:acme/cust-2")
    with audited.begin() as connection:
        connection.execute(sa.update(audit_entries).where(audit_entries.c.entry_id == 2).values(user="someone-else"))
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("audit entry 2 is edited")
