"""Retention sweep: what is past its period per data class, deleted or anonymized, with counts."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from trustdesk.core.privacy.policy import load_policy
from trustdesk.core.privacy.retention import DataClass, RetainedRecord, records_past_retention

NOW = datetime(2027, 1, 1, tzinfo=timezone.utc)
POLICY = load_policy("default").retention  # transcripts 365 anonymize, recording_metadata 365 delete,
# surveys 730 anonymize, audit 2190 delete


def aged(record_id: str, data_class: DataClass, days: float) -> RetainedRecord:
    return RetainedRecord(record_id=record_id, data_class=data_class, created_at=NOW - timedelta(days=days))


@pytest.mark.parametrize(
    ("record", "deleted", "anonymized"),
    [
        (aged("t1", DataClass.TRANSCRIPTS, 366), (), ("t1",)),
        (aged("t2", DataClass.TRANSCRIPTS, 365), (), ("t2",)),  # kept exactly 365 days, then due
        (aged("t3", DataClass.TRANSCRIPTS, 364.99), (), ()),
        (aged("r1", DataClass.RECORDING_METADATA, 400), ("r1",), ()),
        (aged("s1", DataClass.SURVEYS, 400), (), ()),
        (aged("s2", DataClass.SURVEYS, 731), (), ("s2",)),
        (aged("a1", DataClass.AUDIT, 2000), (), ()),
        (aged("a2", DataClass.AUDIT, 2191), ("a2",), ()),
        (aged("future", DataClass.TRANSCRIPTS, -3), (), ()),
    ],
)
def test_each_record_against_its_class(record: RetainedRecord, deleted: tuple, anonymized: tuple) -> None:
    sweep = records_past_retention([record], POLICY, now=NOW)
    assert (sweep.to_delete, sweep.to_anonymize) == (deleted, anonymized)


def test_counts_per_data_class_and_input_order() -> None:
    records = [
        aged("t1", DataClass.TRANSCRIPTS, 500), aged("r1", DataClass.RECORDING_METADATA, 500),
        aged("t2", DataClass.TRANSCRIPTS, 10), aged("t3", DataClass.TRANSCRIPTS, 900),
        aged("r2", DataClass.RECORDING_METADATA, 366),
    ]
    sweep = records_past_retention(records, POLICY, now=NOW)
    assert sweep.to_anonymize == ("t1", "t3") and sweep.to_delete == ("r1", "r2")
    assert sweep.anonymized_counts[DataClass.TRANSCRIPTS] == 2
    assert sweep.deleted_counts[DataClass.RECORDING_METADATA] == 2
    assert sweep.deleted_counts[DataClass.SURVEYS] == 0 and sweep.total == 4


def test_nothing_to_sweep() -> None:
    sweep = records_past_retention([], POLICY, now=NOW)
    assert sweep.total == 0 and set(sweep.deleted_counts) == set(DataClass)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        records_past_retention([], POLICY, now=datetime(2027, 1, 1))
