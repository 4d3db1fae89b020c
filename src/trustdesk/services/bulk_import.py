"""Bulk import: validate records one by one, store the valid ones in batches, report the rejects.

Each batch is one transaction. If a batch fails on the database (say a concurrent writer created the
same customer), its records are retried one per transaction, so one bad record never takes others down.
Re-running an import is safe: stored interactions come back as duplicates.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from trustdesk.contracts.interaction import InteractionIn
from trustdesk.contracts.paths import json_path
from trustdesk.contracts.records import RawRecord, decode_json_line
from trustdesk.core.ingest.pipeline import Step
from trustdesk.core.model import Interaction
from trustdesk.services.ingest import ingest_interactions
from trustdesk.services.privacy_keys import Keyring

BATCH_SIZE = 500


@dataclass(frozen=True)
class Rejection:
    line: int
    external_id: str | None
    reasons: list[str]


@dataclass
class ImportReport:
    created: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)


def import_records(
    engine: Engine,
    records: Iterable[RawRecord],
    *,
    steps: Sequence[Step],
    now: Callable[[], datetime],
    keyring: Keyring,
    on_progress: Callable[[int], None] = lambda _count: None,
    executor: Executor | None = None,
) -> ImportReport:
    """Import every record; ``on_progress`` gets the number of records finished after each batch."""
    report = ImportReport()
    pending: list[tuple[int, Interaction]] = []
    with _quiet_collector():
        for record in records:
            parsed = _validate(record, report)
            if parsed is not None:
                # Only the domain value is kept until the batch is stored: holding the validated models too
                # would double the objects every garbage collection pass walks.
                pending.append((record.line, parsed.to_domain()))
            if len(pending) >= BATCH_SIZE:
                _store(engine, pending, report, steps=steps, now=now, keyring=keyring, executor=executor)
                on_progress(len(pending))
                pending = []
            elif parsed is None:
                on_progress(1)
        if pending:
            _store(engine, pending, report, steps=steps, now=now, keyring=keyring, executor=executor)
            on_progress(len(pending))
    return report


# Net allocations between young-generation collections while an import runs (Python's default is 700).
IMPORT_YOUNG_COLLECTION_THRESHOLD = 20_000


@contextmanager
def _quiet_collector() -> Iterator[None]:
    """Keep the garbage collector from walking, again and again, objects the import cannot free.

    An import allocates millions of short-lived objects, and every so often that triggers a full collection
    that walks the whole heap: modules, SQLAlchemy and pydantic metadata, none of which the import can free
    (about a tenth of a storage-only import's time). ``gc.freeze`` moves those objects out of the collector's
    sight until ``gc.unfreeze``. It is safe: reference counting still frees them at once, and a reference
    cycle among them is only collected later, at the first collection after the import.

    The young generation is also collected less often: the pending batch lives until it is stored, so with
    the default threshold each of its objects is walked by young collections, promoted and walked again by
    older ones (about 7% of a storage-only import's CPU time). Cyclic garbage is still collected, in fewer
    passes; the thresholds are restored afterwards.

    A freeze that is already held (a server that froze its preloaded heap, or an import running in another
    thread) is left as it is, and so are the thresholds.
    """
    if gc.get_freeze_count():
        yield
        return
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(IMPORT_YOUNG_COLLECTION_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _validate(record: RawRecord, report: ImportReport) -> InteractionIn | None:
    if record.json_text is not None:
        try:
            return InteractionIn.model_validate_json(record.json_text)
        except ValidationError:
            # A rejected line is decoded and validated again as an object, so its reasons read exactly as
            # the API's (and a line that is not JSON gets the reader's message); only rejects pay for it.
            record = decode_json_line(record)
    if record.data is None:
        report.rejected.append(Rejection(record.line, None, [record.error or "unreadable"]))
        return None
    try:
        return InteractionIn.model_validate(record.data)
    except ValidationError as error:
        reasons = [f"{json_path(e['loc'])}: {e['msg']}" for e in error.errors()]
        external_id = record.data.get("external_id") if isinstance(record.data.get("external_id"), str) else None
        report.rejected.append(Rejection(record.line, external_id, reasons))
        return None


def _store(engine: Engine, pending, report: ImportReport, *, steps, now, keyring: Keyring,
           executor: Executor | None) -> None:
    try:
        with engine.begin() as connection:
            results = ingest_interactions(connection, [item for _, item in pending], steps=steps,
                                          now=now(), may_create_brands=True, keyring=keyring, executor=executor)
        _count(results, report)
    except IntegrityError:
        for line, item in pending:
            try:
                with engine.begin() as connection:
                    _count(ingest_interactions(connection, [item], steps=steps, now=now(),
                                               may_create_brands=True, keyring=keyring), report)
            except IntegrityError as error:
                report.rejected.append(Rejection(line, item.external_id, [f"database refused it: {error.orig}"]))


def _count(results, report: ImportReport) -> None:
    for result in results:
        if result.status == "created":
            report.created += 1
        else:
            report.duplicates += 1
