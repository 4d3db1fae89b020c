"""Bulk-import throughput: interactions/s through the import service on SQLite and PostgreSQL.

Usage: .venv/bin/python bench/ingest.py [--count 10000] [--postgres URL]
Each interaction has 20 turns. Two pipelines are timed: storage only (normalize step) and the full
default ingest pipeline (whatever steps ``default_ingest_steps`` holds: redaction, scoring, ...).
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from trustdesk.contracts.records import read_jsonl
from trustdesk.core.ingest.normalize import normalize_interaction
from trustdesk.services.bulk_import import import_records
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.services.privacy_keys import open_keyring
from trustdesk.storage.db import create_database_engine, upgrade_database

AGENT_LINES = ["Thank you for calling, this call may be recorded for quality purposes.",
               "I understand, let me check that for you.", "Could you confirm the email on the account?",
               "I have updated the address and you will get a confirmation today.",
               "Is there anything else I can help you with?"]
CUSTOMER_LINES = ["Hi, I was charged twice this month.", "Sure, it is maria.lopez@example.com.",
                  "My card ends in 4242 and the charge was on Monday.", "That would be great, thanks.",
                  "No, that is all, have a nice day."]


def synthetic_interaction(index: int, rng: random.Random) -> dict:
    start = datetime(2026, 9, 1, tzinfo=timezone.utc) + timedelta(minutes=7 * index)
    turns = [{"speaker": "agent" if n % 2 == 0 else "customer",
              "text": rng.choice(AGENT_LINES if n % 2 == 0 else CUSTOMER_LINES), "offset_seconds": 12.0 * n}
             for n in range(20)]
    return {
        "external_id": f"bench-{index}", "brand": "bench", "vendor": f"vendor-{index % 4}", "channel": "voice",
        "language": "en", "started_at": start.isoformat(), "ended_at": (start + timedelta(minutes=6)).isoformat(),
        "hold_seconds": 30, "wrap_seconds": 45,
        "customer": {"external_id": f"cust-{index % 3000}", "name": "Maria Lopez", "country": "US"},
        "agent": {"external_id": f"agent-{index % 60}"},
        "case": {"external_id": f"case-{index % 8000}", "purpose": "billing", "status": "resolved"},
        "turns": turns, "survey": {"csat": 1 + index % 5} if index % 3 == 0 else None,
    }


def write_corpus(count: int, directory: Path) -> Path:
    rng = random.Random(42)
    path = directory / "bench.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            record = synthetic_interaction(index, rng)
            if record["survey"] is None:
                del record["survey"]
            out.write(json.dumps(record) + "\n")
    return path


def fresh_engine(url: str):
    engine = create_database_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS bench CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA bench"))
    upgrade_database(engine)
    return engine


def time_import(url: str, corpus: Path, steps) -> tuple[float, int]:
    engine = fresh_engine(url)
    with corpus.open("rb") as stream:
        started = time.perf_counter()
        report = import_records(engine, read_jsonl(stream), steps=steps, now=lambda: datetime.now(timezone.utc),
                                keyring=open_keyring(corpus.with_name("bench.key"), now=datetime.now(timezone.utc),
                                                     on_create=lambda _path: None))
        elapsed = time.perf_counter() - started
    engine.dispose()
    assert not report.rejected, report.rejected[:3]
    return elapsed, report.created


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        corpus = write_corpus(args.count, directory)
        targets = [("sqlite", f"sqlite:///{directory / 'bench.db'}")]
        try:
            admin = sa.create_engine(args.postgres.split("?")[0])
            with admin.begin() as connection:
                connection.execute(sa.text("CREATE SCHEMA IF NOT EXISTS bench"))
            admin.dispose()
            targets.append(("postgresql", args.postgres))
        except sa.exc.OperationalError as error:
            print(f"postgresql skipped: {error.orig}")
        pipelines = [("storage only (normalize)", (normalize_interaction,)), ("full default pipeline", default_ingest_steps())]
        print(f"{args.count} interactions x 20 turns")
        for database, url in targets:
            for label, steps in pipelines:
                if database != "sqlite" and label != pipelines[0][0]:
                    continue
                seconds, created = time_import(url if database != "sqlite" else url.replace("bench.db", f"{len(label)}.db"), corpus, steps)
                print(f"{database:<11} {label:<26} {created / seconds:>9,.0f} interactions/s  ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
