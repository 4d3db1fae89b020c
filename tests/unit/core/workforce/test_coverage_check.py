from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from trustdesk.core.workforce.coverage import HourSpan, ScheduledAgent, check_coverage, group_hours
from trustdesk.core.workforce.shifts import Shift

MONDAY = datetime(2026, 6, 1, tzinfo=UTC)


def agent(external_id: str, zone: str, start: int, end: int, languages=(("en", 5),)) -> ScheduledAgent:
    return ScheduledAgent(external_id, zone.split("/")[-1], zone, Shift(time(start), time(end)), languages)


def test_follow_the_sun_covers_the_day():
    # Manila 08-16 = 00-08 UTC, Berlin (CEST) 10-18 = 08-16 UTC, New York (EDT) 12-20 = 16-24 UTC.
    team = [
        agent("m", "Asia/Manila", 8, 16),
        agent("b", "Europe/Berlin", 10, 18),
        agent("n", "America/New_York", 12, 20),
    ]
    report = check_coverage(team, period_start=MONDAY, period_hours=24, required_languages=["en"])
    assert report.is_fully_covered


def test_uncovered_hours_are_grouped_into_spans():
    team = [agent("m", "Asia/Manila", 8, 16), agent("n", "America/New_York", 12, 20)]
    report = check_coverage(team, period_start=MONDAY, period_hours=24)
    assert report.uncovered == (HourSpan(MONDAY + timedelta(hours=8), MONDAY + timedelta(hours=16)),)
    assert report.uncovered[0].hours == 8


def test_language_gaps_list_hours_without_a_proficient_agent():
    team = [
        agent("m", "Asia/Manila", 8, 16, (("en", 5), ("es", 2))),
        agent("b", "Europe/Berlin", 10, 18, (("es", 4),)),
        agent("n", "America/New_York", 12, 20),
    ]
    report = check_coverage(team, period_start=MONDAY, period_hours=24, required_languages=["es", "en"])
    assert report.uncovered == ()
    gaps = {gap.language: gap.spans for gap in report.language_gaps}
    assert gaps == {
        "en": (HourSpan(MONDAY + timedelta(hours=8), MONDAY + timedelta(hours=16)),),
        "es": (
            HourSpan(MONDAY, MONDAY + timedelta(hours=8)),
            HourSpan(MONDAY + timedelta(hours=16), MONDAY + timedelta(hours=24)),
        ),
    }


def test_partial_hours_and_weekdays_do_not_count_as_covered():
    half = ScheduledAgent("h", "utc", "UTC", Shift(time(9, 30), time(11)), (("en", 5),))
    report = check_coverage([half], period_start=MONDAY, period_hours=24)
    covered = 24 - sum(span.hours for span in report.uncovered)
    assert covered == 1  # only 10:00-11:00
    weekdays_only = ScheduledAgent(
        "w", "utc", "UTC", Shift(time(0), time(0), frozenset(range(5))), (("en", 5),)
    )
    week = check_coverage([weekdays_only], period_start=MONDAY)
    assert week.uncovered == (HourSpan(MONDAY + timedelta(days=5), MONDAY + timedelta(days=7)),)


def test_minimum_agents_per_hour():
    team = [agent("a", "UTC", 0, 12), agent("b", "UTC", 6, 18)]
    report = check_coverage(team, period_start=MONDAY, period_hours=24, minimum_agents=2)
    assert report.uncovered == (
        HourSpan(MONDAY, MONDAY + timedelta(hours=6)),
        HourSpan(MONDAY + timedelta(hours=12), MONDAY + timedelta(hours=24)),
    )


def test_group_hours_empty():
    assert group_hours([]) == ()
