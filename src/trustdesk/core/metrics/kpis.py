"""One small function per KPI over plain counts and sums; every KPI is None when it has no data.

The definitions (numerator, denominator, exclusions) are written out in docs/metrics.md; these
functions are the single place they are computed, for rollups and brute-force checks alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

# Survey scales (CONTRACTS.md section 1): CSAT 1-5, NPS 0-10.
CSAT_POSITIVE_MIN = 4
NPS_PROMOTER_MIN = 9
NPS_DETRACTOR_MAX = 6
CSAT_NEGATIVE_MAX = 2


def share(part: float, whole: float) -> float | None:
    """``part / whole``, or None when the denominator is empty."""
    if whole <= 0:
        return None
    return part / whole


def first_contact_resolution(resolved_first_contact: int, eligible: int) -> float | None:
    """Share (0-1) of first contacts that had no repeat contact within the window."""
    return share(resolved_first_contact, eligible)


def average_handle_time(handle_seconds_sum: float, handled: int) -> float | None:
    """Mean talk + hold + wrap seconds over interactions whose handle time is known."""
    return share(handle_seconds_sum, handled)


def csat(positive_answers: int, answers: int) -> float | None:
    """Share (0-1) of CSAT answers that are 4 or 5."""
    return share(positive_answers, answers)


def nps(promoters: int, detractors: int, answers: int) -> float | None:
    """Net Promoter Score (-100..100): % promoters (9-10) minus % detractors (0-6)."""
    if answers <= 0:
        return None
    return 100.0 * (promoters - detractors) / answers


def sla_adherence(met: int, measured: int) -> float | None:
    """Share (0-1) of measured SLA clocks (first response and resolution) that met their target."""
    return share(met, measured)


def escalation_rate(escalated: int, interactions: int) -> float | None:
    """Share (0-1) of interactions escalated to a higher tier."""
    return share(escalated, interactions)


def transfer_rate(transferred: int, interactions: int) -> float | None:
    """Share (0-1) of interactions handed off to another agent or queue."""
    return share(transferred, interactions)


def repeat_contact_rate(repeat_contacts: int, interactions: int) -> float | None:
    """Share (0-1) of interactions that repeat an earlier contact within the window."""
    return share(repeat_contacts, interactions)


def qa_score(score_sum: float, scored: int) -> float | None:
    """Mean QA score (0-100) over interactions with a QA result."""
    return share(score_sum, scored)


def compliance_pass_rate(passed: int, checked: int) -> float | None:
    """Share (0-1) of QA-checked interactions that passed every compliance criterion."""
    return share(passed, checked)


def sentiment_change(change_sum: float, measured: int) -> float | None:
    """Mean change of customer sentiment from the start to the end of a contact."""
    return share(change_sum, measured)


def population_std_dev(count: int, total: float, total_of_squares: float) -> float | None:
    """Population standard deviation from a count, a sum and a sum of squares (None below 2 values)."""
    if count < 2:
        return None
    mean = total / count
    # Cancellation can leave a tiny negative variance when every value is equal.
    variance = max(0.0, total_of_squares / count - mean * mean)
    return math.sqrt(variance)


def agent_to_agent_consistency(agent_mean_scores: Iterable[float]) -> float | None:
    """Spread (population std dev, QA points) of the agents' mean QA scores; None below 2 agents."""
    means = list(agent_mean_scores)
    return population_std_dev(len(means), math.fsum(means), math.fsum(m * m for m in means))
