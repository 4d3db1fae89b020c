"""Incident register: the notification deadline clock."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from trustdesk.core.privacy.incidents import (
    Incident,
    IncidentKind,
    NotificationStatus,
    notification_clock,
    record_notification,
    waive_notification,
)

FOUND = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)
INCIDENT = Incident(incident_id="inc-1", kind=IncidentKind.MISDIRECTED_DATA, discovered_at=FOUND,
                    description="Invoice e-mailed to the wrong customer", affected_customers=("cust-9",))


@pytest.mark.parametrize(
    ("hours_after", "remaining_hours", "overdue"),
    [(0, 72, False), (71, 1, False), (72, 0, False), (73, -1, True)],
)
def test_clock_counts_down_to_72_hours(hours_after: int, remaining_hours: int, overdue: bool) -> None:
    clock = notification_clock(INCIDENT, now=FOUND + timedelta(hours=hours_after))
    assert clock.deadline == FOUND + timedelta(hours=72)
    assert clock.remaining == timedelta(hours=remaining_hours)
    assert clock.is_overdue is overdue


def test_notified_incident_is_no_longer_overdue() -> None:
    notified = record_notification(INCIDENT, at=FOUND + timedelta(hours=80))
    assert notified.notification_status is NotificationStatus.NOTIFIED
    assert not notified.is_notification_overdue(FOUND + timedelta(hours=100))
    with pytest.raises(ValueError, match="before discovery"):
        record_notification(INCIDENT, at=FOUND - timedelta(hours=1))


def test_policy_sets_another_deadline() -> None:
    hipaa = Incident(incident_id="inc-2", kind=IncidentKind.LOST_DEVICE, discovered_at=FOUND, description="",
                     notification_hours=1440)
    assert hipaa.notification_deadline == FOUND + timedelta(days=60)


def test_waiving_needs_a_reason() -> None:
    assert waive_notification(INCIDENT, reason="data was encrypted").notification_status is (
        NotificationStatus.NOT_REQUIRED
    )
    with pytest.raises(ValueError, match="reason"):
        waive_notification(INCIDENT, reason=" ")


@pytest.mark.parametrize(
    ("changes", "message"), [({"discovered_at": datetime(2026, 10, 1)}, "timezone-aware"),
                             ({"notification_hours": 0}, "notification_hours")],
)
def test_invalid_incidents_are_refused(changes: dict[str, object], message: str) -> None:
    fields = {"incident_id": "i", "kind": IncidentKind.BREACH, "discovered_at": FOUND, "description": ""}
    with pytest.raises(ValueError, match=message):
        Incident(**{**fields, **changes})
