"""Keeping the metrics rollups true, in the caller's transaction, as interactions and their facts change.

``update_rollups_for_interactions`` is the one entry point: call it after inserting interactions or after
changing anything an interaction's facts are read from (its survey, its QA result, its case). It
recomputes the facts of every interaction the change can affect — the interactions themselves, the
others on the same cases (transfer, escalation and SLA clocks are case-level), and the same customers'
contacts within the brand's repeat-contact window — compares them with the facts last counted
(``metric_facts``) and adds the differences to the rollup rows. The result equals a rebuild from scratch
whatever the arrival order.

Facts read from stored rows: the reporting day is the UTC date of ``started_at``; escalated means the
case's stored status is ``escalated``; transferred means more than one agent worked on the case; the
QA score, pass, critical fails and the customer's sentiment at start and end come from
``quality_results``; the case's SLA clocks (``services.sla``) are carried by its latest interaction and
judged at the moment the caller passes as ``at``.
"""
from __future__ import annotations

import operator
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from trustdesk.core.metrics.facts import UNKNOWN_DIMENSION, InteractionFact, sla_clock_met
from trustdesk.core.metrics.repeat_contacts import DEFAULT_WINDOW_DAYS, mark_repeat_contacts
from trustdesk.core.metrics.rollup import COUNT_COLUMNS, EMPTY_COUNTS, RollupCounts, rollup_changes, week_of
from trustdesk.core.model import CaseStatus
from trustdesk.core.quality.sentiment import SENTIMENT_END, SENTIMENT_START
from trustdesk.core.routing.sla import ClockKind
from trustdesk.services import sla
from trustdesk.storage import tables as t
from trustdesk.storage.bulk import bind_converters, driver_placeholder, insert_rows
from trustdesk.storage.metrics_tables import (
    AGENT_DAY_KEY_COLUMNS,
    AGENT_WEEK_KEY_COLUMNS,
    ROLLUP_KEY_COLUMNS,
    agent_day_rollups,
    agent_week_rollups,
    brand_metric_settings,
    interaction_rollups,
    metric_facts,
)
from trustdesk.storage.timestamps import as_utc

# Rows per IN (...) list: well under SQLite's variable limit and PostgreSQL's parameter limit.
_CHUNK = 500
# The QA criterion whose result carries the customer's sentiment at the start and end of the contact.
SENTIMENT_CRITERION = "customer_sentiment"
# Bounds of the configurable repeat-contact window: a day at least, a quarter at most (a longer window
# would read more of every customer's history on each arrival than reporting needs).
MIN_WINDOW_DAYS, MAX_WINDOW_DAYS = 1, 90


@dataclass(frozen=True)
class _TenantIds:
    """The ids a fact's brand, vendor and agent keys stand for (rollup rows are keyed and scoped by id)."""

    brand_id: int
    vendor_id: int
    agent_id: int


@dataclass(frozen=True)
class _CaseClocks:
    """A case's SLA clocks as facts, and the interaction that carries them (the case's latest)."""

    carrier_id: int
    first_response_met: bool | None
    resolution_met: bool | None


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def repeat_contact_window_days(connection: Connection, brand_id: int) -> int:
    """The brand's repeat-contact / FCR window in days (``DEFAULT_WINDOW_DAYS`` unless the brand set one)."""
    days = connection.execute(
        select(brand_metric_settings.c.repeat_contact_window_days).where(brand_metric_settings.c.brand_id == brand_id)
    ).scalar_one_or_none()
    return DEFAULT_WINDOW_DAYS if days is None else days


def _fact_columns():
    return (
        t.interactions.c.id,
        t.interactions.c.brand_id,
        t.interactions.c.vendor_id,
        t.interactions.c.agent_id,
        t.interactions.c.customer_id,
        t.interactions.c.case_id,
        t.interactions.c.started_at,
        t.interactions.c.channel,
        t.interactions.c.language,
        t.interactions.c.handle_seconds,
        t.brands.c.key.label("brand"),
        t.vendors.c.key.label("vendor"),
        t.agents.c.external_id.label("agent"),
        t.teams.c.key.label("team"),
        t.cases.c.purpose,
        t.cases.c.status,
        t.surveys.c.csat,
        t.surveys.c.nps,
        t.quality_results.c.score.label("qa_score"),
        t.quality_results.c.passed.label("qa_passed"),
        t.quality_results.c.criteria.label("qa_criteria"),
    )


def _fact_query():
    return (
        select(*_fact_columns())
        .select_from(t.interactions)
        .join(t.brands, t.brands.c.id == t.interactions.c.brand_id)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .outerjoin(t.teams, t.teams.c.id == t.agents.c.team_id)
        .join(t.cases, t.cases.c.id == t.interactions.c.case_id)
        .outerjoin(t.surveys, t.surveys.c.interaction_id == t.interactions.c.id)
        .outerjoin(t.quality_results, t.quality_results.c.interaction_id == t.interactions.c.id)
    )


# Fact rows are read many times per row below. A Row reads a column by name through a failed attribute
# lookup and __getattr__; a named tuple of the same columns reads it many times faster.
_FactRow = namedtuple("_FactRow", [column.name for column in _fact_columns()])


def _read_fact_rows(connection: Connection, query) -> list[_FactRow]:
    return [_FactRow._make(row) for row in connection.execute(query)]


def _critical_fails(criteria: list[dict] | None) -> int:
    return sum(1 for criterion in criteria or () if criterion.get("critical") and criterion.get("result") == "fail")


def _transferred_cases(connection: Connection, case_ids: set[int]) -> set[int]:
    """Cases more than one agent worked on."""
    transferred: set[int] = set()
    for chunk in _chunks(sorted(case_ids)):
        transferred.update(
            connection.execute(
                select(t.interactions.c.case_id)
                .where(t.interactions.c.case_id.in_(chunk))
                .group_by(t.interactions.c.case_id)
                .having(func.count(func.distinct(t.interactions.c.agent_id)) > 1)
            ).scalars()
        )
    return transferred


def _case_clocks(connection: Connection, case_ids: set[int], *, at: datetime) -> dict[int, _CaseClocks]:
    """Per case with an SLA contract: its first-response and resolution clocks judged at ``at``."""
    clocks: dict[int, _CaseClocks] = {}
    for chunk in _chunks(sorted(case_ids)):
        cases = connection.execute(select(t.cases).where(t.cases.c.id.in_(chunk))).mappings().all()
        evaluated = {case.case_id: case for case in sla.evaluate_cases(connection, cases, at=at)}
        if not evaluated:
            continue
        # The latest contact carries the case's clocks: its vendor's contract is the one they are judged by.
        latest: dict[int, tuple[datetime, int]] = {}
        for case_id, interaction_id, started_at in connection.execute(
            select(t.interactions.c.case_id, t.interactions.c.id, t.interactions.c.started_at).where(
                t.interactions.c.case_id.in_(list(evaluated))
            )
        ):
            moment = (as_utc(started_at), interaction_id)
            if case_id not in latest or moment > latest[case_id]:
                latest[case_id] = moment
        for case_id, case in evaluated.items():
            by_kind = {clock.clock: clock for clock in case.clocks}
            clocks[case_id] = _CaseClocks(
                carrier_id=latest[case_id][1],
                first_response_met=sla_clock_met(by_kind.get(ClockKind.FIRST_RESPONSE)),
                resolution_met=sla_clock_met(by_kind.get(ClockKind.RESOLUTION)),
            )
    return clocks


def _sentiment_change(criteria: list[dict] | None) -> float | None:
    """End minus start sentiment of the customer, as the QA sentiment criterion measured it."""
    for criterion in criteria or ():
        measures = criterion.get("measures") or {}
        if criterion.get("id") == SENTIMENT_CRITERION and SENTIMENT_START in measures and SENTIMENT_END in measures:
            return float(measures[SENTIMENT_END]) - float(measures[SENTIMENT_START])
    return None


def _facts_from_rows(
    connection: Connection, rows: list, *, at: datetime
) -> tuple[list[InteractionFact], dict[str, _TenantIds]]:
    """Facts (repeat flags not yet set) of stored rows, and the tenant ids behind each interaction."""
    case_ids = {row.case_id for row in rows}
    transferred = _transferred_cases(connection, case_ids)
    clocks = _case_clocks(connection, case_ids, at=at)
    facts, ids = [], {}
    for row in rows:
        started_at = as_utc(row.started_at)
        qa_score = row.qa_score
        case_clocks = clocks.get(row.case_id)
        carries_clocks = case_clocks is not None and case_clocks.carrier_id == row.id
        fact = InteractionFact(
            interaction_id=str(row.id),
            customer_id=str(row.customer_id),
            case_id=str(row.case_id),
            started_at=started_at,
            day=started_at.date(),
            brand=row.brand,
            vendor=row.vendor,
            team=row.team or UNKNOWN_DIMENSION,
            agent=row.agent,
            channel=row.channel,
            language=row.language or UNKNOWN_DIMENSION,
            purpose=row.purpose,
            handle_seconds=row.handle_seconds,
            csat=row.csat,
            nps=row.nps,
            is_escalated=row.status == CaseStatus.ESCALATED.value,
            is_transferred=row.case_id in transferred,
            qa_score=qa_score,
            compliance_passed=row.qa_passed if qa_score is not None else None,
            critical_fails=_critical_fails(row.qa_criteria) if qa_score is not None else 0,
            first_response_met=case_clocks.first_response_met if carries_clocks else None,
            resolution_met=case_clocks.resolution_met if carries_clocks else None,
            sentiment_change=_sentiment_change(row.qa_criteria) if qa_score is not None else None,
        )
        facts.append(fact)
        ids[fact.interaction_id] = _TenantIds(row.brand_id, row.vendor_id, row.agent_id)
    return facts, ids


def read_interaction_facts(connection: Connection, *, brand_id: int, at: datetime) -> tuple[InteractionFact, ...]:
    """Every interaction of a brand as facts, recomputed from the raw rows (slow; for checks and rebuilds)."""
    rows = _read_fact_rows(connection, _fact_query().where(t.interactions.c.brand_id == brand_id))
    facts, _ = _facts_from_rows(connection, rows, at=at)
    return mark_repeat_contacts(facts, window_days=repeat_contact_window_days(connection, brand_id))


def _seed_rows(connection: Connection, interaction_ids: Sequence[int]) -> list:
    """The changed interactions and every other interaction on their cases."""
    case_ids: set[int] = set()
    for chunk in _chunks(interaction_ids):
        case_ids.update(
            connection.execute(select(t.interactions.c.case_id).where(t.interactions.c.id.in_(chunk))).scalars()
        )
    rows = []
    for chunk in _chunks(sorted(case_ids)):
        rows.extend(
            connection.execute(
                select(t.interactions.c.customer_id, t.interactions.c.started_at).where(
                    t.interactions.c.case_id.in_(chunk)
                )
            ).all()
        )
    return rows


def _neighbourhood_rows(connection: Connection, seeds: list, window: timedelta) -> list:
    """Fact rows of the seeds' customers from 2W before the first seed to 2W after the last.

    Contacts within W of a seed may change flags; each of those needs W more either side to be judged.
    """
    earliest = min(as_utc(seed.started_at) for seed in seeds) - 2 * window
    latest = max(as_utc(seed.started_at) for seed in seeds) + 2 * window
    rows = []
    for chunk in _chunks(sorted({seed.customer_id for seed in seeds})):
        rows.extend(
            _read_fact_rows(
                connection,
                _fact_query().where(
                    t.interactions.c.customer_id.in_(chunk),
                    t.interactions.c.started_at >= earliest,
                    t.interactions.c.started_at <= latest,
                ),
            )
        )
    return rows


def _counted_facts(connection: Connection, interaction_ids: Sequence[str]) -> dict[str, InteractionFact]:
    counted = {}
    for chunk in _chunks([int(i) for i in interaction_ids]):
        for interaction_id, document in connection.execute(
            select(metric_facts.c.interaction_id, metric_facts.c.fact).where(metric_facts.c.interaction_id.in_(chunk))
        ):
            counted[str(interaction_id)] = fact_from_document(document)
    return counted


_FACT_FIELDS = tuple(field.name for field in fields(InteractionFact))
# Every fact field is a scalar, so reading the attributes directly gives what dataclasses.asdict would,
# without its recursive deep copy (a noticeable share of ingest time).
_fact_values = operator.attrgetter(*_FACT_FIELDS)
_count_values = operator.attrgetter(*COUNT_COLUMNS)


def fact_to_document(fact: InteractionFact) -> dict:
    """The JSON form of a fact as stored in ``metric_facts``."""
    document = dict(zip(_FACT_FIELDS, _fact_values(fact)))
    document["started_at"] = fact.started_at.isoformat()
    document["day"] = fact.day.isoformat()
    return document


def fact_from_document(document: dict) -> InteractionFact:
    values = {key: value for key, value in document.items() if key in _FACT_FIELDS}
    values["started_at"] = datetime.fromisoformat(values["started_at"])
    values["day"] = date.fromisoformat(values["day"])
    return InteractionFact(**values)


def update_rollups_for_interactions(connection: Connection, interaction_ids: Sequence[int], *, at: datetime) -> int:
    """Bring the rollups up to date after ``interaction_ids`` were inserted or changed; returns facts changed.

    Call it in the same transaction as the change (ingest, a survey answer, a QA result, a case update);
    ``at`` is the moment running SLA clocks are judged (the change's ``now``).
    """
    brand_ids: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(sorted(set(interaction_ids))):
        for interaction_id, brand_id in connection.execute(
            select(t.interactions.c.id, t.interactions.c.brand_id).where(t.interactions.c.id.in_(chunk))
        ):
            brand_ids[brand_id].append(interaction_id)
    return sum(
        _update_brand_rollups(connection, ids, window_days=repeat_contact_window_days(connection, brand_id), at=at)
        for brand_id, ids in sorted(brand_ids.items())
    )


def _update_brand_rollups(connection: Connection, interaction_ids: list[int], *, window_days: int, at: datetime) -> int:
    window = timedelta(days=window_days)
    seeds = _seed_rows(connection, interaction_ids)
    first_seed = min(as_utc(seed.started_at) for seed in seeds)
    last_seed = max(as_utc(seed.started_at) for seed in seeds)
    seed_customers = {seed.customer_id for seed in seeds}
    facts, tenant_ids = _facts_from_rows(connection, _neighbourhood_rows(connection, seeds, window), at=at)
    marked = mark_repeat_contacts(facts, window_days=window_days)
    # Only contacts whose whole window lies inside the rows read are judged; the others cannot have changed.
    affected = [
        fact
        for fact in marked
        if int(fact.customer_id) in seed_customers and first_seed - window <= fact.started_at <= last_seed + window
    ]
    counted = _counted_facts(connection, [fact.interaction_id for fact in affected])
    deltas: dict[tuple, RollupCounts] = defaultdict(lambda: EMPTY_COUNTS)
    changed = []
    for fact in affected:
        old = counted.get(fact.interaction_id)
        if old == fact:
            continue
        changed.append((fact, old is not None))
        # An interaction's brand, vendor and agent never change; its team may (rollup_changes moves the row).
        ids = tenant_ids[fact.interaction_id]
        for key, delta in rollup_changes(old, fact):
            # In ROLLUP_KEY_COLUMNS order.
            row_key = (ids.brand_id, key.day, ids.vendor_id, ids.agent_id, key.team, key.channel, key.language, key.purpose)
            deltas[row_key] = deltas[row_key] + delta
    _store_facts(connection, changed)
    add_to_rollups(connection, deltas)
    return len(changed)


def set_repeat_contact_window(connection: Connection, *, brand_id: int, days: int, now: datetime) -> int:
    """Store the brand's repeat-contact window and rebuild its facts and rollups; returns interactions counted.

    Every repeat flag depends on the window, so this is the one place the rollups are rebuilt from the raw
    rows rather than updated incrementally.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not MIN_WINDOW_DAYS <= days <= MAX_WINDOW_DAYS:
        raise ValueError(
            f"repeat_contact_window_days has value {days!r}. Must be a whole number of days, "
            f"{MIN_WINDOW_DAYS}-{MAX_WINDOW_DAYS}."
        )
    values = {"repeat_contact_window_days": days, "updated_at": now}
    if connection.execute(
        update(brand_metric_settings).where(brand_metric_settings.c.brand_id == brand_id).values(**values)
    ).rowcount == 0:
        connection.execute(insert(brand_metric_settings).values(brand_id=brand_id, **values))
    interaction_ids = connection.execute(
        select(t.interactions.c.id).where(t.interactions.c.brand_id == brand_id)
    ).scalars().all()
    for chunk in _chunks(list(interaction_ids)):
        connection.execute(delete(metric_facts).where(metric_facts.c.interaction_id.in_(chunk)))
    for table in (interaction_rollups, agent_day_rollups, agent_week_rollups):
        connection.execute(delete(table).where(table.c.brand_id == brand_id))
    if interaction_ids:
        _update_brand_rollups(connection, list(interaction_ids), window_days=days, at=now)
    return len(interaction_ids)


def _store_facts(connection: Connection, changed: list[tuple[InteractionFact, bool]]) -> None:
    fresh = [(int(f.interaction_id), fact_to_document(f)) for f, stored in changed if not stored]
    insert_rows(connection, metric_facts, ("interaction_id", "fact"), fresh)
    recounted = [{"counted_id": int(f.interaction_id), "new_fact": fact_to_document(f)}
                 for f, stored in changed if stored]
    if recounted:
        connection.execute(
            update(metric_facts)
            .where(metric_facts.c.interaction_id == bindparam("counted_id"))
            .values(fact=bindparam("new_fact", type_=metric_facts.c.fact.type)),
            recounted,
        )


def add_to_rollups(connection: Connection, deltas: dict[tuple, RollupCounts]) -> None:
    """Add each delta to its rollup row (keyed in ROLLUP_KEY_COLUMNS order), its agent-day and agent-week rows."""
    deltas = {key: delta for key, delta in deltas.items() if not delta.is_zero()}
    if not deltas:
        return
    agent_days: dict[tuple, RollupCounts] = defaultdict(lambda: EMPTY_COUNTS)
    agent_weeks: dict[tuple, RollupCounts] = defaultdict(lambda: EMPTY_COUNTS)
    for key, delta in deltas.items():
        agent_day = key[: len(AGENT_DAY_KEY_COLUMNS)]
        agent_days[agent_day] = agent_days[agent_day] + delta
        brand_id, day, vendor_id, agent_id = key[:4]
        agent_week = (brand_id, week_of(day), vendor_id, agent_id)  # In AGENT_WEEK_KEY_COLUMNS order.
        agent_weeks[agent_week] = agent_weeks[agent_week] + delta
    _upsert_sums(connection, interaction_rollups, ROLLUP_KEY_COLUMNS, deltas)
    _upsert_sums(connection, agent_day_rollups, AGENT_DAY_KEY_COLUMNS, agent_days)
    _upsert_sums(connection, agent_week_rollups, AGENT_WEEK_KEY_COLUMNS, agent_weeks)
    _recount_days_worked(connection, list(agent_weeks))


def _recount_days_worked(connection: Connection, agent_weeks: list[tuple]) -> None:
    """Set ``days_worked`` of the agent-week rows whose days changed, from their agent-day rows.

    Whether a day is worked is not additive (an agent may work in two teams on one day, and a team move
    leaves a row of zeros behind), so it is counted again from the days rather than adjusted by a delta.
    """
    by_brand: dict[int, list[tuple]] = defaultdict(list)
    for key in agent_weeks:
        by_brand[key[0]].append(key)
    days_worked: dict[tuple, int] = dict.fromkeys(agent_weeks, 0)
    for brand_id, keys in by_brand.items():
        first_week = min(week for _, week, _, _ in keys)
        last_day = max(week for _, week, _, _ in keys) + timedelta(days=6)
        for chunk in _chunks(sorted({agent_id for _, _, _, agent_id in keys})):
            worked_days = connection.execute(
                select(agent_day_rollups.c.vendor_id, agent_day_rollups.c.agent_id, agent_day_rollups.c.day)
                .where(
                    agent_day_rollups.c.brand_id == brand_id,
                    agent_day_rollups.c.day >= first_week,
                    agent_day_rollups.c.day <= last_day,
                    agent_day_rollups.c.agent_id.in_(chunk),
                    agent_day_rollups.c.interactions > 0,
                )
                .distinct()
            )
            for vendor_id, agent_id, day in worked_days:
                key = (brand_id, week_of(day), vendor_id, agent_id)
                if key in days_worked:
                    days_worked[key] += 1
    key_names = [f"key_{name}" for name in AGENT_WEEK_KEY_COLUMNS]
    key_matches = (agent_week_rollups.c[name] == bindparam(key) for name, key in zip(AGENT_WEEK_KEY_COLUMNS, key_names))
    connection.execute(
        update(agent_week_rollups).where(*key_matches).values(days_worked=bindparam("worked")),
        [{**dict(zip(key_names, key)), "worked": worked} for key, worked in days_worked.items()],
    )


@dataclass(frozen=True)
class _SumUpsert:
    """An upsert adding a row of sums to a rollup table, as driver SQL with positional parameters."""

    sql: str
    # (position, converter) for the values the driver cannot take as they are (dates on SQLite).
    converters: tuple[tuple[int, Callable], ...]
    # Values of the columns the caller does not set but the insert must (their constant column defaults).
    defaults: tuple


_sum_upserts: dict[tuple[str, str, str], _SumUpsert] = {}


def _sum_upsert(dialect, table, key_columns: tuple[str, ...]) -> _SumUpsert:
    """The upsert of ``table`` for ``dialect``: INSERT the sums, or ON CONFLICT add them to the stored row.

    Built once per table and dialect. Executed through the driver with plain tuples because SQLAlchemy's
    executemany handles every row's parameters one by one, and the rollups take thousands of rows per batch.
    """
    cache_key = (dialect.name, dialect.driver, table.name)
    cached = _sum_upserts.get(cache_key)
    if cached is not None:
        return cached
    quote = dialect.identifier_preparer.quote
    given = (*key_columns, *COUNT_COLUMNS)
    defaulted = [column for column in table.c if column.name not in given and column.default is not None]
    columns = [table.c[name] for name in given] + defaulted
    placeholder = driver_placeholder(dialect)
    target = quote(table.name)
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(column.name) for column in columns)}) "
        f"VALUES ({', '.join(placeholder for _ in columns)}) "
        f"ON CONFLICT ({', '.join(quote(name) for name in key_columns)}) DO UPDATE SET "
        + ", ".join(f"{quote(name)} = {target}.{quote(name)} + excluded.{quote(name)}" for name in COUNT_COLUMNS)
    )
    upsert = _SumUpsert(sql, bind_converters(dialect, columns[: len(given)]),
                        tuple(column.default.arg for column in defaulted))
    _sum_upserts[cache_key] = upsert
    return upsert


def _upsert_sums(connection: Connection, table, key_columns: tuple[str, ...], deltas: dict[tuple, RollupCounts]) -> None:
    upsert = _sum_upsert(connection.dialect, table, key_columns)
    rows = []
    for key, delta in deltas.items():
        row = [*key, *_count_values(delta), *upsert.defaults]
        for position, converter in upsert.converters:
            row[position] = converter(row[position])
        rows.append(tuple(row))
    connection.exec_driver_sql(upsert.sql, rows)
