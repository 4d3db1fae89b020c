"""Training records (WRK-2) and the training gate: personal data only for people with current privacy training.

A record belongs to a user account (``username``) or to an agent record (``brand`` + ``agent``); a viewer
linked to an agent record is covered by either. Loading is all or nothing: one bad row stores no row.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, func, insert, or_, select

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.workforce.training import (
    CourseStanding,
    TrainingRecord,
    course_standing,
    is_record_valid_at,
    is_training_current,
)
from trustdesk.services.audit import record_audit_event
from trustdesk.services.scope import Viewer
from trustdesk.storage import tables as t
from trustdesk.storage.access_tables import training_records
from trustdesk.storage.timestamps import as_utc, iso_utc

# The course whose currency unlocks personal fields (the access policy's training gate).
PRIVACY_COURSE = "privacy"
CSV_COLUMNS = ("username", "brand", "agent", "course", "completed_at", "expires_at")
# How early workforce pages warn that someone's privacy training lapses, so a refresher can be booked.
EXPIRY_WARNING = timedelta(days=30)


@dataclass(frozen=True)
class TrainingInput:
    course: str
    completed_at: datetime
    expires_at: datetime | None = None
    username: str | None = None
    brand: str | None = None
    agent: str | None = None


class TrainingInputError(ValueError):
    """A training row is invalid; ``path`` names the row and field (JSON path or CSV line and column)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _parse_time(value: str, *, path: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise TrainingInputError(path, f"{value!r} is not an ISO 8601 date or time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def parse_training_csv(text: str) -> list[TrainingInput]:
    """Rows of a CSV with header ``username,brand,agent,course,completed_at,expires_at`` (blank = none)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in ("course", "completed_at") if column not in (reader.fieldnames or ())]
    if missing:
        raise TrainingInputError("line 1", f"header lacks column(s) {', '.join(missing)}; expected {','.join(CSV_COLUMNS)}")
    rows = []
    for line, row in enumerate(reader, start=2):
        def cell(name: str) -> str | None:
            return (row.get(name) or "").strip() or None

        rows.append(TrainingInput(
            course=cell("course") or "",
            completed_at=_parse_time(cell("completed_at") or "", path=f"line {line}, column completed_at"),
            expires_at=_parse_time(cell("expires_at"), path=f"line {line}, column expires_at") if cell("expires_at") else None,
            username=cell("username"), brand=cell("brand"), agent=cell("agent"),
        ))
    return rows


def load_training_records(
    connection: Connection, rows: Sequence[TrainingInput], *, actor: Viewer | None, origin: str, now: datetime,
    path_of=lambda index, field: f"line {index + 2}, column {field}",
) -> int:
    """Store ``rows`` (all or none); a non-admin ``actor`` may only load records of their own brand."""
    values = []
    for index, row in enumerate(rows):
        row = replace(row, completed_at=as_utc(row.completed_at), expires_at=as_utc(row.expires_at) if row.expires_at else None)
        if not row.course.strip():
            raise TrainingInputError(path_of(index, "course"), "course is required")
        if row.expires_at is not None and row.expires_at <= row.completed_at:
            raise TrainingInputError(path_of(index, "expires_at"), "expires before it was completed")
        user_id, agent_id, brand_id = _subject(connection, row, index=index, path_of=path_of)
        if actor is not None and not actor.is_admin and brand_id != actor.brand_id:
            raise TrainingInputError(path_of(index, "username" if row.username else "brand"),
                                     "you may only load training records of your own brand")
        values.append({"user_id": user_id, "agent_id": agent_id, "course": row.course.strip(),
                       "completed_at": row.completed_at, "expires_at": row.expires_at, "recorded_at": now})
    if values:
        connection.execute(insert(training_records), values)
    record_audit_event(
        connection, actor=actor.username if actor else "cli", role=actor.role.value if actor else "admin",
        event_type=AuditEventType.TRAINING_CHANGE, at=now, origin=origin, resource="training_records",
        brand_id=actor.brand_id if actor else None, reason=f"{len(values)} training record(s) loaded",
    )
    return len(values)


def _subject(connection: Connection, row: TrainingInput, *, index: int, path_of) -> tuple[int | None, int | None, int | None]:
    if row.username and (row.agent or row.brand):
        raise TrainingInputError(path_of(index, "username"), "give either username or brand and agent, not both")
    if row.username:
        user = connection.execute(select(t.users.c.id, t.users.c.brand_id).where(t.users.c.username == row.username)).first()
        if user is None:
            raise TrainingInputError(path_of(index, "username"), f"user {row.username!r} does not exist")
        return user.id, None, user.brand_id
    if not (row.brand and row.agent):
        raise TrainingInputError(path_of(index, "username"), "give a username, or a brand and an agent")
    agent = connection.execute(
        select(t.agents.c.id, t.agents.c.brand_id).join(t.brands, t.brands.c.id == t.agents.c.brand_id)
        .where(t.brands.c.key == row.brand, t.agents.c.external_id == row.agent)
    ).first()
    if agent is None:
        raise TrainingInputError(path_of(index, "agent"), f"agent {row.agent!r} does not exist in brand {row.brand!r}")
    return None, agent.id, agent.brand_id


def _records_of(connection: Connection, viewer: Viewer) -> list[TrainingRecord]:
    owners = [training_records.c.user_id == viewer.user_id]
    if viewer.agent_id is not None:
        owners.append(training_records.c.agent_id == viewer.agent_id)
    rows = connection.execute(
        select(training_records.c.course, training_records.c.completed_at, training_records.c.expires_at)
        .where(or_(*owners))
    )
    return [TrainingRecord(agent=viewer.username, course=row.course, completed_at=as_utc(row.completed_at),
                           expires_at=as_utc(row.expires_at) if row.expires_at else None) for row in rows]


def privacy_training_by_agent(connection: Connection, agent_ids: Collection[int], *, now: datetime
                              ) -> dict[int, CourseStanding]:
    """Each agent's privacy-training standing at ``now``.

    An agent is covered by records kept on the agent record and by records of the user accounts linked to
    it (``users.agent_id``), the same records the training gate accepts when that user reads personal data.
    """
    if not agent_ids:
        return {}
    ids = list(agent_ids)
    owner = func.coalesce(training_records.c.agent_id, t.users.c.agent_id)
    rows = connection.execute(
        select(owner.label("owner"), training_records.c.completed_at, training_records.c.expires_at)
        .select_from(training_records.outerjoin(t.users, t.users.c.id == training_records.c.user_id))
        .where(training_records.c.course == PRIVACY_COURSE, owner.in_(ids))
    )
    records: dict[int, list[TrainingRecord]] = defaultdict(list)
    for row in rows:
        records[row.owner].append(TrainingRecord(
            agent=str(row.owner), course=PRIVACY_COURSE, completed_at=as_utc(row.completed_at),
            expires_at=as_utc(row.expires_at) if row.expires_at else None))
    return {agent_id: course_standing(records.get(agent_id, ()), PRIVACY_COURSE, at=now, expiring_within=EXPIRY_WARNING)
            for agent_id in ids}


def list_agent_training(connection: Connection, *, agent_id: int, now: datetime) -> list[dict]:
    """Every course record covering the agent (on the agent record or a linked user account), newest first."""
    rows = connection.execute(
        select(training_records.c.course, training_records.c.completed_at, training_records.c.expires_at,
               t.users.c.username)
        .select_from(training_records.outerjoin(t.users, t.users.c.id == training_records.c.user_id))
        .where(or_(training_records.c.agent_id == agent_id, t.users.c.agent_id == agent_id))
        .order_by(training_records.c.completed_at.desc(), training_records.c.id.desc())
    )
    items = []
    for row in rows:
        record = TrainingRecord(agent=str(agent_id), course=row.course, completed_at=as_utc(row.completed_at),
                                expires_at=as_utc(row.expires_at) if row.expires_at else None)
        items.append({"course": record.course, "completed_at": iso_utc(record.completed_at),
                      "expires_at": iso_utc(record.expires_at), "via_user": row.username,
                      "current": is_record_valid_at(record, now)})
    return items


def has_current_privacy_training(connection: Connection, viewer: Viewer, *, now: datetime) -> bool:
    """The training gate: whether ``viewer`` holds a privacy training record valid at ``now``."""
    return is_training_current(_records_of(connection, viewer), PRIVACY_COURSE, now)


def list_training_records(connection: Connection, viewer: Viewer, *, now: datetime) -> list[dict]:
    """Training records of the viewer's brand (administrators: all), with whether each is current."""
    query = (
        select(training_records, t.users.c.username, t.agents.c.external_id.label("agent"),
               t.brands.c.key.label("brand"))
        .select_from(
            training_records.outerjoin(t.users, t.users.c.id == training_records.c.user_id)
            .outerjoin(t.agents, t.agents.c.id == training_records.c.agent_id)
            .outerjoin(t.brands, t.brands.c.id == t.agents.c.brand_id)
        )
        .order_by(training_records.c.id)
    )
    if not viewer.is_admin:
        query = query.where(or_(t.users.c.brand_id == viewer.brand_id, t.agents.c.brand_id == viewer.brand_id))
        if viewer.vendor_id is not None:
            query = query.where(or_(t.users.c.vendor_id == viewer.vendor_id, t.agents.c.vendor_id == viewer.vendor_id))
    items = []
    for row in connection.execute(query).mappings():
        completed, expires = as_utc(row["completed_at"]), as_utc(row["expires_at"]) if row["expires_at"] else None
        items.append({
            "username": row["username"], "brand": row["brand"], "agent": row["agent"], "course": row["course"],
            "completed_at": completed.isoformat(), "expires_at": expires.isoformat() if expires else None,
            "current": is_record_valid_at(TrainingRecord(agent="", course=row["course"], completed_at=completed,
                                                         expires_at=expires), now),
        })
    return items


