"""Metrics latency at scale: the vendor comparison over 60 days with 1,000,000 interactions' worth of data.

Usage: .venv/bin/python bench/metrics.py [--interactions 1000000] [--raw-interactions 200000]
                                         [--days 180] [--repeat 40] [--postgres URL]
                                         [--sqlite-only | --postgres-only] [--keep DIR]

For each database: rollup rows for ``--interactions`` generated facts (spread over ``--days`` days, 6
vendors x 40 agents on day shifts, channels, languages, purposes, surveys, QA results with sentiment, SLA
clocks, and a monthly eNPS pulse per vendor) are built with the core's ``rollup_facts``, added up per
agent-day and agent-week, and inserted in bulk; ``--raw-interactions`` rows go into ``interactions`` next
to them so that a query scanning raw rows would show. Then the vendor comparison of the last 60 days is timed
through ``services.metrics.query_metrics``, through ``GET /api/v1/metrics`` and through the
``/dashboards/vendors`` page (in-process client), and every SQL statement the metrics read sends is
checked not to touch the ``interactions`` table. Prints median and p95 in milliseconds.

Loading takes minutes; with ``--keep DIR`` the loaded SQLite file (in DIR) and PostgreSQL schema are kept
and reused by later runs with the same sizes (migrations added since are applied to them first).
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from datetime import time as clock
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from trustdesk.config import Settings
from trustdesk.core.metrics.facts import InteractionFact
from trustdesk.core.metrics.rollup import Dimension, rollup_facts, week_of
from trustdesk.core.model import Role
from trustdesk.services import accounts
from trustdesk.services.ingest import create_brand
from trustdesk.services.metrics import MetricsQuery, query_metrics
from trustdesk.storage import tables as t
from trustdesk.storage.db import create_database_engine, upgrade_database
from trustdesk.storage.metrics_tables import agent_day_rollups, agent_week_rollups, interaction_rollups
from trustdesk.storage.operations_tables import enps_responses
from trustdesk.web.app import create_app

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)
VENDORS = [f"vendor-{n}" for n in range(6)]
AGENTS_PER_VENDOR = 40
CHANNELS = ["voice", "chat", "email", "messaging"]
LANGUAGES = ["en", "es", "fr"]
PURPOSES = ["billing", "refund", "delivery", "account", "technical", "cancellation", "upgrade", "complaint"]
CHUNK = 100_000
WINDOW_DAYS = 60


def _setup_tenants(connection) -> tuple[int, dict[str, int], dict[str, tuple[int, int]]]:
    brand_id = create_brand(connection, key="acme", name="Acme", now=NOW)
    vendor_ids, agent_ids = {}, {}
    for vendor in VENDORS:
        vendor_ids[vendor] = connection.execute(sa.insert(t.vendors).values(
            key=vendor, name=vendor, is_in_house=False, countries=[], sites=[], created_at=NOW).returning(t.vendors.c.id)).scalar_one()
        for number in range(AGENTS_PER_VENDOR):
            agent = f"{vendor}-agent-{number}"
            agent_ids[agent] = (vendor_ids[vendor], connection.execute(sa.insert(t.agents).values(
                brand_id=brand_id, vendor_id=vendor_ids[vendor], external_id=agent, languages={}, skills=[],
                channels=[], capacity={}, time_zone="UTC", shift_start="08:00", shift_end="16:00",
            ).returning(t.agents.c.id)).scalar_one())
    accounts.create_user(connection, username="bench-manager", password="bench password", role=Role.BRAND_MANAGER,
                         brand_key="acme", vendor_key=None, now=NOW)
    return brand_id, vendor_ids, agent_ids


def _facts(count: int, days: int, rng: random.Random):
    first_day = NOW.date() - timedelta(days=days)
    agents = []
    for vendor in VENDORS:
        for number in range(AGENTS_PER_VENDOR):
            agents.append((vendor, f"{vendor}-agent-{number}", f"{vendor}-team-{number // 10}",
                           rng.sample(CHANNELS, rng.randint(1, 2)), rng.sample(LANGUAGES, rng.randint(1, 2))))
    for index in range(count):
        vendor, agent, team, channels, languages = agents[rng.randrange(len(agents))]
        day = first_day + timedelta(days=rng.randrange(days))
        scored = rng.random() < 0.6
        surveyed = rng.random() < 0.25
        yield InteractionFact(
            interaction_id=str(index), customer_id=str(rng.randrange(200_000)), case_id=None,
            started_at=datetime.combine(day, clock(9), tzinfo=timezone.utc), day=day, brand="acme", vendor=vendor,
            team=team, agent=agent, channel=rng.choice(channels), language=rng.choice(languages),
            purpose=rng.choice(PURPOSES), handle_seconds=rng.uniform(60, 900),
            csat=rng.randint(1, 5) if surveyed else None, nps=rng.randint(0, 10) if surveyed else None,
            is_repeat_contact=rng.random() < 0.15, has_repeat_within_window=rng.random() < 0.15,
            is_escalated=rng.random() < 0.05, is_transferred=rng.random() < 0.08,
            qa_score=rng.uniform(40, 100) if scored else None,
            compliance_passed=(rng.random() < 0.9) if scored else None,
            critical_fails=int(rng.random() < 0.03) if scored else 0,
            first_response_met=rng.random() < 0.9 if index % 3 == 0 else None,
            resolution_met=rng.random() < 0.8 if index % 3 == 0 else None,
            sentiment_change=rng.uniform(-1, 1) if scored else None,
        )


def load_rollups(engine, *, count: int, days: int, ids) -> int:
    brand_id, vendor_ids, agent_ids = ids
    rng = random.Random(7)
    rows = {}
    facts = _facts(count, days, rng)
    while True:
        chunk = [fact for _, fact in zip(range(CHUNK), facts)]
        if not chunk:
            break
        for key, counts in rollup_facts(chunk).items():
            rows[key] = rows[key] + counts if key in rows else counts
    records, agent_days = [], {}
    for key, counts in rows.items():
        tenant = {"day": key.day, "brand_id": brand_id, "vendor_id": vendor_ids[key.vendor],
                  "agent_id": agent_ids[key.agent][1], "team": key.team}
        records.append({**tenant, "channel": key.channel, "language": key.language, "purpose": key.purpose,
                        **asdict(counts)})
        agent_day = tuple(tenant.values())
        agent_days[agent_day] = agent_days[agent_day] + counts if agent_day in agent_days else counts
    agent_day_records = [{**dict(zip(("day", "brand_id", "vendor_id", "agent_id", "team"), key)), **asdict(counts)}
                         for key, counts in agent_days.items()]
    agent_weeks, worked_days = {}, defaultdict(set)
    for (day, brand, vendor, agent, _team), counts in agent_days.items():
        week = (week_of(day), brand, vendor, agent)
        agent_weeks[week] = agent_weeks[week] + counts if week in agent_weeks else counts
        if counts.interactions > 0:
            worked_days[week].add(day)
    agent_week_records = [
        {**dict(zip(("week", "brand_id", "vendor_id", "agent_id"), key)), "days_worked": len(worked_days[key]),
         **asdict(counts)}
        for key, counts in agent_weeks.items()]
    with engine.begin() as connection:
        for table, table_records in ((interaction_rollups, records), (agent_day_rollups, agent_day_records),
                                     (agent_week_rollups, agent_week_records)):
            for start in range(0, len(table_records), 20_000):
                connection.execute(sa.insert(table), table_records[start : start + 20_000])
    return len(records)


def load_enps(engine, *, days: int, ids) -> None:
    """Twenty anonymous pulse answers per vendor and month of the loaded period."""
    brand_id, vendor_ids, _ = ids
    rng = random.Random(11)
    months = sorted({(NOW.date() - timedelta(days=offset)).strftime("%Y-%m") for offset in range(days + 1)})
    with engine.begin() as connection:
        connection.execute(sa.insert(enps_responses), [
            {"brand_id": brand_id, "vendor_id": vendor_id, "period": month, "score": rng.randint(0, 10)}
            for vendor_id in vendor_ids.values() for month in months for _ in range(20)])


def load_raw_interactions(engine, *, count: int, days: int, ids) -> None:
    brand_id, _, agent_ids = ids
    agents = list(agent_ids.values())
    with engine.begin() as connection:
        customer_id = connection.execute(sa.insert(t.customers).values(
            brand_id=brand_id, external_id="bench-customer", personal_data={}, created_at=NOW).returning(t.customers.c.id)).scalar_one()
        case_id = connection.execute(sa.insert(t.cases).values(
            brand_id=brand_id, customer_id=customer_id, external_id="bench-case", purpose="billing", priority="normal",
            status="resolved", opened_at=NOW, updated_at=NOW).returning(t.cases.c.id)).scalar_one()
        batch = []
        for index in range(count):
            vendor_id, agent_id = agents[index % len(agents)]
            started = NOW - timedelta(minutes=(index * days * 24 * 60) // max(count, 1))
            batch.append({"brand_id": brand_id, "vendor_id": vendor_id, "agent_id": agent_id, "customer_id": customer_id,
                          "case_id": case_id, "external_id": f"raw-{index}", "channel": "voice", "language": "en",
                          "started_at": started, "ended_at": started + timedelta(minutes=5), "hold_seconds": 0.0,
                          "wrap_seconds": 30.0, "handle_seconds": 300.0, "turn_count": 10, "ingested_at": NOW})
            if len(batch) == 50_000:
                connection.execute(sa.insert(t.interactions), batch)
                batch = []
        if batch:
            connection.execute(sa.insert(t.interactions), batch)


def _timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    action()  # warm caches, compile statements
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20, method="inclusive")[-1]


def measure(engine, label: str, *, token: str, repeat: int) -> None:
    period_from = NOW.date() - timedelta(days=WINDOW_DAYS - 1)
    query = MetricsQuery(by=Dimension.VENDOR, brand="acme", date_from=period_from, date_to=NOW.date())
    with engine.connect() as connection:
        viewer = accounts.viewer_for_token(connection, token, now=NOW)
    statements: list[str] = []

    def record(_connection, _cursor, statement, _parameters, _context, _many):
        statements.append(statement)

    def through_service():
        with engine.connect() as connection:
            rows = query_metrics(connection, viewer, query)
        assert len(rows) == len(VENDORS)
        # Every KPI and every CEM pillar has data, so the timing covers the whole computation.
        assert all(row.sla_adherence is not None and row.sentiment_change is not None for row in rows)
        assert all(pillar.score is not None for row in rows for pillar in row.cem.pillars), rows[0].cem

    sa.event.listen(engine, "before_cursor_execute", record)
    through_service()
    sa.event.remove(engine, "before_cursor_execute", record)
    scanning = [s for s in statements if re.search(r"\b(FROM|JOIN)\s+interactions\b", s)]
    assert not scanning, scanning
    app = create_app(Settings(database_url=str(engine.url), secret_key="bench"), engine=engine)
    params = {"brand": "acme", "by": "vendor", "from": period_from.isoformat(), "to": NOW.date().isoformat()}
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:

        def through_api():
            response = client.get("/api/v1/metrics", params=params, headers=headers)
            assert response.status_code == 200 and len(response.json()) == len(VENDORS), response.text

        def through_page():
            response = client.get("/dashboards/vendors", params=params, headers=headers)
            assert response.status_code == 200, response.text

        for name, action in (("service", through_service), ("API", through_api), ("dashboard page", through_page)):
            median, p95 = _timed(action, repeat)
            print(f"{label:10} vendor comparison, {WINDOW_DAYS} days, {name:15} median {median:7.1f} ms   p95 {p95:7.1f} ms")


def load(engine, label: str, args) -> None:
    upgrade_database(engine)
    with engine.begin() as connection:
        ids = _setup_tenants(connection)
    started = time.perf_counter()
    rows = load_rollups(engine, count=args.interactions, days=args.days, ids=ids)
    print(f"{label:10} {args.interactions:,} interactions over {args.days} days -> {rows:,} rollup rows "
          f"({time.perf_counter() - started:.0f} s)")
    load_enps(engine, days=args.days, ids=ids)
    started = time.perf_counter()
    load_raw_interactions(engine, count=args.raw_interactions, days=args.days, ids=ids)
    print(f"{label:10} {args.raw_interactions:,} raw interaction rows stored ({time.perf_counter() - started:.0f} s)")


def measure_loaded(engine, label: str, args) -> None:
    # A kept database may predate the newest migrations (a new rollup level is filled by its migration).
    upgrade_database(engine)
    with engine.begin() as connection:
        token = accounts.create_token(connection, username="bench-manager", name="bench", now=NOW)
    measure(engine, label, token=token, repeat=args.repeat)


def _data_name(args) -> str:
    """Names a kept database by what was loaded into it, so a kept one is reused only for the same sizes."""
    return f"metrics_{args.interactions}_{args.raw_interactions}_{args.days}"


def run_sqlite(args) -> None:
    if args.keep is None:
        with tempfile.TemporaryDirectory() as directory:
            engine = create_database_engine(f"sqlite:///{Path(directory) / 'bench.db'}")
            load(engine, "SQLite", args)
            measure_loaded(engine, "SQLite", args)
            engine.dispose()
        return
    path = args.keep / f"{_data_name(args)}.db"
    if path.exists():
        print(f"SQLite     reusing the database loaded in {path}")
    else:
        # Loaded under another name and renamed when complete, so an interrupted load is never reused.
        loading = path.with_suffix(".loading")
        loading.unlink(missing_ok=True)
        engine = create_database_engine(f"sqlite:///{loading}")
        load(engine, "SQLite", args)
        engine.dispose()
        loading.rename(path)
    engine = create_database_engine(f"sqlite:///{path}")
    measure_loaded(engine, "SQLite", args)
    engine.dispose()


def _postgres_engine(args, schema: str):
    url = sa.engine.make_url(args.postgres).update_query_dict({"options": f"-csearch_path={schema}"})
    return create_database_engine(url.render_as_string(hide_password=False))


def run_postgres(args) -> None:
    admin = sa.create_engine(args.postgres)
    schema = f"bench_{_data_name(args)}" if args.keep is not None else "bench_metrics"
    loading = f"{schema}_loading"
    with admin.connect() as connection:
        kept = args.keep is not None and connection.execute(
            sa.text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :name"), {"name": schema}
        ).first() is not None
    try:
        if kept:
            print(f"PostgreSQL reusing the schema {schema}")
        else:
            with admin.begin() as connection:
                for name in (schema, loading):
                    connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
                connection.execute(sa.text(f"CREATE SCHEMA {loading}"))
            engine = _postgres_engine(args, loading)
            load(engine, "PostgreSQL", args)
            engine.dispose()
            with admin.begin() as connection:
                connection.execute(sa.text(f"ALTER SCHEMA {loading} RENAME TO {schema}"))
        engine = _postgres_engine(args, schema)
        measure_loaded(engine, "PostgreSQL", args)
        engine.dispose()
    finally:
        if args.keep is None:
            with admin.begin() as connection:
                connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--raw-interactions", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite-only", action="store_true")
    only.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the loaded databases (SQLite file in DIR, PostgreSQL schema bench_metrics_<sizes>) "
                             "and reuse them on the next run with the same sizes, instead of loading again")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    if not args.postgres_only:
        run_sqlite(args)
    if not args.sqlite_only:
        run_postgres(args)


if __name__ == "__main__":
    main()
