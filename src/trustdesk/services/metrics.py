"""Metrics reads: KPIs per group over a period, summed from the rollup table only (never from interactions).

Rows are narrowed to the viewer with ``scope.scope_tenant_rows`` (vendor staff see their vendor, agents
themselves), then summed per group and per agent inside the group in one GROUP BY; the core turns the
sums into KPIs and the CEM score with its breakdown. A brand the viewer may not see is reported as
missing. See docs/metrics.md for the definitions.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, Integer, Table, case, cast, func, select, union, union_all

from trustdesk.config import ConfigError
from trustdesk.core.metrics.cem import DEFAULT_CEM_WEIGHTS, CemWeights, parse_cem_weights
from trustdesk.core.metrics.rollup import (
    COUNT_COLUMNS,
    EMPTY_COUNTS,
    Dimension,
    MetricsRow,
    RollupCounts,
    metrics_from_counts,
    split_into_weeks,
)
from trustdesk.core.metrics.workforce_health import (
    NO_WORKFORCE_DATA,
    AgentWorkload,
    EnpsCounts,
    WorkforceHealth,
    enps,
    healthy_occupancy,
    shift_seconds,
)
from trustdesk.core.model import Channel
from trustdesk.core.workforce.shifts import Shift, parse_clock_time
from trustdesk.core.workforce.wellbeing import WellbeingThresholds
from trustdesk.services.enps import DETRACTOR_MAX, MIN_ANSWERS, PROMOTER
from trustdesk.services.scope import Viewer, scope_tenant_rows
from trustdesk.storage import tables as t
from trustdesk.storage.metrics_tables import agent_day_rollups, agent_week_rollups, interaction_rollups
from trustdesk.storage.operations_tables import enps_responses

# The period shown when none is chosen: the last 30 reporting days, today included.
DEFAULT_PERIOD_DAYS = 30
# A guard against accidental decade-long queries; a year of daily rows is still fast.
MAX_PERIOD_DAYS = 731


class BrandNotVisibleError(LookupError):
    """The brand does not exist or the viewer may not see it (the two are not told apart)."""

    def __init__(self, brand: str) -> None:
        super().__init__(f"brand {brand!r} not found")
        self.brand = brand


class MetricsQueryError(ValueError):
    """A query parameter is unusable; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MetricsQuery:
    """What to compute: one brand, a grouping, a period of reporting days (both inclusive), filters."""

    by: Dimension
    date_from: date
    date_to: date
    brand: str | None = None
    vendor: str | None = None
    team: str | None = None
    agent: str | None = None
    channel: str | None = None
    language: str | None = None
    purpose: str | None = None


def default_period(today: date) -> tuple[date, date]:
    """The period used when the caller gives none: the last DEFAULT_PERIOD_DAYS days up to ``today``."""
    return today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def cem_weights_from_config(config: Mapping[str, object]) -> CemWeights:
    """CEM weights from the ``[metrics.cem_weights]`` table of TRUSTDESK_CONFIG, defaults without it."""
    metrics_config = config.get("metrics", {})
    table = metrics_config.get("cem_weights") if isinstance(metrics_config, Mapping) else None
    if table is None:
        return DEFAULT_CEM_WEIGHTS
    if not isinstance(table, Mapping):
        raise ConfigError("[metrics.cem_weights] must be a table of numbers.")
    try:
        return parse_cem_weights(table)
    except ValueError as error:
        raise ConfigError(f"[metrics.cem_weights]: {error}") from error


def resolve_brand_id(connection: Connection, viewer: Viewer, brand: str | None) -> int:
    """The id of the brand to report on: the one named, else the viewer's own."""
    if brand is None:
        if viewer.brand_id is None:
            raise MetricsQueryError("brand", "brand is required for an account that is not tied to one brand")
        return viewer.brand_id
    brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand)).scalar_one_or_none()
    if brand_id is None or (not viewer.is_admin and brand_id != viewer.brand_id):
        raise BrandNotVisibleError(brand)
    return brand_id


_AGENT_DAY_DIMENSIONS = frozenset({Dimension.DAY, Dimension.BRAND, Dimension.VENDOR, Dimension.TEAM, Dimension.AGENT})
_AGENT_WEEK_DIMENSIONS = frozenset({Dimension.BRAND, Dimension.VENDOR, Dimension.AGENT})


@dataclass(frozen=True)
class _RollupPart:
    """Rows of one rollup table over a range of its ``day`` or ``week`` column (both inclusive)."""

    table: Table
    first: date
    last: date

    @property
    def period_column(self):
        return self.table.c.week if self.table is agent_week_rollups else self.table.c.day


def _rollup_parts(query: MetricsQuery) -> list[_RollupPart]:
    """Where to read a query's period: the coarsest rollups that still hold what it groups and filters by.

    Without channel, language or purpose the agent-day rows; without day or team either, the whole weeks
    of the period come from the agent-week rows and only its first and last few days from the agent days.
    """
    if query.channel is not None or query.language is not None or query.purpose is not None or (
        query.by not in _AGENT_DAY_DIMENSIONS
    ):
        return [_RollupPart(interaction_rollups, query.date_from, query.date_to)]
    if query.by not in _AGENT_WEEK_DIMENSIONS or query.team is not None:
        return [_RollupPart(agent_day_rollups, query.date_from, query.date_to)]
    parts = split_into_weeks(query.date_from, query.date_to)
    days = [_RollupPart(agent_day_rollups, first, last) for first, last in parts.days]
    return days if parts.weeks is None else [_RollupPart(agent_week_rollups, *parts.weeks), *days]


def _group_expression(by: Dimension, rollups):
    labels = {
        Dimension.BRAND: t.brands.c.key,
        Dimension.VENDOR: t.vendors.c.key,
        Dimension.AGENT: t.agents.c.external_id,
    }
    return labels[by] if by in labels else rollups.c[by.value]


def _check_period(query: MetricsQuery) -> None:
    if query.date_from > query.date_to:
        raise MetricsQueryError("from", f"from {query.date_from} is after to {query.date_to}")
    if (query.date_to - query.date_from).days >= MAX_PERIOD_DAYS:
        raise MetricsQueryError("from", f"the period may span at most {MAX_PERIOD_DAYS} days")


def _filtered(statement, query: MetricsQuery, brand_id: int, part: _RollupPart):
    rollups = part.table
    statement = statement.where(
        rollups.c.brand_id == brand_id, part.period_column >= part.first, part.period_column <= part.last
    )
    if query.vendor is not None:
        statement = statement.where(
            rollups.c.vendor_id == select(t.vendors.c.id).where(t.vendors.c.key == query.vendor).scalar_subquery()
        )
    if query.agent is not None:
        statement = statement.where(
            rollups.c.agent_id
            == select(t.agents.c.id)
            .where(t.agents.c.brand_id == brand_id, t.agents.c.external_id == query.agent)
            .scalar_subquery()
        )
    for name in ("team", "channel", "language", "purpose"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(rollups.c[name] == value)
    return statement


@functools.cache
def _summed_columns(rollups) -> tuple:
    """Days worked and the sum of every count column of one rollup table, built once (building 27
    SQL expressions per query is a noticeable share of a dashboard request)."""
    # Days the agent handled at least one interaction: their shifts on those days are their worked time.
    days_worked = (
        func.sum(rollups.c.days_worked)
        if rollups is agent_week_rollups
        else func.count(func.distinct(case((rollups.c.interactions > 0, rollups.c.day))))
    )
    return (days_worked.label("days_worked"), *(func.sum(rollups.c[name]).label(name) for name in COUNT_COLUMNS))


def _summed_part(viewer: Viewer, query: MetricsQuery, brand_id: int, part: _RollupPart):
    """Sums per group and agent of one part of the period; the parts' rows for an agent add up."""
    rollups = part.table
    group = _group_expression(query.by, rollups)
    statement = select(
        group.label("group_label"), rollups.c.vendor_id, rollups.c.agent_id, *_summed_columns(rollups)
    ).select_from(rollups)
    if query.by is Dimension.BRAND:
        statement = statement.join(t.brands, t.brands.c.id == rollups.c.brand_id)
    elif query.by is Dimension.VENDOR:
        statement = statement.join(t.vendors, t.vendors.c.id == rollups.c.vendor_id)
    elif query.by is Dimension.AGENT:
        statement = statement.join(t.agents, t.agents.c.id == rollups.c.agent_id)
    statement = scope_tenant_rows(_filtered(statement, query, brand_id, part), rollups, viewer)
    return statement.group_by(group, rollups.c.vendor_id, rollups.c.agent_id)


def _summed_rows(connection: Connection, viewer: Viewer, query: MetricsQuery, brand_id: int):
    """(group, vendor id, agent id, days worked, *COUNT_COLUMNS) tuples; an agent may come once per part."""
    parts = [_summed_part(viewer, query, brand_id, part) for part in _rollup_parts(query)]
    statement = parts[0] if len(parts) == 1 else union_all(*parts)
    return connection.execute(statement).tuples().all()


# PostgreSQL sums integers as numeric/bigint and SQLite may sum floats to ints: each column's Python type.
_COUNT_TYPES = tuple(type(getattr(EMPTY_COUNTS, name)) for name in COUNT_COLUMNS)


def _column_sums(rows: list[tuple]) -> RollupCounts:
    """The sum of rows of count values (in COUNT_COLUMNS order), column by column, with the columns' types."""
    return RollupCounts(*[convert(sum(column)) for convert, column in zip(_COUNT_TYPES, zip(*rows))])


def query_metrics(
    connection: Connection,
    viewer: Viewer,
    query: MetricsQuery,
    *,
    weights: CemWeights = DEFAULT_CEM_WEIGHTS,
) -> tuple[MetricsRow, ...]:
    """KPIs per group of ``query.by`` for what ``viewer`` may see, ordered by group; empty without data."""
    _check_period(query)
    brand_id = resolve_brand_id(connection, viewer, query.brand)
    # Agent-to-agent consistency needs each agent's own sums inside the group (agents are per brand).
    rows_per_group: dict[str, dict[tuple[int, int], list[tuple]]] = defaultdict(lambda: defaultdict(list))
    days_worked: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for group_label, vendor_id, agent_id, worked, *sums in _summed_rows(connection, viewer, query, brand_id):
        label = group_label.isoformat() if isinstance(group_label, date) else str(group_label)
        rows_per_group[label][(vendor_id, agent_id)].append(sums)
        days_worked[label][agent_id] += worked
    per_group = {
        label: {agent: _column_sums(rows) for agent, rows in agents.items()} for label, agents in rows_per_group.items()
    }
    workforce = _workforce_health(connection, viewer, query, brand_id, per_group, days_worked)
    return tuple(
        metrics_from_counts(
            # Summed straight from the rows: adding 26-field rows one by one costs more than the query.
            _column_sums([row for rows in rows_per_group[group].values() for row in rows]),
            group=group,
            weights=weights,
            workforce=workforce.get(group, NO_WORKFORCE_DATA),
            agent_counts=agents.values(),
        )
        for group, agents in sorted(per_group.items())
    )


def _workforce_health(
    connection: Connection,
    viewer: Viewer,
    query: MetricsQuery,
    brand_id: int,
    per_group: Mapping[str, Mapping[tuple[int, int], RollupCounts]],
    days_worked: Mapping[str, Mapping[int, int]],
) -> dict[str, WorkforceHealth]:
    """Healthy occupancy per group from the rollups and the agents' shifts; eNPS for vendor and brand groups."""
    agent_ids = {agent_id for agents in per_group.values() for _, agent_id in agents}
    # Most agents of a brand share a few shift patterns: each is parsed once.
    lengths: dict[tuple[str, str], float] = {}
    shifts = {}
    for agent_id, start, end in connection.execute(
        select(t.agents.c.id, t.agents.c.shift_start, t.agents.c.shift_end).where(
            t.agents.c.brand_id == brand_id, t.agents.c.shift_start.is_not(None), t.agents.c.shift_end.is_not(None)
        )
    ):
        if agent_id in agent_ids:
            if (start, end) not in lengths:
                lengths[(start, end)] = shift_seconds(Shift(parse_clock_time(start), parse_clock_time(end)))
            shifts[agent_id] = lengths[(start, end)]
    max_occupancy = WellbeingThresholds().max_occupancy
    pulse = _enps_by_group(connection, viewer, query, brand_id)
    health = {}
    for group, agents in per_group.items():
        workloads = [
            AgentWorkload(worked_seconds=days_worked[group][agent_id] * shifts[agent_id],
                          handle_seconds=counts.handle_seconds_sum)
            for (_, agent_id), counts in agents.items()
            if agent_id in shifts
        ]
        health[group] = WorkforceHealth(
            healthy_occupancy=healthy_occupancy(workloads, max_occupancy=max_occupancy), enps=pulse.get(group)
        )
    return health


def _months(date_from: date, date_to: date) -> list[str]:
    months, year, month = [], date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _enps_by_group(connection: Connection, viewer: Viewer, query: MetricsQuery, brand_id: int) -> dict[str, float]:
    """eNPS of the months the period touches, per vendor or for the brand; only for those groupings, since
    answers are anonymous per vendor, and only without filters the pulse cannot follow (agent, team, ...)."""
    if query.by not in (Dimension.VENDOR, Dimension.BRAND) or any(
        getattr(query, name) is not None for name in ("team", "agent", "channel", "language", "purpose")
    ):
        return {}
    group = t.vendors.c.key if query.by is Dimension.VENDOR else t.brands.c.key
    statement = (
        select(
            group.label("group_label"),
            func.count().label("answers"),
            func.sum(cast(enps_responses.c.score >= PROMOTER, Integer)).label("promoters"),
            func.sum(cast(enps_responses.c.score <= DETRACTOR_MAX, Integer)).label("detractors"),
        )
        .select_from(enps_responses)
        .join(t.vendors, t.vendors.c.id == enps_responses.c.vendor_id)
        .join(t.brands, t.brands.c.id == enps_responses.c.brand_id)
        .where(enps_responses.c.brand_id == brand_id, enps_responses.c.period.in_(_months(query.date_from, query.date_to)))
        .group_by(group)
    )
    if query.vendor is not None:
        statement = statement.where(t.vendors.c.key == query.vendor)
    if not viewer.is_admin and viewer.vendor_id is not None:
        statement = statement.where(enps_responses.c.vendor_id == viewer.vendor_id)
    pulse = {}
    for row in connection.execute(statement):
        value = enps(EnpsCounts(row.answers, int(row.promoters), int(row.detractors)), min_answers=MIN_ANSWERS)
        if value is not None:
            pulse[row.group_label] = value
    return pulse


@dataclass(frozen=True)
class FilterOptions:
    vendors: tuple[str, ...]
    channels: tuple[str, ...]


def list_metric_filter_options(
    connection: Connection, viewer: Viewer, *, brand_id: int, date_from: date, date_to: date
) -> FilterOptions:
    """The vendors with interactions the viewer may see in the period, and every channel.

    Languages are typed, not listed: listing them would read every fine-grained rollup row of the period.
    """
    parts = _rollup_parts(MetricsQuery(by=Dimension.VENDOR, date_from=date_from, date_to=date_to))
    vendor_ids = union(*(
        scope_tenant_rows(
            select(part.table.c.vendor_id).where(
                part.table.c.brand_id == brand_id, part.period_column >= part.first, part.period_column <= part.last
            ),
            part.table,
            viewer,
        )
        for part in parts
    )).subquery()
    vendors = connection.execute(
        select(t.vendors.c.key).where(t.vendors.c.id.in_(select(vendor_ids.c.vendor_id))).order_by(t.vendors.c.key)
    ).scalars()
    return FilterOptions(vendors=tuple(vendors), channels=tuple(channel.value for channel in Channel))
