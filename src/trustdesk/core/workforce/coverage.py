"""24/7 coverage check across sites and time zones: which hours have nobody, or nobody for a language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from trustdesk.core.workforce.calendar import load_zone
from trustdesk.core.workforce.shifts import Shift

HOUR = timedelta(hours=1)
# Language proficiency 3 of 5 is the level at which an agent may serve a customer (CONTRACTS.md section 6).
SERVING_PROFICIENCY = 3


@dataclass(frozen=True)
class ScheduledAgent:
    """An agent's recurring shift at a site, in the site's time zone, with language proficiencies 1-5."""

    external_id: str
    site: str
    time_zone: str
    shift: Shift
    languages: tuple[tuple[str, int], ...]

    def serves(self, language: str) -> bool:
        return any(code == language and level >= SERVING_PROFICIENCY for code, level in self.languages)


@dataclass(frozen=True)
class HourSpan:
    """A run of consecutive uncovered UTC hours, [start, end)."""

    start: datetime
    end: datetime

    @property
    def hours(self) -> int:
        return int((self.end - self.start) / HOUR)


@dataclass(frozen=True)
class LanguageGap:
    language: str
    spans: tuple[HourSpan, ...]


@dataclass(frozen=True)
class CoverageReport:
    """Hours in the checked period with fewer than the minimum agents, overall and per required language."""

    period_start: datetime
    period_hours: int
    uncovered: tuple[HourSpan, ...]
    language_gaps: tuple[LanguageGap, ...]

    @property
    def is_fully_covered(self) -> bool:
        return not self.uncovered and not self.language_gaps


def is_working_hour(agent: ScheduledAgent, hour_start: datetime) -> bool:
    """True when the agent's shift covers the whole hour starting at ``hour_start``."""
    zone = load_zone(agent.time_zone)
    first = hour_start.astimezone(zone)
    # A shift is one contiguous stretch, so covering both ends of the hour means covering all of it.
    last = (hour_start + HOUR - timedelta(microseconds=1)).astimezone(zone)
    return agent.shift.covers(first) and agent.shift.covers(last)


def check_coverage(
    agents: Sequence[ScheduledAgent],
    *,
    period_start: datetime,
    period_hours: int = 168,
    required_languages: Sequence[str] = (),
    minimum_agents: int = 1,
) -> CoverageReport:
    """List the UTC hours of the period (a week by default) with fewer than ``minimum_agents`` on shift."""
    if period_start.tzinfo is None:
        raise ValueError(f"period_start must carry a time zone, got naive {period_start.isoformat()}")
    start = period_start.astimezone(UTC)
    hours = [start + index * HOUR for index in range(period_hours)]
    working = {hour: [agent for agent in agents if is_working_hour(agent, hour)] for hour in hours}
    uncovered = [hour for hour in hours if len(working[hour]) < minimum_agents]
    gaps = []
    for language in sorted(set(required_languages)):
        missing = [
            hour
            for hour in hours
            if sum(1 for agent in working[hour] if agent.serves(language)) < minimum_agents
        ]
        if missing:
            gaps.append(LanguageGap(language, group_hours(missing)))
    return CoverageReport(start, period_hours, group_hours(uncovered), tuple(gaps))


def group_hours(hours: Sequence[datetime]) -> tuple[HourSpan, ...]:
    """Merge sorted hour starts into spans of consecutive hours."""
    spans: list[HourSpan] = []
    for hour in hours:
        if spans and spans[-1].end == hour:
            spans[-1] = HourSpan(spans[-1].start, hour + HOUR)
        else:
            spans.append(HourSpan(hour, hour + HOUR))
    return tuple(spans)
