"""Retention per data class: which records are past their period, and whether to delete or anonymize them."""
from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from trustdesk.core.privacy.policy_table import (
    PolicyError,
    join_key,
    read_int,
    read_table,
    reject_unknown_keys,
)


class DataClass(str, enum.Enum):
    TRANSCRIPTS = "transcripts"
    RECORDING_METADATA = "recording_metadata"
    SURVEYS = "surveys"
    AUDIT = "audit"


class RetentionAction(str, enum.Enum):
    DELETE = "delete"
    ANONYMIZE = "anonymize"


@dataclass(frozen=True)
class RetentionRule:
    days: int
    action: RetentionAction


@dataclass(frozen=True)
class RetentionPolicy:
    rules: Mapping[DataClass, RetentionRule]

    def __post_init__(self) -> None:
        missing = [data_class.value for data_class in DataClass if data_class not in self.rules]
        if missing:
            raise ValueError(f"RetentionPolicy misses data classes: {', '.join(missing)}")


@dataclass(frozen=True)
class RetainedRecord:
    """What the sweep needs to know of a stored record: its id, data class and creation time."""

    record_id: str
    data_class: DataClass
    created_at: datetime


@dataclass(frozen=True)
class RetentionSweep:
    """Record ids to delete and to anonymize (in input order), and per data class how many of each."""

    to_delete: tuple[str, ...]
    to_anonymize: tuple[str, ...]
    deleted_counts: Mapping[DataClass, int]
    anonymized_counts: Mapping[DataClass, int]

    @property
    def total(self) -> int:
        return len(self.to_delete) + len(self.to_anonymize)


def retention_cutoff(rule: RetentionRule, *, now: datetime) -> datetime:
    """Records created at or before this instant are past retention."""
    return now - timedelta(days=rule.days)


def records_past_retention(
    records: Iterable[RetainedRecord], policy: RetentionPolicy, *, now: datetime
) -> RetentionSweep:
    """Split ``records`` past their class's period into deletions and anonymizations, with counts.

    A record is kept for exactly ``days`` days: it is past retention once ``now - created_at >= days``.
    """
    if now.tzinfo is None:
        raise ValueError(f"now must be timezone-aware, got {now.isoformat()}")
    cutoffs = {data_class: retention_cutoff(rule, now=now) for data_class, rule in policy.rules.items()}
    to_delete: list[str] = []
    to_anonymize: list[str] = []
    deleted = dict.fromkeys(DataClass, 0)
    anonymized = dict.fromkeys(DataClass, 0)
    for record in records:
        if record.created_at > cutoffs[record.data_class]:
            continue
        if policy.rules[record.data_class].action is RetentionAction.DELETE:
            to_delete.append(record.record_id)
            deleted[record.data_class] += 1
        else:
            to_anonymize.append(record.record_id)
            anonymized[record.data_class] += 1
    return RetentionSweep(
        to_delete=tuple(to_delete),
        to_anonymize=tuple(to_anonymize),
        deleted_counts=MappingProxyType(deleted),
        anonymized_counts=MappingProxyType(anonymized),
    )


def parse_retention_table(table: Mapping[str, Any], *, parent: str) -> RetentionPolicy:
    """Read a ``[retention]`` table: ``<data class> = {days = N, action = "delete"|"anonymize"}``."""
    reject_unknown_keys(table, parent=parent, known=[data_class.value for data_class in DataClass])
    rules: dict[DataClass, RetentionRule] = {}
    for data_class in DataClass:
        key = join_key(parent, data_class.value)
        entry = read_table(table, data_class.value, parent=parent)
        reject_unknown_keys(entry, parent=key, known=("days", "action"))
        raw_action = entry.get("action")
        try:
            action = RetentionAction(raw_action)
        except ValueError:
            raise PolicyError(
                join_key(key, "action"), f"{raw_action!r} is not one of delete, anonymize"
            ) from None
        if data_class is DataClass.AUDIT and action is RetentionAction.ANONYMIZE:
            # Rewriting an audit entry breaks its hash chain and every tree head that covers it.
            raise PolicyError(join_key(key, "action"), "audit entries can only be deleted, oldest first")
        rules[data_class] = RetentionRule(days=read_int(entry, "days", parent=key, minimum=1), action=action)
    return RetentionPolicy(rules=MappingProxyType(rules))
