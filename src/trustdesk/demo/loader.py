"""Loads the generated demo operation into a database through the same services production uses."""
from __future__ import annotations

import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timezone

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import Engine, func, select

from trustdesk.contracts.interaction import InteractionIn
from trustdesk.demo.consents import demo_consents
from trustdesk.demo.interactions import iter_interactions
from trustdesk.demo.operation import DEMO_PASSWORD, Operation, build_operation
from trustdesk.demo.sla_contracts import store_sla_contracts
from trustdesk.demo.vendor_registry import store_vendor_registry
from trustdesk.demo.workforce_records import store_breaks, store_olas_and_handoffs, store_training
from trustdesk.services import accounts, consent, directory
from trustdesk.services.ingest import create_brand, ingest_interactions
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.services.privacy_keys import Keyring
from trustdesk.storage import tables as t

BATCH_SIZE = 500


def load_demo(engine: Engine, *, seed: int, interactions: int, keyring: Keyring, end: date | None = None,
              console: Console) -> list[tuple[str, str]]:
    """Generate and store the demo operation unless it is there already; returns (username, role) logins."""
    end = end or datetime.now(timezone.utc).date()
    operation = build_operation(seed, end=end, interactions=interactions)
    logins = [(user.username, user.role.value) for user in operation.users]
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(t.interactions)).scalar_one()
        has_users = connection.execute(select(t.users.c.id).where(t.users.c.username == operation.users[0].username)).first()
    if has_users and stored >= interactions:
        console.print(f"demo data already loaded ({stored:,} interactions); delete the database to regenerate")
        return logins
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        _store_directory(connection, operation, now=now)
        if not stored:
            _record_consents(connection, operation, seed=seed, now=now)
    _store_interactions(engine, operation, seed=seed, keyring=keyring, console=console)
    if not has_users:
        with engine.begin() as connection:
            for user in operation.users:
                accounts.create_user(connection, username=user.username, password=DEMO_PASSWORD, role=user.role,
                                     brand_key=user.brand, vendor_key=user.vendor,
                                     agent_external_id=user.agent_external_id, now=now)
        with console.status("storing breaks, training records, internal targets and hand-offs between teams"), \
                engine.begin() as connection:
            brand_ids = {brand.key: directory.brand_id_by_key(connection, brand.key) for brand in operation.brands}
            store_training(connection, operation, seed=seed, now=now)
            store_breaks(connection, operation, brand_ids, seed=seed, now=now)
            store_olas_and_handoffs(connection, operation, brand_ids, seed=seed, now=now)
    return logins


def _store_directory(connection, operation: Operation, *, now: datetime) -> None:
    for brand in operation.brands:
        if directory.brand_id_by_key(connection, brand.key) is None:
            create_brand(connection, key=brand.key, name=brand.name, now=now)
    vendor_ids = {
        vendor.key: directory.save_vendor(
            connection, key=vendor.key, name=vendor.legal_name, legal_name=vendor.legal_name,
            countries=sorted({site.country for site in vendor.sites} | {vendor.country}),
            sites=[{"name": s.name, "city": s.city, "country": s.country, "time_zone": s.time_zone} for s in vendor.sites],
            now=now,
        )
        for vendor in operation.vendors
    }
    brand_ids = {brand.key: directory.brand_id_by_key(connection, brand.key) for brand in operation.brands}
    team_ids = {
        (team.brand, team.key): directory.save_team(connection, brand_id=brand_ids[team.brand], vendor_id=vendor_ids[team.vendor],
                                                    key=team.key, name=team.name)
        for team in operation.teams
    }
    for agent in operation.agents:
        directory.save_agent(
            connection, brand_id=brand_ids[agent.brand], vendor_id=vendor_ids[agent.vendor],
            team_id=team_ids.get((agent.brand, agent.team)), external_id=agent.external_id, display_name=agent.name,
            country=agent.country, languages={s.language: s.proficiency for s in agent.languages},
            skills=agent.skills, channels=[c.value for c in agent.channels],
            capacity={c.channel.value: c.capacity for c in agent.capacity}, time_zone=agent.time_zone,
            shift_start=agent.shift.start.strftime("%H:%M"), shift_end=agent.shift.end.strftime("%H:%M"),
        )
    store_sla_contracts(connection, operation, brand_ids, now=now)
    store_vendor_registry(connection, operation, now=now)


def _record_consents(connection, operation: Operation, *, seed: int, now: datetime) -> None:
    decisions = demo_consents(operation, seed)
    for brand in operation.brands:
        consent.import_consents(connection, [d.record for d in decisions if d.brand == brand.key],
                                brand_id=directory.brand_id_by_key(connection, brand.key), brand_key=brand.key,
                                actor="demo-signup", role="admin", origin="demo", now=now)


def _store_interactions(engine: Engine, operation: Operation, *, seed: int, keyring: Keyring,
                        console: Console) -> None:
    steps = default_ingest_steps()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    records = iter_interactions(operation, seed)
    # Redaction and scoring are pure and CPU-bound: one worker process per core runs them while this
    # process validates and writes.
    with Progress(*columns, console=console) as progress, ProcessPoolExecutor(max_workers=os.cpu_count()) as workers:
        task = progress.add_task("generating and ingesting interactions", total=operation.interaction_count)
        while batch := list(itertools.islice(records, BATCH_SIZE)):
            domain = [InteractionIn.model_validate(record).to_domain() for record in batch]
            with engine.begin() as connection:
                ingest_interactions(connection, domain, steps=steps, now=datetime.now(timezone.utc), may_create_brands=False,
                                    keyring=keyring, executor=workers)
            progress.advance(task, len(batch))
