"""Audit trail cost on PostgreSQL: appends/s with one and with four concurrent writers, and the median latency
a customer-view read gains from its audit append.

Usage: .venv/bin/python bench/audit.py [--postgres URL] [--appends 2000] [--reads 400]
Runs in a scratch schema (dropped first). Every append and every read is its own transaction, as in a
request; the view read is timed with its audit append and with the append left out (same code otherwise).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from trustdesk.contracts.interaction import InteractionIn
from trustdesk.core.model import Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services import accounts, customer_view
from trustdesk.services.audit import record_audit_event
from trustdesk.services.ingest import create_brand, ingest_interactions
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.services.privacy_keys import open_keyring
from trustdesk.services.training import TrainingInput, load_training_records
from trustdesk.storage.db import create_database_engine, upgrade_database

SCHEMA = "bench_audit"
NOW = datetime(2026, 10, 15, 12, 0, tzinfo=timezone.utc)


def scratch_engine(url: str) -> sa.Engine:
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        connection.execute(sa.text(f'CREATE SCHEMA "{SCHEMA}"'))
    admin.dispose()
    scoped = sa.engine.make_url(url).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    engine = create_database_engine(scoped.render_as_string(hide_password=False))
    upgrade_database(engine)
    return engine


def append_one(engine: sa.Engine, writer: int, index: int) -> None:
    with engine.begin() as connection:
        record_audit_event(connection, actor=f"writer-{writer}", role="supervisor",
                           event_type=AuditEventType.PERSONAL_DATA_READ, at=NOW, origin="bench",
                           resource=f"customer:bench/c-{index}", customer=f"bench/c-{index}", fields=("name", "email"),
                           purpose="billing")


def appends_per_second(engine: sa.Engine, *, total: int, writers: int) -> float:
    per_writer = total // writers

    def run(writer: int) -> None:
        for index in range(per_writer):
            append_one(engine, writer, index)

    threads = [threading.Thread(target=run, args=(writer,)) for writer in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_writer * writers / (time.perf_counter() - started)


def check_chain(engine: sa.Engine) -> int:
    """The number of entries; fails when concurrent appends left a gap or a fork in the ids."""
    with engine.connect() as connection:
        ids = connection.execute(sa.text("SELECT entry_id FROM audit_entries ORDER BY entry_id")).scalars().all()
    assert ids == list(range(1, len(ids) + 1)), "entry ids are not contiguous"
    return len(ids)


def seed_customer(engine: sa.Engine, keyring) -> accounts.Viewer:
    record = InteractionIn.model_validate({
        "external_id": "call-1", "brand": "bench", "vendor": "manila-bpo", "channel": "voice",
        "started_at": "2026-10-01T09:00:00Z", "ended_at": "2026-10-01T09:05:00Z",
        "customer": {"external_id": "cust-1", "name": "Dana Whitfield", "email": "dana@example.com",
                     "phone": "+1 415 555 0134", "country": "US"},
        "agent": {"external_id": "agent-1"}, "case": {"external_id": "case-1", "purpose": "billing"},
        "turns": [{"speaker": "agent", "text": "Thank you for calling.", "offset_seconds": 0.0}],
    })
    with engine.begin() as connection:
        create_brand(connection, key="bench", name="Bench", now=NOW)
        ingest_interactions(connection, [record.to_domain()], steps=default_ingest_steps(), now=NOW,
                            may_create_brands=False, keyring=keyring)
        accounts.create_user(connection, username="lead", password=None, role=Role.SUPERVISOR, brand_key="bench", now=NOW)
        load_training_records(connection, [TrainingInput(course="privacy", completed_at=NOW - timedelta(days=30),
                                                         username="lead")], actor=None, origin="bench", now=NOW)
        row = connection.execute(sa.text("SELECT * FROM users WHERE username = 'lead'")).first()
        return accounts.viewer_from_row(row)


def read_view(engine: sa.Engine, viewer, keyring) -> float:
    started = time.perf_counter()
    with engine.begin() as connection:
        view = customer_view.read_customer_view(
            connection, viewer, brand_key="bench", customer_external_id="cust-1", case_external_id="case-1",
            purpose=None, keyring=keyring, now=NOW, origin="bench")
    elapsed = time.perf_counter() - started
    assert view is not None and "email" in view.view.values
    return elapsed


def view_latencies(engine: sa.Engine, viewer, keyring, *, reads: int) -> tuple[float, float]:
    """Median seconds per view read with its audit append and without (alternating, after a warm-up)."""
    with_audit: list[float] = []
    without_audit: list[float] = []
    appending = customer_view.record_audit_event
    for _ in range(20):
        read_view(engine, viewer, keyring)
    for _ in range(reads):
        with_audit.append(read_view(engine, viewer, keyring))
        customer_view.record_audit_event = lambda *args, **kwargs: None  # the same read, minus the append
        try:
            without_audit.append(read_view(engine, viewer, keyring))
        finally:
            customer_view.record_audit_event = appending
    return statistics.median(with_audit), statistics.median(without_audit)


def commit_floor(engine: sa.Engine, *, rounds: int = 200) -> float:
    """Median seconds of committing a one-row insert: the durable-commit (WAL flush) floor of any write."""
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE commit_probe (value integer)"))
    timings = []
    for value in range(rounds):
        started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO commit_probe VALUES (:value)"), {"value": value})
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--reads", type=int, default=400)
    args = parser.parse_args()
    engine = scratch_engine(args.postgres)
    single = appends_per_second(engine, total=args.appends, writers=1)
    concurrent = appends_per_second(engine, total=args.appends, writers=4)
    entries = check_chain(engine)
    print(f"audit appends, 1 writer:   {single:8.0f}/s")
    print(f"audit appends, 4 writers:  {concurrent:8.0f}/s  (chain of {entries} entries, ids contiguous)")
    with tempfile.TemporaryDirectory() as scratch:
        keyring = open_keyring(Path(scratch) / "master.key", now=NOW, on_create=lambda path: None)
        viewer = seed_customer(engine, keyring)
        with_audit, without_audit = view_latencies(engine, viewer, keyring, reads=args.reads)
    added = (with_audit - without_audit) * 1000
    print(f"commit of a one-row insert: {commit_floor(engine) * 1000:.2f} ms median (the disk's durable-commit floor)")
    print(f"customer view, median:     {with_audit * 1000:.2f} ms with audit append, {without_audit * 1000:.2f} ms without"
          f" -> {added:+.2f} ms added (target < 2 ms)")
    engine.dispose()


if __name__ == "__main__":
    main()
