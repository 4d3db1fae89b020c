"""Additive rollups: per (day, brand, vendor, team, agent, channel, language, purpose) sums of counts.

Every KPI is a ratio of sums, so rollup rows add up to any coarser group exactly and dashboards never
scan raw interactions. A row only ever holds sums (no averages, no rates): updating it when an
interaction arrives or is reclassified is adding a delta from ``rollup_changes``.
"""

from __future__ import annotations

import enum
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta

from trustdesk.core.metrics import kpis
from trustdesk.core.metrics.cem import DEFAULT_CEM_WEIGHTS, CemInputs, CemResult, CemWeights, score_cem
from trustdesk.core.metrics.facts import InteractionFact
from trustdesk.core.metrics.workforce_health import NO_WORKFORCE_DATA, WorkforceHealth


@dataclass(frozen=True, order=True, slots=True)
class RollupKey:
    day: date
    brand: str
    vendor: str
    team: str
    agent: str
    channel: str
    language: str
    purpose: str


_key_values = operator.attrgetter(*(column.name for column in fields(RollupKey)))


class Dimension(str, enum.Enum):
    """What a metrics query groups by (``--by`` in CONTRACTS.md section 5)."""

    DAY = "day"
    BRAND = "brand"
    VENDOR = "vendor"
    TEAM = "team"
    AGENT = "agent"
    CHANNEL = "channel"
    LANGUAGE = "language"
    PURPOSE = "purpose"


def dimension_value(row: RollupKey | InteractionFact, dimension: Dimension) -> str:
    """The group label of a rollup key or fact along one dimension (days as ISO dates)."""
    value = getattr(row, dimension.value)
    return value.isoformat() if isinstance(value, date) else value


@dataclass(frozen=True, slots=True)
class RollupCounts:
    """Additive sums only; a delta may hold negative values. Field names are the rollup table's columns."""

    interactions: int = 0
    handled: int = 0
    handle_seconds_sum: float = 0.0
    fcr_eligible: int = 0
    fcr_resolved_first_contact: int = 0
    csat_answers: int = 0
    csat_positive: int = 0
    nps_answers: int = 0
    nps_promoters: int = 0
    nps_detractors: int = 0
    first_response_measured: int = 0
    first_response_met: int = 0
    resolution_measured: int = 0
    resolution_met: int = 0
    escalated: int = 0
    transferred: int = 0
    repeat_contacts: int = 0
    qa_scored: int = 0
    qa_score_sum: float = 0.0
    qa_score_sq_sum: float = 0.0
    compliance_checked: int = 0
    compliance_passed: int = 0
    critical_failed: int = 0
    critical_fails: int = 0
    sentiment_measured: int = 0
    sentiment_change_sum: float = 0.0

    def __add__(self, other: RollupCounts) -> RollupCounts:
        return RollupCounts(*map(operator.add, _column_values(self), _column_values(other)))

    def __sub__(self, other: RollupCounts) -> RollupCounts:
        return RollupCounts(*map(operator.sub, _column_values(self), _column_values(other)))

    @property
    def sla_measured(self) -> int:
        return self.first_response_measured + self.resolution_measured

    @property
    def sla_met(self) -> int:
        return self.first_response_met + self.resolution_met

    def is_zero(self) -> bool:
        """True when adding this row changes nothing (an empty delta)."""
        # Every field is a number and the empty row is all zeros: cheaper than a 26-field dataclass equality.
        return not any(_column_values(self))


COUNT_COLUMNS: tuple[str, ...] = tuple(column.name for column in fields(RollupCounts))
_column_values = operator.attrgetter(*COUNT_COLUMNS)
EMPTY_COUNTS = RollupCounts()


def merge_counts(counts: Iterable[RollupCounts]) -> RollupCounts:
    """The sum of many rollup rows."""
    total = EMPTY_COUNTS
    for row in counts:
        total = total + row
    return total


def rollup_key_of(fact: InteractionFact) -> RollupKey:
    """The rollup row an interaction counts in."""
    return RollupKey(
        day=fact.day,
        brand=fact.brand,
        vendor=fact.vendor,
        team=fact.team,
        agent=fact.agent,
        channel=fact.channel,
        language=fact.language,
        purpose=fact.purpose,
    )


def _flag(condition: bool) -> int:
    return 1 if condition else 0


def counts_for_interaction(fact: InteractionFact) -> RollupCounts:
    """What one interaction adds to its rollup row."""
    qa = fact.qa_score
    return RollupCounts(
        interactions=1,
        handled=_flag(fact.handle_seconds is not None),
        handle_seconds_sum=fact.handle_seconds or 0.0,
        fcr_eligible=_flag(fact.is_fcr_eligible),
        fcr_resolved_first_contact=_flag(fact.is_resolved_first_contact),
        csat_answers=_flag(fact.csat is not None),
        csat_positive=_flag(fact.csat is not None and fact.csat >= kpis.CSAT_POSITIVE_MIN),
        nps_answers=_flag(fact.nps is not None),
        nps_promoters=_flag(fact.nps is not None and fact.nps >= kpis.NPS_PROMOTER_MIN),
        nps_detractors=_flag(fact.nps is not None and fact.nps <= kpis.NPS_DETRACTOR_MAX),
        first_response_measured=_flag(fact.first_response_met is not None),
        first_response_met=_flag(fact.first_response_met is True),
        resolution_measured=_flag(fact.resolution_met is not None),
        resolution_met=_flag(fact.resolution_met is True),
        escalated=_flag(fact.is_escalated),
        transferred=_flag(fact.is_transferred),
        repeat_contacts=_flag(fact.is_repeat_contact),
        qa_scored=_flag(qa is not None),
        qa_score_sum=qa or 0.0,
        qa_score_sq_sum=(qa or 0.0) ** 2,
        compliance_checked=_flag(fact.compliance_passed is not None),
        compliance_passed=_flag(fact.compliance_passed is True),
        critical_failed=_flag(fact.critical_fails > 0),
        critical_fails=fact.critical_fails,
        sentiment_measured=_flag(fact.sentiment_change is not None),
        sentiment_change_sum=fact.sentiment_change or 0.0,
    )


def rollup_facts(facts: Iterable[InteractionFact]) -> dict[RollupKey, RollupCounts]:
    """Rollup rows built from scratch, in key order."""
    rows: dict[RollupKey, RollupCounts] = defaultdict(lambda: EMPTY_COUNTS)
    for fact in facts:
        key = rollup_key_of(fact)
        rows[key] = rows[key] + counts_for_interaction(fact)
    # Sorting on plain tuples: the generated dataclass comparisons are several times slower.
    return dict(sorted(rows.items(), key=lambda item: _key_values(item[0])))


def counts_delta_for_reclassification(old: InteractionFact, new: InteractionFact) -> RollupCounts:
    """What to add to the row of a stored interaction whose facts changed (same rollup key)."""
    if rollup_key_of(old) != rollup_key_of(new):
        raise ValueError(
            f"interaction {old.interaction_id!r} moved rollup rows; use rollup_changes for a key change."
        )
    return counts_for_interaction(new) - counts_for_interaction(old)


def rollup_changes(
    old: InteractionFact | None, new: InteractionFact | None
) -> tuple[tuple[RollupKey, RollupCounts], ...]:
    """The (row, delta) pairs to add for an insert (old None), delete (new None) or update; none empty."""
    old_key = rollup_key_of(old) if old is not None else None
    new_key = rollup_key_of(new) if new is not None else None
    changes: list[tuple[RollupKey, RollupCounts]] = []
    if old_key is not None and old_key == new_key:
        changes.append((new_key, counts_delta_for_reclassification(old, new)))
    else:
        if old_key is not None:
            changes.append((old_key, EMPTY_COUNTS - counts_for_interaction(old)))
        if new_key is not None:
            changes.append((new_key, counts_for_interaction(new)))
    return tuple((key, delta) for key, delta in changes if not delta.is_zero())


def week_of(day: date) -> date:
    """The Monday of the week (Monday to Sunday) ``day`` is in: the key of its agent-week rollup row."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class PeriodParts:
    """A period of days as the whole weeks inside it and the days before and after them."""

    weeks: tuple[date, date] | None  # first and last Monday; None when no whole week fits
    days: tuple[tuple[date, date], ...]  # inclusive ranges of days outside the whole weeks


def split_into_weeks(date_from: date, date_to: date) -> PeriodParts:
    """Cover ``date_from``..``date_to`` (inclusive) with whole Monday-Sunday weeks and at most two day ranges."""
    first_monday = date_from + timedelta(days=(7 - date_from.weekday()) % 7)
    last_sunday = date_to - timedelta(days=(date_to.weekday() + 1) % 7)
    if first_monday > last_sunday:
        return PeriodParts(weeks=None, days=((date_from, date_to),))
    days = []
    if date_from < first_monday:
        days.append((date_from, first_monday - timedelta(days=1)))
    if last_sunday < date_to:
        days.append((last_sunday + timedelta(days=1), date_to))
    return PeriodParts(weeks=(first_monday, last_sunday - timedelta(days=6)), days=tuple(days))


@dataclass(frozen=True)
class MetricsRow:
    """One group's KPIs (CONTRACTS.md section 5 fields first); None wherever there is no data."""

    group: str
    interactions: int
    fcr: float | None
    aht_seconds: float | None
    csat: float | None
    nps: float | None
    sla_adherence: float | None
    escalation_rate: float | None
    transfer_rate: float | None
    repeat_contact_rate: float | None
    qa_score: float | None
    compliance_pass_rate: float | None
    cem_score: float | None
    first_response_adherence: float | None
    resolution_adherence: float | None
    qa_score_spread: float | None
    agent_consistency: float | None
    critical_fails: int
    critical_fail_rate: float | None
    sentiment_change: float | None
    csat_answers: int
    nps_answers: int
    cem: CemResult


def metrics_from_counts(
    counts: RollupCounts,
    *,
    group: str,
    weights: CemWeights = DEFAULT_CEM_WEIGHTS,
    workforce: WorkforceHealth = NO_WORKFORCE_DATA,
    agent_counts: Iterable[RollupCounts] = (),
) -> MetricsRow:
    """Every KPI of one group from its summed row; ``agent_counts`` (one per agent) give consistency."""
    agent_means = [row.qa_score_sum / row.qa_scored for row in agent_counts if row.qa_scored > 0]
    fcr = kpis.first_contact_resolution(counts.fcr_resolved_first_contact, counts.fcr_eligible)
    csat = kpis.csat(counts.csat_positive, counts.csat_answers)
    nps = kpis.nps(counts.nps_promoters, counts.nps_detractors, counts.nps_answers)
    compliance = kpis.compliance_pass_rate(counts.compliance_passed, counts.compliance_checked)
    critical_fail_rate = kpis.share(counts.critical_failed, counts.qa_scored)
    cem = score_cem(
        CemInputs(
            csat=csat,
            nps=nps,
            fcr=fcr,
            compliance_pass_rate=compliance,
            critical_fail_rate=critical_fail_rate,
            healthy_occupancy=workforce.healthy_occupancy,
            enps=workforce.enps,
        ),
        weights,
    )
    return MetricsRow(
        group=group,
        interactions=counts.interactions,
        fcr=fcr,
        aht_seconds=kpis.average_handle_time(counts.handle_seconds_sum, counts.handled),
        csat=csat,
        nps=nps,
        sla_adherence=kpis.sla_adherence(counts.sla_met, counts.sla_measured),
        escalation_rate=kpis.escalation_rate(counts.escalated, counts.interactions),
        transfer_rate=kpis.transfer_rate(counts.transferred, counts.interactions),
        repeat_contact_rate=kpis.repeat_contact_rate(counts.repeat_contacts, counts.interactions),
        qa_score=kpis.qa_score(counts.qa_score_sum, counts.qa_scored),
        compliance_pass_rate=compliance,
        cem_score=cem.score,
        first_response_adherence=kpis.sla_adherence(
            counts.first_response_met, counts.first_response_measured
        ),
        resolution_adherence=kpis.sla_adherence(counts.resolution_met, counts.resolution_measured),
        qa_score_spread=kpis.population_std_dev(
            counts.qa_scored, counts.qa_score_sum, counts.qa_score_sq_sum
        ),
        agent_consistency=kpis.agent_to_agent_consistency(agent_means),
        critical_fails=counts.critical_fails,
        critical_fail_rate=critical_fail_rate,
        sentiment_change=kpis.sentiment_change(counts.sentiment_change_sum, counts.sentiment_measured),
        csat_answers=counts.csat_answers,
        nps_answers=counts.nps_answers,
        cem=cem,
    )


def metrics_by(
    rows: Iterable[tuple[RollupKey, RollupCounts]],
    *,
    by: Dimension,
    weights: CemWeights = DEFAULT_CEM_WEIGHTS,
    workforce: Mapping[str, WorkforceHealth] | None = None,
) -> tuple[MetricsRow, ...]:
    """KPIs per group along ``by`` from rollup rows, ordered by group; the same sums a SQL GROUP BY gives."""
    per_agent: dict[str, dict[tuple[str, str, str], RollupCounts]] = defaultdict(
        lambda: defaultdict(lambda: EMPTY_COUNTS)
    )
    for key, counts in rows:
        agents = per_agent[dimension_value(key, by)]
        # Agent keys are unique per brand and vendor, not globally.
        agent = (key.brand, key.vendor, key.agent)
        agents[agent] = agents[agent] + counts
    health = workforce or {}
    return tuple(
        metrics_from_counts(
            merge_counts(agents.values()),
            group=group,
            weights=weights,
            workforce=health.get(group, NO_WORKFORCE_DATA),
            agent_counts=agents.values(),
        )
        for group, agents in sorted(per_agent.items())
    )
