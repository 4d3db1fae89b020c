"""Erlang C staffing: agents needed per interval for a service level, from volume and handle time.

Erlang C (A. K. Erlang, 1917) models an M/M/N queue with infinite patience: calls arrive at random, wait
in one queue, and are served by N identical agents. Traffic A in erlangs = volume x AHT / interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class StaffingResult:
    """What N agents achieve for one interval's traffic."""

    agents: int
    traffic_erlangs: float
    probability_of_waiting: float
    service_level: float
    average_speed_of_answer_seconds: float
    occupancy: float


@dataclass(frozen=True)
class IntervalForecast:
    """Forecast for one queue in one interval (``interval_start`` is an ISO label chosen by the caller)."""

    queue: str
    interval_start: str
    volume: float
    aht_seconds: float


@dataclass(frozen=True)
class IntervalRequirement:
    forecast: IntervalForecast
    staffing: StaffingResult


def traffic_intensity(volume_per_interval: float, aht_seconds: float, interval_seconds: float) -> float:
    """Offered traffic in erlangs: the average number of contacts in service at once."""
    if volume_per_interval < 0 or aht_seconds <= 0 or interval_seconds <= 0:
        raise ValueError(
            f"need volume >= 0, aht_seconds > 0 and interval_seconds > 0, got "
            f"{volume_per_interval}, {aht_seconds}, {interval_seconds}"
        )
    return volume_per_interval * aht_seconds / interval_seconds


def erlang_c(traffic_erlangs: float, agents: int) -> float:
    """Probability that a contact waits (Erlang C) with ``agents`` servers; 1.0 when the queue is unstable."""
    if agents <= 0 or traffic_erlangs >= agents:
        return 1.0
    if traffic_erlangs <= 0:
        return 0.0
    # Erlang B by its recurrence stays finite for large N, unlike the factorial form; C follows from B.
    blocking = 1.0
    for servers in range(1, agents + 1):
        blocking = traffic_erlangs * blocking / (servers + traffic_erlangs * blocking)
    return agents * blocking / (agents - traffic_erlangs * (1.0 - blocking))


def evaluate_staffing(
    traffic_erlangs: float, agents: int, *, aht_seconds: float, target_answer_seconds: float
) -> StaffingResult:
    """Service level, waiting probability, ASA and occupancy for ``agents`` serving ``traffic_erlangs``."""
    waiting = erlang_c(traffic_erlangs, agents)
    if agents <= traffic_erlangs:
        return StaffingResult(agents, traffic_erlangs, 1.0, 0.0, math.inf, 1.0 if agents else 0.0)
    spare = agents - traffic_erlangs
    service_level = 1.0 - waiting * math.exp(-spare * target_answer_seconds / aht_seconds)
    return StaffingResult(
        agents=agents,
        traffic_erlangs=traffic_erlangs,
        probability_of_waiting=waiting,
        service_level=service_level,
        average_speed_of_answer_seconds=waiting * aht_seconds / spare,
        occupancy=traffic_erlangs / agents,
    )


def agents_needed(
    volume_per_interval: float,
    aht_seconds: float,
    interval_seconds: float,
    target_service_level: float,
    target_answer_seconds: float,
    *,
    max_occupancy: float = 1.0,
) -> StaffingResult:
    """The fewest agents whose service level reaches the target with occupancy at or below the cap."""
    if not 0 < target_service_level < 1:
        raise ValueError(
            f"target_service_level must be between 0 and 1 exclusive, got {target_service_level}"
        )
    if not 0 < max_occupancy <= 1:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy}")
    traffic = traffic_intensity(volume_per_interval, aht_seconds, interval_seconds)
    if traffic == 0:
        return evaluate_staffing(0.0, 0, aht_seconds=aht_seconds, target_answer_seconds=target_answer_seconds)
    agents = max(math.floor(traffic) + 1, math.ceil(traffic / max_occupancy - 1e-9))
    while True:
        result = evaluate_staffing(
            traffic, agents, aht_seconds=aht_seconds, target_answer_seconds=target_answer_seconds
        )
        if result.service_level >= target_service_level:
            return result
        agents += 1


def plan_intervals(
    forecasts: Sequence[IntervalForecast],
    *,
    interval_seconds: float,
    target_service_level: float,
    target_answer_seconds: float,
    max_occupancy: float = 1.0,
) -> tuple[IntervalRequirement, ...]:
    """Agents needed for every (queue, interval) forecast, in the order given."""
    return tuple(
        IntervalRequirement(
            forecast,
            agents_needed(
                forecast.volume,
                forecast.aht_seconds,
                interval_seconds,
                target_service_level,
                target_answer_seconds,
                max_occupancy=max_occupancy,
            ),
        )
        for forecast in forecasts
    )


def scheduled_agents(agents_on_phones: int, *, shrinkage: float) -> int:
    """Agents to schedule so that ``agents_on_phones`` remain after shrinkage (breaks, training, absence)."""
    if not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage}")
    return math.ceil(agents_on_phones / (1 - shrinkage) - 1e-9)
