"""The demo operation fills each brand's vendor registry, so the alerts CLI has real documents to report."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

from typer.testing import CliRunner

from trustdesk.cli.main import app
from trustdesk.demo.operation import build_operation
from trustdesk.demo.vendor_registry import store_vendor_registry


def test_demo_vendors_carry_their_documents_and_alerts(engine, personas, monkeypatch):
    operation = build_operation(7, end=date.today(), interactions=1, customers=1)
    with engine.begin() as connection:
        store_vendor_registry(connection, operation, now=datetime.now(timezone.utc))
    monkeypatch.setenv("TRUSTDESK_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(app, ["vendors", "alerts", "--brand", "acme", "--within-days", "30", "--format", "json"])
    alerts = {(a["vendor"], a["name"]): (a["state"], a["days_left"]) for a in json.loads(result.output)}
    assert alerts[("manila-bpo", "PCI DSS")] == ("expiring", 21)
    assert alerts[("pune-cx", "ISO 27001")] == ("expired", -12)
    assert result.exit_code == 1  # an expired certificate fails the check
    with engine.begin() as connection:  # loading the demo twice keeps one registration per brand and vendor
        store_vendor_registry(connection, operation, now=datetime.now(timezone.utc))
    again = CliRunner().invoke(app, ["vendors", "alerts", "--brand", "acme", "--format", "json"])
    assert json.loads(again.output) == json.loads(result.output)
