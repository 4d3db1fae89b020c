"""Incident register: what happened, when it was discovered, and the notification deadline clock."""
from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

# GDPR Art. 33(1): notify the supervisory authority "not later than 72 hours after having become aware".
DEFAULT_NOTIFICATION_HOURS = 72


class IncidentKind(str, enum.Enum):
    BREACH = "breach"
    MISDIRECTED_DATA = "misdirected_data"
    LOST_DEVICE = "lost_device"
    UNAUTHORIZED_ACCESS = "unauthorized_access"
    OTHER = "other"


class NotificationStatus(str, enum.Enum):
    PENDING = "pending"
    NOTIFIED = "notified"
    NOT_REQUIRED = "not_required"  # assessed as unlikely to risk anyone's rights; the reason is recorded


@dataclass(frozen=True)
class Incident:
    incident_id: str
    kind: IncidentKind
    discovered_at: datetime
    description: str
    affected_customers: tuple[str, ...] = ()
    notification_hours: int = DEFAULT_NOTIFICATION_HOURS
    notification_status: NotificationStatus = NotificationStatus.PENDING
    notified_at: datetime | None = None
    status_reason: str | None = None

    def __post_init__(self) -> None:
        if self.discovered_at.tzinfo is None:
            raise ValueError(f"discovered_at must be timezone-aware, got {self.discovered_at.isoformat()}")
        if self.notification_hours < 1:
            raise ValueError(f"notification_hours must be at least 1, got {self.notification_hours}")

    @property
    def notification_deadline(self) -> datetime:
        """The latest moment the authority may be notified."""
        return self.discovered_at + timedelta(hours=self.notification_hours)

    def time_remaining(self, now: datetime) -> timedelta:
        """Time left until the deadline; negative once it has passed."""
        return self.notification_deadline - now

    def is_notification_overdue(self, now: datetime) -> bool:
        """Whether the notification is still pending after the deadline."""
        return self.notification_status is NotificationStatus.PENDING and now > self.notification_deadline


@dataclass(frozen=True)
class NotificationClock:
    """What the incident page shows: deadline, time left (negative when late), lateness and status."""

    deadline: datetime
    remaining: timedelta
    is_overdue: bool
    status: NotificationStatus


def notification_clock(incident: Incident, *, now: datetime) -> NotificationClock:
    """The clock for ``incident`` at ``now``; it stops counting against anyone once notified."""
    return NotificationClock(
        deadline=incident.notification_deadline,
        remaining=incident.time_remaining(now),
        is_overdue=incident.is_notification_overdue(now),
        status=incident.notification_status,
    )


def record_notification(incident: Incident, *, at: datetime) -> Incident:
    """``incident`` marked as notified at ``at``."""
    if at < incident.discovered_at:
        raise ValueError(f"incident {incident.incident_id}: notified at {at.isoformat()} before discovery")
    return dataclasses.replace(incident, notification_status=NotificationStatus.NOTIFIED, notified_at=at)


def waive_notification(incident: Incident, *, reason: str) -> Incident:
    """``incident`` marked as not requiring notification, with the assessment's reason."""
    if not reason.strip():
        raise ValueError(f"incident {incident.incident_id}: waiving notification needs a reason")
    return dataclasses.replace(
        incident, notification_status=NotificationStatus.NOT_REQUIRED, status_reason=reason
    )
