from __future__ import annotations

from datetime import date

import pytest

from trustdesk.core.workforce.vendors import AlertState, DocumentKind, VendorDocument, document_alerts

TODAY = date(2026, 11, 23)


def _doc(name: str, expires_on: date | None, vendor: str = "manila-bpo") -> VendorDocument:
    return VendorDocument(vendor, DocumentKind.CERTIFICATION, name, expires_on)


def test_expired_and_expiring_documents_most_urgent_first():
    documents = [_doc("ISO 27001", date(2027, 7, 21)), _doc("PCI DSS", date(2026, 12, 14)),
                 _doc("ISO 27001", date(2026, 11, 11), vendor="pune-cx"), _doc("NDA", None)]
    alerts = document_alerts(documents, today=TODAY, within_days=30)
    assert [(a.document.vendor, a.document.name, a.state, a.days_left) for a in alerts] == [
        ("pune-cx", "ISO 27001", AlertState.EXPIRED, -12),
        ("manila-bpo", "PCI DSS", AlertState.EXPIRING, 21),
    ]


@pytest.mark.parametrize("expires_on, within, state", [
    (date(2026, 11, 23), 30, AlertState.EXPIRED),   # expiring today means no longer valid today
    (date(2026, 11, 24), 0, None),
    (date(2026, 11, 24), 1, AlertState.EXPIRING),
    (date(2026, 12, 23), 30, AlertState.EXPIRING),
    (date(2026, 12, 24), 30, None),
])
def test_window_edges(expires_on, within, state):
    alerts = document_alerts([_doc("PCI DSS", expires_on)], today=TODAY, within_days=within)
    assert [a.state for a in alerts] == ([state] if state else [])


def test_a_negative_window_is_refused():
    with pytest.raises(ValueError, match="within_days"):
        document_alerts([], today=TODAY, within_days=-1)
