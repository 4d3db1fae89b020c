"""Fairness and wellbeing indicators per agent and per vendor, flagged against configurable thresholds."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from trustdesk.core.workforce.calendar import (
    MIDNIGHT,
    BusinessCalendar,
    OpeningWindow,
    load_zone,
    open_seconds_between,
)


class Indicator(str, enum.Enum):
    OCCUPANCY = "occupancy"
    AFTER_HOURS_SHARE = "after_hours_share"
    NIGHT_SHARE = "night_share"
    CONSECUTIVE_DAYS = "consecutive_days"
    BREAK_ADHERENCE = "break_adherence"
    DIFFICULT_CONTACT_SHARE = "difficult_contact_share"


@dataclass(frozen=True)
class WorkSpan:
    """One logged-in stretch, as UTC-comparable aware datetimes."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class BreakRules:
    """When a taken break honours a scheduled one.

    A break may start up to ``tolerance`` before or after its planned start (queues rarely let an agent
    leave on the minute) and must last at least ``min_share`` of the planned length.
    """

    tolerance: timedelta = timedelta(minutes=30)
    min_share: float = 0.8


@dataclass(frozen=True)
class BreakTally:
    """Scheduled breaks of a period and how many of them were taken as planned."""

    scheduled: int
    taken: int


def tally_breaks(
    scheduled: Sequence[WorkSpan], taken: Sequence[WorkSpan], *, rules: BreakRules = BreakRules()
) -> BreakTally:
    """Count the scheduled breaks honoured by a taken break; each taken break honours at most one.

    Scheduled breaks are matched in time order to the earliest unused taken break that starts within the
    tolerance and is long enough, so a long break cannot stand in for two planned ones.
    """
    unused = sorted(taken, key=lambda span: span.start.astimezone(UTC))
    honoured = 0
    for plan in sorted(scheduled, key=lambda span: span.start.astimezone(UTC)):
        planned_seconds = (plan.end - plan.start).total_seconds()
        match = next(
            (
                span
                for span in unused
                if abs(span.start - plan.start) <= rules.tolerance
                and (span.end - span.start).total_seconds() >= rules.min_share * planned_seconds
            ),
            None,
        )
        if match is not None:
            unused.remove(match)
            honoured += 1
    return BreakTally(scheduled=len(scheduled), taken=honoured)


def break_adherence(tallies: Sequence[BreakTally]) -> float | None:
    """Scheduled breaks taken / scheduled over several agents or periods; None when none was scheduled."""
    return _share(sum(tally.taken for tally in tallies), sum(tally.scheduled for tally in tallies))


@dataclass(frozen=True)
class AgentActivity:
    """What one agent did over the reporting period; ``handle_seconds`` is time busy with contacts."""

    external_id: str
    vendor: str
    time_zone: str
    spans: tuple[WorkSpan, ...]
    handle_seconds: float
    breaks_scheduled: int
    breaks_taken: int  # scheduled breaks honoured (``tally_breaks``)
    contacts_handled: int
    difficult_contacts: int  # abusive or highly negative, as flagged by quality scoring


@dataclass(frozen=True)
class WellbeingThresholds:
    """Flag limits; defaults follow common contact-centre guidance (occupancy above 85% burns agents out)."""

    max_occupancy: float = 0.85
    max_after_hours_share: float = 0.30
    max_night_share: float = 0.25
    max_consecutive_days: int = 6
    min_break_adherence: float = 0.90
    max_difficult_contact_share: float = 0.20


@dataclass(frozen=True)
class WellbeingFlag:
    indicator: Indicator
    value: float
    threshold: float


@dataclass(frozen=True)
class WellbeingIndicators:
    """Indicators for one agent or one vendor; a value is None when there is no data for it."""

    subject: str
    occupancy: float | None
    after_hours_share: float | None
    night_share: float | None
    consecutive_days: int
    break_adherence: float | None
    difficult_contact_share: float | None
    flags: tuple[WellbeingFlag, ...]


@dataclass(frozen=True)
class _Totals:
    worked_seconds: float
    after_hours_seconds: float
    night_seconds: float
    handle_seconds: float
    breaks_scheduled: int
    breaks_taken: int
    contacts_handled: int
    difficult_contacts: int
    consecutive_days: int


def night_calendar(time_zone: str) -> BusinessCalendar:
    """Night hours 22:00-06:00 local time, every day (the usual statutory night-work window)."""
    windows = []
    for day in range(7):
        windows.append(OpeningWindow(day, MIDNIGHT, time(6, 0)))
        windows.append(OpeningWindow(day, time(22, 0), MIDNIGHT))
    return BusinessCalendar(time_zone=time_zone, windows=tuple(windows))


def assess_agent(
    activity: AgentActivity, *, business_hours: BusinessCalendar, thresholds: WellbeingThresholds
) -> WellbeingIndicators:
    """Indicators and flags for one agent; after-hours means outside the site's business calendar."""
    return _indicators(activity.external_id, _totals(activity, business_hours), thresholds)


def assess_vendor(
    vendor: str,
    activities: Sequence[AgentActivity],
    *,
    business_hours: BusinessCalendar,
    thresholds: WellbeingThresholds,
) -> WellbeingIndicators:
    """Vendor indicators: time-weighted shares over its agents, and the longest run of consecutive days."""
    totals = [_totals(activity, business_hours) for activity in activities if activity.vendor == vendor]
    combined = _Totals(
        worked_seconds=sum(item.worked_seconds for item in totals),
        after_hours_seconds=sum(item.after_hours_seconds for item in totals),
        night_seconds=sum(item.night_seconds for item in totals),
        handle_seconds=sum(item.handle_seconds for item in totals),
        breaks_scheduled=sum(item.breaks_scheduled for item in totals),
        breaks_taken=sum(item.breaks_taken for item in totals),
        contacts_handled=sum(item.contacts_handled for item in totals),
        difficult_contacts=sum(item.difficult_contacts for item in totals),
        consecutive_days=max((item.consecutive_days for item in totals), default=0),
    )
    return _indicators(vendor, combined, thresholds)


def longest_run_of_days(days: set[date]) -> int:
    """Length of the longest run of consecutive calendar dates."""
    longest = 0
    for day in days:
        if day - timedelta(days=1) in days:
            continue
        length = 1
        while day + timedelta(days=length) in days:
            length += 1
        longest = max(longest, length)
    return longest


def _totals(activity: AgentActivity, business_hours: BusinessCalendar) -> _Totals:
    zone = load_zone(activity.time_zone)
    nights = night_calendar(activity.time_zone)
    worked = after_hours = night = 0.0
    days: set[date] = set()
    for span in activity.spans:
        seconds = (span.end.astimezone(UTC) - span.start.astimezone(UTC)).total_seconds()
        if seconds <= 0:
            continue
        worked += seconds
        after_hours += seconds - open_seconds_between(business_hours, span.start, span.end)
        night += open_seconds_between(nights, span.start, span.end)
        local_start, local_end = span.start.astimezone(zone).date(), span.end.astimezone(zone).date()
        days.update(
            local_start + timedelta(days=offset) for offset in range((local_end - local_start).days + 1)
        )
    return _Totals(
        worked_seconds=worked,
        after_hours_seconds=after_hours,
        night_seconds=night,
        handle_seconds=activity.handle_seconds,
        breaks_scheduled=activity.breaks_scheduled,
        breaks_taken=activity.breaks_taken,
        contacts_handled=activity.contacts_handled,
        difficult_contacts=activity.difficult_contacts,
        consecutive_days=longest_run_of_days(days),
    )


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


def _indicators(subject: str, totals: _Totals, thresholds: WellbeingThresholds) -> WellbeingIndicators:
    occupancy = _share(totals.handle_seconds, totals.worked_seconds)
    after_hours = _share(totals.after_hours_seconds, totals.worked_seconds)
    night = _share(totals.night_seconds, totals.worked_seconds)
    adherence = _share(totals.breaks_taken, totals.breaks_scheduled)
    difficult = _share(totals.difficult_contacts, totals.contacts_handled)
    checks: list[tuple[Indicator, float | None, float, bool]] = [
        (Indicator.OCCUPANCY, occupancy, thresholds.max_occupancy, True),
        (Indicator.AFTER_HOURS_SHARE, after_hours, thresholds.max_after_hours_share, True),
        (Indicator.NIGHT_SHARE, night, thresholds.max_night_share, True),
        (Indicator.CONSECUTIVE_DAYS, float(totals.consecutive_days), thresholds.max_consecutive_days, True),
        (Indicator.BREAK_ADHERENCE, adherence, thresholds.min_break_adherence, False),
        (Indicator.DIFFICULT_CONTACT_SHARE, difficult, thresholds.max_difficult_contact_share, True),
    ]
    flags = tuple(
        WellbeingFlag(indicator, value, threshold)
        for indicator, value, threshold, is_ceiling in checks
        if value is not None and (value > threshold if is_ceiling else value < threshold)
    )
    return WellbeingIndicators(
        subject=subject,
        occupancy=occupancy,
        after_hours_share=after_hours,
        night_share=night,
        consecutive_days=totals.consecutive_days,
        break_adherence=adherence,
        difficult_contact_share=difficult,
        flags=flags,
    )
