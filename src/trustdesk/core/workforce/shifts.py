"""Shifts in an agent's local wall time, including shifts that cross midnight."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

EVERY_DAY = frozenset(range(7))


@dataclass(frozen=True)
class Shift:
    """Works ``start`` to ``end`` local time on each weekday in ``weekdays`` (0 = Monday; the day it starts).

    ``end`` before ``start`` crosses midnight (22:00-06:00); ``end`` equal to ``start`` is a 24-hour shift.
    Shifts are minute-precise, which lets routing compare small integers instead of times.
    """

    start: time
    end: time
    weekdays: frozenset[int] = EVERY_DAY
    start_minute: int = field(init=False, repr=False, compare=False)
    end_minute: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.weekdays <= EVERY_DAY:
            raise ValueError(f"weekdays must be within 0-6, got {sorted(self.weekdays)}")
        for name, moment in (("start", self.start), ("end", self.end)):
            if moment.second or moment.microsecond or moment.tzinfo is not None:
                raise ValueError(f"shift {name} must be a whole minute without a zone, got {moment}")
        object.__setattr__(self, "start_minute", self.start.hour * 60 + self.start.minute)
        object.__setattr__(self, "end_minute", self.end.hour * 60 + self.end.minute)

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start

    def covers(self, local: datetime) -> bool:
        """True when the wall-clock moment ``local`` (already in the agent's zone) is inside the shift."""
        return self.covers_minute(local.weekday(), local.hour * 60 + local.minute)

    def covers_minute(self, weekday: int, minute: int) -> bool:
        """True when minute ``minute`` (0-1439) of local weekday ``weekday`` is inside the shift."""
        start, end = self.start_minute, self.end_minute
        if start == end:
            return weekday in self.weekdays
        if start < end:
            return start <= minute < end and weekday in self.weekdays
        if minute >= start:
            return weekday in self.weekdays
        # Before the end, early in the morning: the shift began the previous evening.
        return minute < end and (weekday - 1) % 7 in self.weekdays


def parse_clock_time(text: str) -> time:
    """Parse ``HH:MM`` (24-hour clock) as used in shift definitions."""
    hours, separator, minutes = text.partition(":")
    if not separator or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"expected HH:MM, got {text!r}")
    return time(int(hours), int(minutes))
