"""Training and certification currency: a course counts while completed and not yet expired."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class TrainingRecord:
    agent: str
    course: str
    completed_at: datetime
    expires_at: datetime | None = None  # None: the course never lapses


def is_record_valid_at(record: TrainingRecord, at: datetime) -> bool:
    """True when the record was completed by ``at`` and has not expired at ``at``."""
    return record.completed_at <= at and (record.expires_at is None or at < record.expires_at)


def is_training_current(records: Sequence[TrainingRecord], course: str, at: datetime) -> bool:
    """True when any record of ``course`` is valid at ``at`` (pass one agent's records only)."""
    return any(record.course == course and is_record_valid_at(record, at) for record in records)


def list_expiring(
    records: Sequence[TrainingRecord], *, at: datetime, within: timedelta
) -> tuple[TrainingRecord, ...]:
    """Records valid now that expire within ``within``, soonest first, so refreshers can be booked in time."""
    soon = [
        record
        for record in records
        if is_record_valid_at(record, at)
        and record.expires_at is not None
        and record.expires_at <= at + within
    ]
    return tuple(sorted(soon, key=lambda record: (record.expires_at, record.agent, record.course)))
