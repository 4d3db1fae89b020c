"""Business-hour calendars per site: weekly opening windows in a time zone, minus public holidays.

All arithmetic happens on UTC instants: Python compares two datetimes that share a tzinfo by wall
clock, which is wrong across a DST change, so every window is converted to UTC before it is measured.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

MIDNIGHT = time(0, 0)


@dataclass(frozen=True)
class OpeningWindow:
    """Open from ``start`` to ``end`` local wall time on a weekday (0 = Monday); end 00:00 means midnight."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0-6 (Monday-Sunday), got {self.weekday}")
        if self.end != MIDNIGHT and self.end <= self.start:
            raise ValueError(
                f"window end {self.end} must follow start {self.start}; split windows at midnight"
            )


@dataclass(frozen=True)
class BusinessCalendar:
    """When a site counts as open: weekly windows in ``time_zone``, closed on its public holidays."""

    time_zone: str
    windows: tuple[OpeningWindow, ...]
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    closed_dates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        load_zone(self.time_zone)  # fail at construction, naming the zone, not at first use

    def closed_dates_in(self, first: date, last: date) -> frozenset[date]:
        """Public holidays and extra closed dates of the site between two local dates, inclusive."""
        closed = {day for day in self.closed_dates if first <= day <= last}
        if self.holiday_country is not None:
            for year in range(first.year, last.year + 1):
                table = public_holidays(self.holiday_country, self.holiday_subdivision, year)
                closed.update(day for day in table if first <= day <= last)
        return frozenset(closed)


@functools.lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """A country's (and subdivision's) public holidays in one year; cached, since building the table is slow
    and SLA queues evaluate thousands of clocks on the same few calendars."""
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=[year]))


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; a ValueError naming it when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown IANA time zone {name!r}") from error


def always_open_calendar(time_zone: str = "UTC") -> BusinessCalendar:
    """A 24/7 calendar: every hour of every day counts, holidays included."""
    return BusinessCalendar(
        time_zone=time_zone, windows=tuple(OpeningWindow(day, MIDNIGHT, MIDNIGHT) for day in range(7))
    )


def weekday_calendar(
    time_zone: str,
    *,
    opens: time,
    closes: time,
    holiday_country: str | None = None,
    holiday_subdivision: str | None = None,
) -> BusinessCalendar:
    """A Monday-to-Friday calendar with the same hours each day."""
    return BusinessCalendar(
        time_zone=time_zone,
        windows=tuple(OpeningWindow(day, opens, closes) for day in range(5)),
        holiday_country=holiday_country,
        holiday_subdivision=holiday_subdivision,
    )


def open_intervals(
    calendar: BusinessCalendar, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """The UTC intervals inside [start, end) when the calendar is open, in time order."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    if end <= start:
        return
    zone = load_zone(calendar.time_zone)
    start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
    by_weekday: dict[int, list[OpeningWindow]] = {}
    for window in calendar.windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    # One extra day either side: a UTC instant may fall on the neighbouring local date.
    day = start_utc.astimezone(zone).date() - timedelta(days=1)
    last_day = end_utc.astimezone(zone).date() + timedelta(days=1)
    closed = calendar.closed_dates_in(day, last_day)
    while day <= last_day:
        if day not in closed:
            for window in sorted(by_weekday.get(day.weekday(), ()), key=lambda item: item.start):
                window_start, window_end = local_window_utc(day, window.start, window.end, zone)
                lower, upper = max(window_start, start_utc), min(window_end, end_utc)
                if lower < upper:
                    yield lower, upper
        day += timedelta(days=1)


def local_window_utc(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC bounds of local wall times ``start``..``end`` on ``day`` (end 00:00 = the next midnight)."""
    end_day = day + timedelta(days=1) if end == MIDNIGHT else day
    lower = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
    upper = datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)
    return lower, upper


def open_seconds_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Seconds of [start, end) that fall inside the calendar's open hours."""
    return sum((upper - lower).total_seconds() for lower, upper in open_intervals(calendar, start, end))


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must carry a time zone, got naive {moment.isoformat()}")
