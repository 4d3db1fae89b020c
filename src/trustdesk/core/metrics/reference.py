"""Brute-force KPIs straight from interaction facts, written apart from the rollups to check them.

Tests compare ``metrics_from_facts`` with rollups summed in Python and in SQL; keep this module free of
``rollup`` and ``kpis`` so a mistake in one is not silently repeated in the other.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from trustdesk.core.metrics.cem import DEFAULT_CEM_WEIGHTS, CemInputs, CemWeights, score_cem
from trustdesk.core.metrics.facts import InteractionFact
from trustdesk.core.metrics.rollup import Dimension, MetricsRow
from trustdesk.core.metrics.workforce_health import NO_WORKFORCE_DATA, WorkforceHealth


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _rate(matching: list[InteractionFact], population: list[InteractionFact]) -> float | None:
    return len(matching) / len(population) if population else None


def _group_label(fact: InteractionFact, by: Dimension) -> str:
    value = getattr(fact, by.value)
    return value.isoformat() if isinstance(value, date) else str(value)


def _metrics_of_group(
    group: str, facts: list[InteractionFact], weights: CemWeights, workforce: WorkforceHealth
) -> MetricsRow:
    handled = [f.handle_seconds for f in facts if f.handle_seconds is not None]
    first_contacts = [f for f in facts if not f.is_repeat_contact]
    csat_answers = [f.csat for f in facts if f.csat is not None]
    nps_answers = [f.nps for f in facts if f.nps is not None]
    first_response = [f.first_response_met for f in facts if f.first_response_met is not None]
    resolution = [f.resolution_met for f in facts if f.resolution_met is not None]
    sla_clocks = first_response + resolution
    scored = [f for f in facts if f.qa_score is not None]
    scores = [f.qa_score for f in scored if f.qa_score is not None]
    checked = [f.compliance_passed for f in facts if f.compliance_passed is not None]
    sentiments = [f.sentiment_change for f in facts if f.sentiment_change is not None]

    agent_scores: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for fact in scored:
        agent_scores[(fact.brand, fact.vendor, fact.agent)].append(fact.qa_score or 0.0)
    agent_means = [statistics.fmean(values) for values in agent_scores.values()]

    fcr = _rate([f for f in first_contacts if not f.has_repeat_within_window], first_contacts)
    csat = sum(1 for a in csat_answers if a in (4, 5)) / len(csat_answers) if csat_answers else None
    nps = (
        (100 * sum(1 for a in nps_answers if a >= 9) - 100 * sum(1 for a in nps_answers if a <= 6))
        / len(nps_answers)
        if nps_answers
        else None
    )
    compliance = checked.count(True) / len(checked) if checked else None
    critical_fail_rate = _rate([f for f in scored if f.critical_fails > 0], scored)
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
        interactions=len(facts),
        fcr=fcr,
        aht_seconds=_mean(handled),
        csat=csat,
        nps=nps,
        sla_adherence=sla_clocks.count(True) / len(sla_clocks) if sla_clocks else None,
        escalation_rate=_rate([f for f in facts if f.is_escalated], facts),
        transfer_rate=_rate([f for f in facts if f.is_transferred], facts),
        repeat_contact_rate=_rate([f for f in facts if f.is_repeat_contact], facts),
        qa_score=_mean(scores),
        compliance_pass_rate=compliance,
        cem_score=cem.score,
        first_response_adherence=first_response.count(True) / len(first_response) if first_response else None,
        resolution_adherence=resolution.count(True) / len(resolution) if resolution else None,
        qa_score_spread=statistics.pstdev(scores) if len(scores) >= 2 else None,
        agent_consistency=statistics.pstdev(agent_means) if len(agent_means) >= 2 else None,
        critical_fails=sum(f.critical_fails for f in facts),
        critical_fail_rate=critical_fail_rate,
        sentiment_change=_mean(sentiments),
        csat_answers=len(csat_answers),
        nps_answers=len(nps_answers),
        cem=cem,
    )


def metrics_from_facts(
    facts: Iterable[InteractionFact],
    *,
    by: Dimension,
    weights: CemWeights = DEFAULT_CEM_WEIGHTS,
    workforce: Mapping[str, WorkforceHealth] | None = None,
) -> tuple[MetricsRow, ...]:
    """KPIs per group along ``by`` computed directly from the facts, ordered by group."""
    groups: dict[str, list[InteractionFact]] = defaultdict(list)
    for fact in facts:
        groups[_group_label(fact, by)].append(fact)
    health = workforce or {}
    return tuple(
        _metrics_of_group(group, members, weights, health.get(group, NO_WORKFORCE_DATA))
        for group, members in sorted(groups.items())
    )
