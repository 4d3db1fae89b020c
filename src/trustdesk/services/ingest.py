"""Ingest use case: run the pure pipeline, then store a batch of interactions in one transaction.

Referenced brands, vendors, agents, customers and cases are matched by key or created. Re-sending an
interaction whose (brand, external_id) is stored is a no-op that reports ``duplicate``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from trustdesk.core.ingest.pipeline import Step, run_steps
from trustdesk.core.model import IN_HOUSE_VENDOR, Interaction, Speaker
from trustdesk.core.privacy.crypto import generate_data_key
from trustdesk.core.quality import QualityResult, score_step, scoring_step, to_contract_dict
from trustdesk.services.consent import customers_allowing_analytics
from trustdesk.services.customer_matching import CustomerFields, index_customers
from trustdesk.services.metrics_rollups import update_rollups_for_interactions
from trustdesk.services.privacy_keys import (
    Keyring,
    load_data_keys,
    open_personal_data,
    seal_personal_data,
    store_data_keys,
)
from trustdesk.services.quality import active_scorecard, registered_vendor_countries, with_vendor_countries
from trustdesk.storage import tables as t
from trustdesk.storage.bulk import insert_rows, insert_rows_returning
from trustdesk.storage.keys import brand_keys_match


class UnknownBrandError(LookupError):
    """The interaction names a brand that does not exist and the caller may not create brands."""

    def __init__(self, brand: str) -> None:
        super().__init__(f"brand {brand!r} does not exist; an administrator creates it with `trustdesk brand create`")
        self.brand = brand


@dataclass(frozen=True)
class IngestResult:
    external_id: str
    id: int
    status: str  # "created" | "duplicate"


def ingest_interactions(
    connection: Connection,
    batch: Sequence[Interaction],
    *,
    steps: Sequence[Step],
    now: datetime,
    may_create_brands: bool,
    keyring: Keyring | None = None,
    executor: Executor | None = None,
) -> list[IngestResult]:
    """Store ``batch`` inside the caller's transaction; results come back in input order.

    The pure pipeline runs in ``executor``'s worker processes when one is given (bulk loads), else inline.

    Customers' personal fields are stored encrypted under ``keyring``; without one they are not stored at all.
    Interactions of customers without quality_analytics consent are stored and counted but not scored.
    """
    brand_ids = _resolve_brands(connection, {i.brand for i in batch}, now=now, may_create=may_create_brands)
    analytics_allowed = customers_allowing_analytics(
        connection, {(brand_ids[i.brand], i.customer.external_id) for i in batch})
    unscored_steps = tuple(step for step in steps if step is not score_step)
    # Scoring uses each brand's active scorecard (the shipped default when it has none), as rescore does.
    scored_steps = {
        brand_id: tuple(
            scoring_step(active_scorecard(connection, brand_id=brand_id)) if step is score_step else step
            for step in steps
        )
        for brand_id in set(brand_ids.values())
    }
    stored = _match_keys(connection, t.interactions, {(brand_ids[i.brand], i.external_id) for i in batch})
    # outsourcing_disclosure checks "where are you?" answers against where the registry says the vendor works.
    brand_vendors = {(brand_ids[i.brand], i.vendor) for i in batch}
    vendor_countries = registered_vendor_countries(connection, brand_vendors)
    results: list[IngestResult | None] = [None] * len(batch)
    jobs: list[tuple[int, tuple[Interaction, Sequence[Step]]]] = []
    first_index_by_key: dict[tuple[int, str], int] = {}
    for index, interaction in enumerate(batch):
        key = (brand_ids[interaction.brand], interaction.external_id)
        if key in stored:
            results[index] = IngestResult(interaction.external_id, stored[key], "duplicate")
        elif key in first_index_by_key:
            continue  # resolved below, once the first copy has its id
        else:
            first_index_by_key[key] = index
            may_score = (key[0], interaction.customer.external_id) in analytics_allowed
            registered = vendor_countries.get((key[0], interaction.vendor))
            interaction = with_vendor_countries(interaction, registered)
            jobs.append((index, (interaction, scored_steps[key[0]] if may_score else unscored_steps)))
    fresh = list(zip([index for index, _ in jobs], _run_pipeline([job for _, job in jobs], executor)))
    if fresh:
        new_ids = _store_fresh(connection, [i for _, i in fresh], brand_ids, now=now, keyring=keyring)
        for (index, interaction), new_id in zip(fresh, new_ids):
            results[index] = IngestResult(interaction.external_id, new_id, "created")
    for index, interaction in enumerate(batch):
        if results[index] is None:
            first = results[first_index_by_key[(brand_ids[interaction.brand], interaction.external_id)]]
            assert first is not None
            results[index] = IngestResult(interaction.external_id, first.id, "duplicate")
    return [result for result in results if result is not None]


def _run_job(job: tuple[Interaction, Sequence[Step]]) -> Interaction:
    interaction, steps = job
    return run_steps(interaction, steps)


def _run_pipeline(jobs: list[tuple[Interaction, Sequence[Step]]], executor: Executor | None) -> list[Interaction]:
    if executor is None or len(jobs) < 2:
        return [_run_job(job) for job in jobs]
    # Chunks of ~25 interactions amortize the pickling round trip without starving a worker at the end.
    return list(executor.map(_run_job, jobs, chunksize=25))


def _resolve_brands(connection: Connection, keys: set[str], *, now: datetime, may_create: bool) -> dict[str, int]:
    found = dict(connection.execute(select(t.brands.c.key, t.brands.c.id).where(t.brands.c.key.in_(keys))).all())
    missing = sorted(keys - found.keys())
    if missing and not may_create:
        raise UnknownBrandError(missing[0])
    for key in missing:
        found[key] = create_brand(connection, key=key, name=key, now=now)
    return found


def create_brand(connection: Connection, *, key: str, name: str, now: datetime) -> int:
    """Insert a brand (tenant) and return its id."""
    return connection.execute(insert(t.brands).values(key=key, name=name, created_at=now).returning(t.brands.c.id)).scalar_one()


def _store_fresh(connection: Connection, batch: list[Interaction], brand_ids: dict[str, int], *, now: datetime,
                 keyring: Keyring | None) -> list[int]:
    vendor_ids = _resolve_vendors(connection, {i.vendor for i in batch}, now=now)
    agent_ids = _resolve_agents(connection, batch, brand_ids, vendor_ids)
    customer_ids = _resolve_customers(connection, batch, brand_ids, now=now, keyring=keyring)
    case_ids = _resolve_cases(connection, batch, brand_ids, customer_ids)
    rows = []
    for interaction in batch:
        brand_id = brand_ids[interaction.brand]
        quality = interaction.quality if isinstance(interaction.quality, QualityResult) else None
        rows.append(
            {
                "brand_id": brand_id,
                "vendor_id": vendor_ids[interaction.vendor],
                "agent_id": agent_ids[(brand_id, interaction.agent_external_id)],
                "customer_id": customer_ids[(brand_id, interaction.customer.external_id)],
                "case_id": case_ids[(brand_id, interaction.case.external_id)],
                "external_id": interaction.external_id,
                "channel": interaction.channel.value,
                "language": interaction.language,
                "started_at": interaction.started_at,
                "ended_at": interaction.ended_at,
                "hold_seconds": interaction.hold_seconds,
                "wrap_seconds": interaction.wrap_seconds,
                "handle_seconds": interaction.handle_seconds,
                "turn_count": len(interaction.turns),
                "qa_score": quality.score if quality else None,
                "qa_passed": quality.passed if quality else None,
                "ingested_at": now,
            }
        )
    new_ids = _insert_keyed_rows(connection, t.interactions, rows)
    inserted = [new_ids[(row["brand_id"], row["external_id"])] for row in rows]
    _store_children(connection, batch, inserted, now=now)
    update_rollups_for_interactions(connection, inserted, at=now)
    return inserted


_TRANSCRIPT_COLUMNS = ("interaction_id", "turns")
_SURVEY_COLUMNS = ("interaction_id", "csat", "nps", "comment", "answered_at")
_QUALITY_COLUMNS = ("interaction_id", "scorecard", "score", "passed", "criteria", "source", "scored_at")


def _store_children(connection: Connection, batch: list[Interaction], ids: list[int], *, now: datetime) -> None:
    transcript_rows, survey_rows, quality_rows = [], [], []
    for interaction, interaction_id in zip(batch, ids):
        transcript_rows.append((interaction_id, transcript_document(interaction)))
        if isinstance(interaction.quality, QualityResult):
            contract = to_contract_dict(interaction.quality)
            quality_rows.append((interaction_id, contract["scorecard"], contract["score"], contract["passed"],
                                 contract["criteria"], "automatic", now))
        survey = interaction.survey
        if survey is not None:
            survey_rows.append((interaction_id, survey.csat, survey.nps, survey.comment, interaction.ended_at))
    insert_rows(connection, t.transcripts, _TRANSCRIPT_COLUMNS, transcript_rows)
    insert_rows(connection, t.surveys, _SURVEY_COLUMNS, survey_rows)
    insert_rows(connection, t.quality_results, _QUALITY_COLUMNS, quality_rows)


# Looked up per turn: reading ``Speaker.value`` goes through the enum's descriptor, several times slower.
_SPEAKER_NAMES = {speaker: speaker.value for speaker in Speaker}


def transcript_document(interaction: Interaction) -> list[dict]:
    """The stored form of the (already redacted) turns, with each turn's entity labels and offsets."""
    entities_by_turn = interaction.entities
    document = []
    for seq, turn in enumerate(interaction.turns):
        entities = entities_by_turn[seq] if seq < len(entities_by_turn) else ()
        document.append(
            {
                "speaker": _SPEAKER_NAMES[turn.speaker],
                "text": turn.text,
                "offset_seconds": turn.offset_seconds,
                "entities": ([{"start": e.start, "end": e.end, "label": e.label} for e in entities]
                             if entities else []),
            }
        )
    return document


def _resolve_vendors(connection: Connection, keys: set[str], *, now: datetime) -> dict[str, int]:
    found = dict(connection.execute(select(t.vendors.c.key, t.vendors.c.id).where(t.vendors.c.key.in_(keys))).all())
    for key in sorted(keys - found.keys()):
        found[key] = connection.execute(
            insert(t.vendors)
            .values(key=key, name=key, is_in_house=key == IN_HOUSE_VENDOR, countries=[], sites=[], created_at=now)
            .returning(t.vendors.c.id)
        ).scalar_one()
    return found


def _match_keys(connection: Connection, table, brand_and_external: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The ids of the stored rows among the (brand_id, external_id) keys."""
    if not brand_and_external:
        return {}
    rows = connection.execute(
        select(table.c.brand_id, table.c.external_id, table.c.id).where(
            brand_keys_match(table.c.brand_id, table.c.external_id, brand_and_external)
        )
    ).all()
    return {(brand_id, external_id): id_ for brand_id, external_id, id_ in rows}


def _insert_keyed_rows(connection: Connection, table, rows: list[dict]) -> dict[tuple[int, str], int]:
    """Insert rows of a table keyed by (brand_id, external_id); the new ids by that key.

    The rows are dicts with the same keys. The returned rows come in any order, so ids are matched by key.
    """
    if not rows:
        return {}
    columns = tuple(rows[0])
    returned = insert_rows_returning(connection, table, columns, list(map(itemgetter(*columns), rows)),
                                     returning=("brand_id", "external_id", "id"))
    return {(brand_id, external_id): id_ for brand_id, external_id, id_ in returned}


def _insert_missing(connection: Connection, table, found: dict, rows_by_key: dict) -> None:
    missing = [row for key, row in rows_by_key.items() if key not in found]
    found.update(_insert_keyed_rows(connection, table, missing))


def _resolve_agents(connection, batch: Iterable[Interaction], brand_ids, vendor_ids) -> dict[tuple[int, str], int]:
    wanted: dict[tuple[int, str], dict] = {}
    for i in batch:
        key = (brand_ids[i.brand], i.agent_external_id)
        wanted.setdefault(
            key,
            {
                "brand_id": key[0],
                "vendor_id": vendor_ids[i.vendor],
                "external_id": i.agent_external_id,
                "languages": {},
                "skills": [],
                "channels": [],
                "capacity": {},
            },
        )
    found = _match_keys(connection, t.agents, set(wanted))
    _insert_missing(connection, t.agents, found, wanted)
    return found


def _resolve_customers(connection, batch: Iterable[Interaction], brand_ids, *, now: datetime,
                       keyring: Keyring | None) -> dict[tuple[int, str], int]:
    latest: dict[tuple[int, str], Interaction] = {}
    for i in batch:
        latest[(brand_ids[i.brand], i.customer.external_id)] = i
    found = _match_keys(connection, t.customers, set(latest))
    _refresh_known_customers(connection, {key: latest[key] for key in latest if key in found}, found,
                             keyring=keyring, now=now)
    data_keys: dict[tuple[int, str], bytes] = {}
    wanted = {}
    for key, i in latest.items():
        if key in found:
            continue
        fields = i.customer.personal_fields() if keyring is not None else {}
        if fields:
            data_keys[key] = generate_data_key()
        wanted[key] = {
            "brand_id": key[0],
            "external_id": i.customer.external_id,
            "country": i.customer.country,
            "personal_data": seal_personal_data(fields, data_keys[key], brand_id=key[0],
                                                customer_external_id=key[1]) if fields else {},
            "created_at": now,
        }
    _insert_missing(connection, t.customers, found, wanted)
    if keyring is not None:
        store_data_keys(connection, {found[key]: keyring.wrap(data_key) for key, data_key in data_keys.items()},
                        keyring=keyring, now=now)
        index_customers(connection, [CustomerFields(found[key], key[0], latest[key].customer.personal_fields(),
                                                    latest[key].customer.country) for key in data_keys],
                        keyring=keyring, now=now)
    return found


_CUSTOMER_UPDATE = (
    update(t.customers)
    .where(t.customers.c.id == bindparam("customer_id"))
    .values(personal_data=bindparam("new_personal_data", type_=t.customers.c.personal_data.type),
            country=bindparam("new_country"))
)


def _refresh_known_customers(connection, latest: dict, ids: dict, *, keyring: Keyring | None, now: datetime) -> None:
    """Fields an interaction brings for a known customer fill in or correct the stored (encrypted) ones."""
    bringing = {key: i for key, i in latest.items() if i.customer.personal_fields() or i.customer.country}
    if not bringing:
        return
    stored = {
        row.id: row
        for row in connection.execute(
            select(t.customers.c.id, t.customers.c.personal_data, t.customers.c.country).where(
                t.customers.c.id.in_([ids[key] for key in bringing])
            )
        )
    }
    data_keys = load_data_keys(connection, stored, keyring=keyring) if keyring is not None else {}
    new_keys: dict[int, bytes] = {}
    changed_rows = []
    reindex = []
    for (brand_id, external_id), interaction in bringing.items():
        row = stored[ids[(brand_id, external_id)]]
        personal_data = row.personal_data
        new_fields = None
        incoming = interaction.customer.personal_fields() if keyring is not None else {}
        if incoming:
            data_key = data_keys.get(row.id)
            current = (open_personal_data(row.personal_data, data_key, brand_id=brand_id,
                                          customer_external_id=external_id)
                       if data_key is not None and row.personal_data else {})
            merged = {**current, **incoming}
            if merged != current:
                if data_key is None:  # first personal data since the customer was created or erased
                    data_key = new_keys[row.id] = generate_data_key()
                personal_data = seal_personal_data(merged, data_key, brand_id=brand_id,
                                                   customer_external_id=external_id)
                new_fields = merged
        country = interaction.customer.country or row.country
        if new_fields is not None:
            reindex.append(CustomerFields(row.id, brand_id, new_fields, country))
        if personal_data is not row.personal_data or country != row.country:
            changed_rows.append(
                {"customer_id": row.id, "new_personal_data": personal_data, "new_country": country})
    if changed_rows:
        connection.execute(_CUSTOMER_UPDATE, changed_rows)
    if keyring is not None:
        store_data_keys(connection, {customer_id: keyring.wrap(key) for customer_id, key in new_keys.items()},
                        keyring=keyring, now=now)
        index_customers(connection, reindex, keyring=keyring, now=now)


_CASE_UPDATE = (
    update(t.cases)
    .where(t.cases.c.id == bindparam("case_id"), t.cases.c.updated_at <= bindparam("as_of"))
    .values(status=bindparam("new_status"), priority=bindparam("new_priority"), updated_at=bindparam("as_of"))
)


def _resolve_cases(connection, batch: Iterable[Interaction], brand_ids, customer_ids) -> dict[tuple[int, str], int]:
    latest: dict[tuple[int, str], Interaction] = {}
    opened_at: dict[tuple[int, str], datetime] = {}
    for i in sorted(batch, key=lambda i: i.started_at):
        key = (brand_ids[i.brand], i.case.external_id)
        latest[key] = i
        opened_at.setdefault(key, i.started_at)
    found = _match_keys(connection, t.cases, set(latest))
    known = [{"case_id": found[key], "as_of": i.ended_at, "new_status": i.case.status.value,
              "new_priority": i.case.priority.value} for key, i in latest.items() if key in found]
    if known:
        # An older interaction arriving late must not roll a case back to its earlier state.
        connection.execute(_CASE_UPDATE, known)
    wanted = {
        key: {
            "brand_id": key[0],
            "customer_id": customer_ids[(key[0], i.customer.external_id)],
            "external_id": i.case.external_id,
            "purpose": i.case.purpose,
            "priority": i.case.priority.value,
            "status": i.case.status.value,
            "opened_at": opened_at[key],
            "updated_at": i.ended_at,
        }
        for key, i in latest.items()
    }
    _insert_missing(connection, t.cases, found, wanted)
    return found


# Two writers creating the same new vendor, agent, customer or case collide on a unique key; the loser
# rolls back to its savepoint and retries, and then matches the winner's rows. Three attempts cover any
# realistic pile-up on one key.
CONFLICT_ATTEMPTS = 3


def ingest_with_retry(connection: Connection, batch: Sequence[Interaction], *, steps: Sequence[Step], now: datetime,
                      may_create_brands: bool, keyring: Keyring | None = None) -> list[IngestResult]:
    """``ingest_interactions`` inside a savepoint, retried when a concurrent writer wins a unique key."""
    for attempt in range(CONFLICT_ATTEMPTS):
        savepoint = connection.begin_nested()
        try:
            results = ingest_interactions(connection, batch, steps=steps, now=now, may_create_brands=may_create_brands,
                                          keyring=keyring)
        except IntegrityError:
            savepoint.rollback()
            if attempt == CONFLICT_ATTEMPTS - 1:
                raise
            continue
        savepoint.commit()
        return results
    return []  # not reached: the last attempt returns or raises
