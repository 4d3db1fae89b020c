"""The closed loop: follow-up tasks opened by detractor answers and complaints, owned by the supervisors of
the agent's vendor, with a due date in business days."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from trustdesk.core.metrics.feedback import add_business_days
from trustdesk.core.model import Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services.audit import record_write
from trustdesk.services.scope import Viewer, scope_vendor_records
from trustdesk.services.tenancy import Conflict, FieldError, NotVisible, as_utc, iso, require_role
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import follow_up_tasks

TASK_READERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR, Role.QA_ANALYST, Role.AUDITOR}
TASK_WORKERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR}


class FollowUpReason(str, enum.Enum):
    DETRACTOR = "detractor"
    COMPLAINT = "complaint"


class TaskStatus(str, enum.Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


def open_follow_up(
    connection: Connection,
    *,
    brand_id: int,
    vendor_id: int,
    interaction_id: int | None,
    complaint_id: int | None,
    reason: FollowUpReason,
    detail: str,
    business_days: int,
    now: datetime,
) -> int:
    return connection.execute(insert(follow_up_tasks).values(
        brand_id=brand_id, vendor_id=vendor_id, interaction_id=interaction_id, complaint_id=complaint_id,
        reason=reason.value, detail=detail, status=TaskStatus.OPEN.value, created_at=now,
        due_at=add_business_days(now, business_days),
    ).returning(follow_up_tasks.c.id)).scalar_one()


_TASK_COLUMNS = (follow_up_tasks, t.brands.c.key.label("brand"), t.vendors.c.key.label("vendor"),
                 t.interactions.c.external_id.label("interaction"))


def _task_query(viewer: Viewer):
    query = (
        select(*_TASK_COLUMNS)
        .join(t.brands, t.brands.c.id == follow_up_tasks.c.brand_id)
        .join(t.vendors, t.vendors.c.id == follow_up_tasks.c.vendor_id)
        .outerjoin(t.interactions, t.interactions.c.id == follow_up_tasks.c.interaction_id)
    )
    return scope_vendor_records(query, follow_up_tasks, viewer)


def _task(row, *, now: datetime) -> dict:
    due_at = as_utc(row.due_at)
    return {
        "id": row.id, "brand": row.brand, "vendor": row.vendor, "reason": row.reason, "detail": row.detail,
        "status": row.status, "note": row.note, "interaction_id": row.interaction_id, "interaction": row.interaction,
        "complaint_id": row.complaint_id, "created_at": iso(row.created_at), "due_at": iso(due_at),
        "closed_at": iso(row.closed_at), "is_overdue": row.status != TaskStatus.DONE.value and due_at < now,
    }


def list_follow_ups(connection: Connection, viewer: Viewer, *, status: str | None, now: datetime) -> list[dict]:
    """Follow-up tasks the viewer may see, open ones first by due date."""
    require_role(viewer, TASK_READERS, "see follow-up tasks")
    query = _task_query(viewer)
    if status is not None:
        query = query.where(follow_up_tasks.c.status == _status(status, path="status").value)
    rows = connection.execute(query.order_by(follow_up_tasks.c.status == TaskStatus.DONE.value,
                                             follow_up_tasks.c.due_at, follow_up_tasks.c.id))
    return [_task(row, now=now) for row in rows]


def get_follow_up(connection: Connection, viewer: Viewer, task_id: int, *, now: datetime) -> dict:
    require_role(viewer, TASK_READERS, "see follow-up tasks")
    row = connection.execute(_task_query(viewer).where(follow_up_tasks.c.id == task_id)).first()
    if row is None:
        raise NotVisible("follow-up task not found")
    return _task(row, now=now)


def update_follow_up(
    connection: Connection, viewer: Viewer, task_id: int, *, status: str, note: str | None, now: datetime
) -> dict:
    """Move a task to in_progress or done with a note; a done task needs the note saying what was done."""
    require_role(viewer, TASK_WORKERS, "work on follow-up tasks")
    current = get_follow_up(connection, viewer, task_id, now=now)
    new_status = _status(status, path="$.status")
    note = (note or "").strip() or None
    if current["status"] == TaskStatus.DONE.value:
        raise Conflict("this follow-up task is already done")
    if new_status is TaskStatus.DONE and note is None and current["note"] is None:
        raise FieldError("$.note", "say what was done before closing the task")
    values: dict = {"status": new_status.value}
    if note is not None:
        values["note"] = note
    if new_status is TaskStatus.DONE:
        values.update(closed_at=now, closed_by=viewer.user_id)
    connection.execute(update(follow_up_tasks).where(follow_up_tasks.c.id == task_id).values(**values))
    brand_id = connection.execute(select(follow_up_tasks.c.brand_id).where(follow_up_tasks.c.id == task_id)).scalar_one()
    record_write(connection, viewer, event_type=AuditEventType.FOLLOW_UP_CHANGE, at=now, brand_id=brand_id,
                 resource=f"follow_up:{task_id}", reason=f"status {current['status']} -> {new_status.value}")
    return get_follow_up(connection, viewer, task_id, now=now)


def _status(value: str, *, path: str) -> TaskStatus:
    try:
        return TaskStatus(value)
    except ValueError as error:
        raise FieldError(path, f"status {value!r} is not one of open, in_progress, done") from error
