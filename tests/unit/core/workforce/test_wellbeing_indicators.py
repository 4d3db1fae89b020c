from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from trustdesk.core.workforce.calendar import weekday_calendar
from trustdesk.core.workforce.wellbeing import (
    AgentActivity,
    Indicator,
    WellbeingThresholds,
    WorkSpan,
    assess_agent,
    assess_vendor,
    longest_run_of_days,
)

MANILA = ZoneInfo("Asia/Manila")
SITE_HOURS = weekday_calendar("Asia/Manila", opens=time(8), closes=time(18), holiday_country="PH")
THRESHOLDS = WellbeingThresholds()


def day_span(day: int, start: int, hours: int) -> WorkSpan:
    begin = datetime(2026, 6, day, start, tzinfo=MANILA)
    return WorkSpan(begin, begin + timedelta(hours=hours))


def activity(external_id: str = "agent-7", **changes) -> AgentActivity:
    base = AgentActivity(
        external_id=external_id,
        vendor="manila-bpo",
        time_zone="Asia/Manila",
        spans=tuple(day_span(day, 9, 8) for day in range(1, 6)),  # Mon-Fri 09-17
        handle_seconds=0.7 * 40 * 3600,
        breaks_scheduled=10,
        breaks_taken=10,
        contacts_handled=200,
        difficult_contacts=10,
    )
    return replace(base, **changes)


def test_regular_week_raises_no_flags():
    result = assess_agent(activity(), business_hours=SITE_HOURS, thresholds=THRESHOLDS)
    assert result.occupancy == pytest.approx(0.7)
    assert (result.after_hours_share, result.night_share, result.consecutive_days) == (0.0, 0.0, 5)
    assert (result.break_adherence, result.difficult_contact_share) == (1.0, 0.05)
    assert result.flags == ()


def test_night_shifts_count_as_after_hours_and_night():
    nights = tuple(day_span(day, 22, 8) for day in range(1, 8))  # seven nights 22:00-06:00
    result = assess_agent(
        activity(spans=nights, handle_seconds=0.9 * 56 * 3600),
        business_hours=SITE_HOURS,
        thresholds=THRESHOLDS,
    )
    assert result.night_share == 1.0
    assert result.after_hours_share == 1.0
    assert result.consecutive_days == 8  # the seventh night ends on the eighth day
    assert {flag.indicator for flag in result.flags} == {
        Indicator.OCCUPANCY,
        Indicator.AFTER_HOURS_SHARE,
        Indicator.NIGHT_SHARE,
        Indicator.CONSECUTIVE_DAYS,
    }


def test_holiday_work_is_after_hours():
    # 2026-06-12 (Friday) is Independence Day in the Philippines.
    result = assess_agent(
        activity(spans=(day_span(11, 9, 8), day_span(12, 9, 8))),
        business_hours=SITE_HOURS,
        thresholds=THRESHOLDS,
    )
    assert result.after_hours_share == 0.5


@pytest.mark.parametrize(
    ("changes", "indicator"),
    [
        ({"breaks_taken": 8}, Indicator.BREAK_ADHERENCE),
        ({"difficult_contacts": 50}, Indicator.DIFFICULT_CONTACT_SHARE),
        ({"handle_seconds": 0.9 * 40 * 3600}, Indicator.OCCUPANCY),
    ],
)
def test_threshold_breaches_are_flagged_with_value_and_limit(changes, indicator):
    result = assess_agent(activity(**changes), business_hours=SITE_HOURS, thresholds=THRESHOLDS)
    assert [flag.indicator for flag in result.flags] == [indicator]


def test_thresholds_are_configurable():
    strict = WellbeingThresholds(max_difficult_contact_share=0.01)
    result = assess_agent(activity(), business_hours=SITE_HOURS, thresholds=strict)
    assert [(flag.indicator, flag.value, flag.threshold) for flag in result.flags] == [
        (Indicator.DIFFICULT_CONTACT_SHARE, 0.05, 0.01)
    ]


def test_no_data_gives_none_not_zero():
    idle = activity(
        spans=(),
        handle_seconds=0,
        breaks_scheduled=0,
        breaks_taken=0,
        contacts_handled=0,
        difficult_contacts=0,
    )
    result = assess_agent(idle, business_hours=SITE_HOURS, thresholds=THRESHOLDS)
    assert (result.occupancy, result.after_hours_share, result.break_adherence) == (None, None, None)
    assert result.flags == ()


def test_vendor_indicators_are_time_weighted_over_its_agents():
    regular = activity("a")
    nights = activity("b", spans=tuple(day_span(day, 22, 8) for day in range(1, 6)), breaks_taken=5)
    other_vendor = activity("c", vendor="other")
    result = assess_vendor(
        "manila-bpo", [regular, nights, other_vendor], business_hours=SITE_HOURS, thresholds=THRESHOLDS
    )
    assert result.subject == "manila-bpo"
    assert result.after_hours_share == 0.5
    assert result.break_adherence == 0.75
    assert result.consecutive_days == 6
    assert Indicator.BREAK_ADHERENCE in {flag.indicator for flag in result.flags}


def test_longest_run_of_days():
    days = {datetime(2026, 6, d).date() for d in (1, 2, 3, 5, 6)}
    assert longest_run_of_days(days) == 3
    assert longest_run_of_days(set()) == 0
