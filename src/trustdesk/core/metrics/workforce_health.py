"""Workforce health for the CEM score: how much of a group's worked time is within the occupancy limit,
and the agents' eNPS. Both are None when the group has no data for them (docs/metrics.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trustdesk.core.metrics import kpis
from trustdesk.core.workforce.shifts import Shift

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class AgentWorkload:
    """One agent over the period: time on shift on the days they worked, and time busy with contacts."""

    worked_seconds: float
    handle_seconds: float


@dataclass(frozen=True)
class EnpsCounts:
    answers: int
    promoters: int
    detractors: int


@dataclass(frozen=True)
class WorkforceHealth:
    healthy_occupancy: float | None  # 0-1
    enps: float | None  # -100..100


NO_WORKFORCE_DATA = WorkforceHealth(healthy_occupancy=None, enps=None)


def healthy_occupancy(workloads: Iterable[AgentWorkload], *, max_occupancy: float) -> float | None:
    """Worked seconds of agents whose occupancy (handle / worked) is at most ``max_occupancy``, over all
    worked seconds; None without worked time."""
    worked = within = 0.0
    for workload in workloads:
        if workload.worked_seconds <= 0:
            continue
        worked += workload.worked_seconds
        if workload.handle_seconds / workload.worked_seconds <= max_occupancy:
            within += workload.worked_seconds
    return within / worked if worked > 0 else None


def enps(counts: EnpsCounts, *, min_answers: int) -> float | None:
    """eNPS (-100..100) like NPS; None below ``min_answers`` so no one's answer can be singled out."""
    if counts.answers < min_answers:
        return None
    return kpis.nps(counts.promoters, counts.detractors, counts.answers)


def shift_seconds(shift: Shift) -> float:
    """Length of one shift; a shift ending when it starts lasts 24 hours (as ``Shift`` defines it)."""
    minutes = (shift.end_minute - shift.start_minute) % MINUTES_PER_DAY or MINUTES_PER_DAY
    return minutes * 60.0
