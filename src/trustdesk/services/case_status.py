"""A case's status set by staff: kept as a change (so time waiting on the customer pauses the clocks), audited,
and counted in the metrics in the same transaction, since escalation rate and SLA adherence read it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from trustdesk.core.model import CaseStatus
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services.audit import record_write
from trustdesk.services.metrics_rollups import update_rollups_for_interactions
from trustdesk.services.scope import Viewer
from trustdesk.storage import tables as t
from trustdesk.storage.operations_tables import case_status_changes


def change_case_status(
    connection: Connection, viewer: Viewer, *, case_id: int, status: CaseStatus, reason: str | None, now: datetime,
) -> None:
    """Set the case's status, keep the change, audit it and bring the case's metric facts up to date."""
    connection.execute(insert(case_status_changes).values(case_id=case_id, status=status.value, changed_at=now,
                                                          changed_by=viewer.user_id, reason=reason))
    connection.execute(update(t.cases).where(t.cases.c.id == case_id).values(status=status.value, updated_at=now))
    case = connection.execute(select(t.cases.c.brand_id, t.cases.c.external_id, t.brands.c.key)
                              .join(t.brands, t.brands.c.id == t.cases.c.brand_id).where(t.cases.c.id == case_id)).one()
    record_write(connection, viewer, event_type=AuditEventType.CASE_CHANGE, at=now, brand_id=case.brand_id,
                 resource=f"case:{case.key}/{case.external_id}", case=f"{case.key}/{case.external_id}",
                 reason=f"status set to {status.value}")
    interaction_ids = connection.execute(
        select(t.interactions.c.id).where(t.interactions.c.case_id == case_id)).scalars().all()
    update_rollups_for_interactions(connection, interaction_ids, at=now)
