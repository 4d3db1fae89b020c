"""The retention sweep (PRV-7): per brand and data class, delete or anonymize what is past its period.

Each brand follows its own policy. Transcripts are dated by their interaction's start; surveys by their
answer (else the interaction's start). An anonymized transcript keeps who spoke when but no words; an
anonymized survey keeps its scores but no comment, so metrics survive. No recordings are stored, so the
recording_metadata class has nothing to sweep; audit entries belong to the audit service.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.privacy.retention import (
    DataClass,
    RetainedRecord,
    RetentionAction,
    RetentionSweep,
    records_past_retention,
    retention_cutoff,
)
from trustdesk.services.audit import record_audit_event
from trustdesk.services.brand_policy import policy_for_brand
from trustdesk.storage import tables as t
from trustdesk.storage.access_tables import retention_anonymized
from trustdesk.storage.timestamps import as_utc

SWEPT_CLASSES = (DataClass.TRANSCRIPTS, DataClass.SURVEYS)
ANONYMIZED_TEXT = "[removed after retention period]"
_CHUNK = 500


@dataclass
class RetentionReport:
    dry_run: bool
    # brand -> data class -> {"deleted": n, "anonymized": n}
    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    def totals(self) -> dict[str, dict[str, int]]:
        result = {data_class.value: {"deleted": 0, "anonymized": 0} for data_class in SWEPT_CLASSES}
        for per_class in self.counts.values():
            for data_class, counts in per_class.items():
                for action, number in counts.items():
                    result[data_class][action] += number
        return result




def _chunks(ids: Sequence[int]):
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _transcript_candidates(connection: Connection, brand_id: int, cutoff: datetime) -> list[RetainedRecord]:
    already = select(retention_anonymized.c.record_id).where(retention_anonymized.c.data_class == DataClass.TRANSCRIPTS.value)
    rows = connection.execute(
        select(t.transcripts.c.interaction_id, t.interactions.c.started_at)
        .join(t.interactions, t.interactions.c.id == t.transcripts.c.interaction_id)
        .where(t.interactions.c.brand_id == brand_id, t.interactions.c.started_at <= cutoff,
               t.transcripts.c.interaction_id.not_in(already))
    )
    return [RetainedRecord(str(row.interaction_id), DataClass.TRANSCRIPTS, as_utc(row.started_at)) for row in rows]


def _survey_candidates(connection: Connection, brand_id: int, cutoff: datetime, *, anonymizing: bool) -> list[RetainedRecord]:
    query = (
        select(t.surveys.c.id, func.coalesce(t.surveys.c.answered_at, t.interactions.c.started_at).label("created_at"))
        .join(t.interactions, t.interactions.c.id == t.surveys.c.interaction_id)
        .where(t.interactions.c.brand_id == brand_id, t.interactions.c.started_at <= cutoff)
    )
    if anonymizing:  # a survey without a comment holds nothing left to anonymize
        query = query.where(t.surveys.c.comment.is_not(None))
    return [RetainedRecord(str(row.id), DataClass.SURVEYS, as_utc(row.created_at)) for row in connection.execute(query)]


def _anonymize_transcripts(connection: Connection, ids: list[int], *, now: datetime) -> None:
    for chunk in _chunks(ids):
        rows = connection.execute(select(t.transcripts.c.interaction_id, t.transcripts.c.turns)
                                  .where(t.transcripts.c.interaction_id.in_(chunk))).all()
        for row in rows:
            turns = [{"speaker": turn.get("speaker"), "offset_seconds": turn.get("offset_seconds"),
                      "text": ANONYMIZED_TEXT, "entities": []} for turn in row.turns]
            connection.execute(update(t.transcripts).where(t.transcripts.c.interaction_id == row.interaction_id)
                               .values(turns=turns))
        connection.execute(insert(retention_anonymized), [
            {"data_class": DataClass.TRANSCRIPTS.value, "record_id": record_id, "anonymized_at": now} for record_id in chunk
        ])


def _apply(connection: Connection, data_class: DataClass, sweep: RetentionSweep, *, now: datetime) -> None:
    deleted = [int(record_id) for record_id in sweep.to_delete]
    anonymized = [int(record_id) for record_id in sweep.to_anonymize]
    if data_class is DataClass.TRANSCRIPTS:
        for chunk in _chunks(deleted):
            connection.execute(delete(t.transcripts).where(t.transcripts.c.interaction_id.in_(chunk)))
        _anonymize_transcripts(connection, anonymized, now=now)
    else:
        for chunk in _chunks(deleted):
            connection.execute(delete(t.surveys).where(t.surveys.c.id.in_(chunk)))
        for chunk in _chunks(anonymized):
            connection.execute(update(t.surveys).where(t.surveys.c.id.in_(chunk)).values(comment=None))


def sweep_retention(
    connection: Connection, *, now: datetime, dry_run: bool, actor: str, role: str, origin: str,
    on_step: Callable[[str, DataClass], None] = lambda brand, data_class: None,
) -> RetentionReport:
    """Sweep every brand (one audit entry per brand that had anything to sweep); ``dry_run`` only counts."""
    report = RetentionReport(dry_run=dry_run)
    brands = connection.execute(select(t.brands.c.id, t.brands.c.key).order_by(t.brands.c.key)).all()
    for brand in brands:
        policy = policy_for_brand(connection, brand.id).retention
        per_class: dict[str, dict[str, int]] = {}
        for data_class in SWEPT_CLASSES:
            on_step(brand.key, data_class)
            rule = policy.rules[data_class]
            cutoff = retention_cutoff(rule, now=now)
            candidates = (
                _transcript_candidates(connection, brand.id, cutoff) if data_class is DataClass.TRANSCRIPTS
                else _survey_candidates(connection, brand.id, cutoff, anonymizing=rule.action is RetentionAction.ANONYMIZE)
            )
            sweep = records_past_retention(candidates, policy, now=now)
            if not dry_run:
                _apply(connection, data_class, sweep, now=now)
            per_class[data_class.value] = {"deleted": sweep.deleted_counts[data_class],
                                           "anonymized": sweep.anonymized_counts[data_class]}
        report.counts[brand.key] = per_class
        swept = sum(number for counts in per_class.values() for number in counts.values())
        if swept and not dry_run:
            summary = "; ".join(f"{name}: {counts['deleted']} deleted, {counts['anonymized']} anonymized"
                                for name, counts in per_class.items())
            record_audit_event(connection, actor=actor, role=role, event_type=AuditEventType.RETENTION_SWEEP, at=now,
                               origin=origin, resource=f"retention:{brand.key}", brand_id=brand.id, reason=summary)
    return report
