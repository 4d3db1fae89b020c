"""The demo's consent decisions: seeded, complete per customer, mostly granting quality analytics."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from trustdesk.core.privacy.consent import ConsentDecision, ConsentPurpose
from trustdesk.demo.consents import demo_consents
from trustdesk.demo.operation import build_operation


def test_consents_are_seeded_precede_the_operation_and_mostly_allow_scoring():
    operation = build_operation(3, end=date(2026, 10, 31), interactions=200, customers=400)
    decisions = demo_consents(operation, 3)
    assert decisions == demo_consents(operation, 3)
    opening = datetime.combine(operation.start, time(9), tzinfo=timezone.utc)
    assert all(decision.record.at < opening for decision in decisions)
    analytics = [d.record for d in decisions if d.record.purpose is ConsentPurpose.QUALITY_ANALYTICS]
    assert len(analytics) == len(operation.customers)
    granted = sum(d.decision is ConsentDecision.GRANTED for d in analytics) / len(analytics)
    assert 0.8 < granted < 0.95
    assert any(d.decision is ConsentDecision.WITHDRAWN for d in analytics)
