"""Training and certification currency: a course counts while completed and not yet expired."""

from __future__ import annotations

import enum
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


class TrainingCurrency(str, enum.Enum):
    CURRENT = "current"
    EXPIRING = "expiring"  # valid now, but lapses within the warning window
    EXPIRED = "expired"  # completed once, not valid any more
    MISSING = "missing"  # never completed


@dataclass(frozen=True)
class CourseStanding:
    currency: TrainingCurrency
    expires_at: datetime | None  # of the longest-lasting valid record; None when none is valid or it never lapses


def course_standing(
    records: Sequence[TrainingRecord], course: str, *, at: datetime, expiring_within: timedelta
) -> CourseStanding:
    """Whether one person's ``course`` is current, expiring within ``expiring_within``, expired or missing."""
    taken = [record for record in records if record.course == course and record.completed_at <= at]
    valid = [record for record in taken if is_record_valid_at(record, at)]
    if not valid:
        return CourseStanding(TrainingCurrency.EXPIRED if taken else TrainingCurrency.MISSING, None)
    if any(record.expires_at is None for record in valid):
        return CourseStanding(TrainingCurrency.CURRENT, None)
    # The record that lasts longest decides: a refresher already taken keeps the person current.
    last_expiry = max(record.expires_at for record in valid if record.expires_at is not None)
    if last_expiry <= at + expiring_within:
        return CourseStanding(TrainingCurrency.EXPIRING, last_expiry)
    return CourseStanding(TrainingCurrency.CURRENT, last_expiry)
