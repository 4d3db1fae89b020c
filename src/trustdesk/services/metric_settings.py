"""A brand's metric settings as its staff change them: the repeat-contact (FCR) window, audited.

Changing the window recounts every repeat flag of the brand, so it rebuilds the brand's facts and rollups
(``services.metrics_rollups``) in the same transaction as the audit entry that records who changed it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from trustdesk.core.model import Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services.audit import record_write
from trustdesk.services.directory import brand_key_by_id
from trustdesk.services.metrics_rollups import (
    MAX_WINDOW_DAYS,
    MIN_WINDOW_DAYS,
    repeat_contact_window_days,
    set_repeat_contact_window,
)
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import FieldError, require_role

# The brand decides how its vendors' first-contact resolution is counted; vendor staff only read it.
SETTINGS_WRITERS = frozenset({Role.ADMIN, Role.BRAND_MANAGER})
SETTINGS_READERS = SETTINGS_WRITERS | {Role.VENDOR_MANAGER, Role.SUPERVISOR, Role.QA_ANALYST}


def metric_settings(connection: Connection, viewer: Viewer, *, brand_id: int) -> dict:
    require_role(viewer, SETTINGS_READERS, "read metric settings")
    return {"repeat_contact_window_days": repeat_contact_window_days(connection, brand_id),
            "allowed_days": [MIN_WINDOW_DAYS, MAX_WINDOW_DAYS]}


def change_repeat_contact_window(connection: Connection, viewer: Viewer | None, *, brand_id: int, days: int,
                                 now: datetime) -> dict:
    """Set the window, rebuild the brand's facts and rollups, audit it; ``viewer`` None: the command line."""
    if viewer is not None:
        require_role(viewer, SETTINGS_WRITERS, "change metric settings")
        if viewer.vendor_id is not None:
            require_role(viewer, {Role.ADMIN}, "change metric settings as vendor staff")
    before = repeat_contact_window_days(connection, brand_id)
    try:
        counted = set_repeat_contact_window(connection, brand_id=brand_id, days=days, now=now)
    except ValueError as error:
        raise FieldError("$.repeat_contact_window_days", str(error)) from error
    brand_key = brand_key_by_id(connection, brand_id)
    record_write(connection, viewer, event_type=AuditEventType.POLICY_CHANGE, at=now, brand_id=brand_id,
                 resource=f"metric_settings:{brand_key}",
                 reason=f"repeat-contact window {before} -> {days} day(s); {counted} interaction(s) recounted")
    return {"repeat_contact_window_days": days, "recounted_interactions": counted}
