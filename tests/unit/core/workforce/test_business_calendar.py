from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from trustdesk.core.workforce.calendar import (
    BusinessCalendar,
    OpeningWindow,
    always_open_calendar,
    open_seconds_between,
    weekday_calendar,
)

NEW_YORK, BERLIN, MANILA = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Manila")
HOUR = 3600


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        # US DST ends 2026-11-01 02:00 -> 01:00: that local day lasts 25 hours.
        (datetime(2026, 11, 1, tzinfo=NEW_YORK), datetime(2026, 11, 2, tzinfo=NEW_YORK), 25),
        # US DST starts 2026-03-08 02:00 -> 03:00: that local day lasts 23 hours.
        (datetime(2026, 3, 8, tzinfo=NEW_YORK), datetime(2026, 3, 9, tzinfo=NEW_YORK), 23),
        (datetime(2026, 6, 1, 10, tzinfo=UTC), datetime(2026, 6, 1, 10, 30, tzinfo=UTC), 0.5),
    ],
)
def test_always_open_counts_real_elapsed_time_across_dst(start, end, hours):
    assert open_seconds_between(always_open_calendar("America/New_York"), start, end) == hours * HOUR


def test_night_window_on_dst_start_loses_the_skipped_hour():
    calendar = BusinessCalendar("America/New_York", (OpeningWindow(6, time(0), time(6)),))
    start, end = datetime(2026, 3, 8, tzinfo=NEW_YORK), datetime(2026, 3, 9, tzinfo=NEW_YORK)
    assert open_seconds_between(calendar, start, end) == 5 * HOUR


def test_business_hours_skip_weekend_and_public_holiday():
    # Manila, Mon-Fri 08:00-17:00; Monday 2026-11-30 is Bonifacio Day.
    calendar = weekday_calendar("Asia/Manila", opens=time(8), closes=time(17), holiday_country="PH")
    start = datetime(2026, 11, 27, 16, tzinfo=MANILA)
    end = datetime(2026, 12, 1, 10, tzinfo=MANILA)
    assert open_seconds_between(calendar, start, end) == 3 * HOUR
    no_holidays = weekday_calendar("Asia/Manila", opens=time(8), closes=time(17))
    assert open_seconds_between(no_holidays, start, end) == 12 * HOUR


def test_subdivision_holidays_and_extra_closed_dates():
    bavaria = weekday_calendar(
        "Europe/Berlin", opens=time(9), closes=time(17), holiday_country="DE", holiday_subdivision="BY"
    )
    epiphany = (datetime(2026, 1, 6, tzinfo=BERLIN), datetime(2026, 1, 7, tzinfo=BERLIN))
    assert open_seconds_between(bavaria, *epiphany) == 0
    berlin = weekday_calendar("Europe/Berlin", opens=time(9), closes=time(17), holiday_country="DE")
    assert open_seconds_between(berlin, *epiphany) == 8 * HOUR
    closed = BusinessCalendar(berlin.time_zone, berlin.windows, closed_dates=frozenset({date(2026, 1, 6)}))
    assert open_seconds_between(closed, *epiphany) == 0


def test_same_instants_differ_by_site_time_zone():
    start, end = datetime(2026, 6, 1, 0, tzinfo=UTC), datetime(2026, 6, 1, 12, tzinfo=UTC)
    manila = weekday_calendar("Asia/Manila", opens=time(8), closes=time(17))  # UTC+8: 00:00-09:00 UTC
    new_york = weekday_calendar("America/New_York", opens=time(8), closes=time(17))  # UTC-4: from 12:00 UTC
    assert open_seconds_between(manila, start, end) == 9 * HOUR
    assert open_seconds_between(new_york, start, end) == 0


def test_empty_or_reversed_range_is_zero():
    calendar = always_open_calendar()
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    assert open_seconds_between(calendar, moment, moment) == 0
    assert open_seconds_between(calendar, moment + timedelta(hours=1), moment) == 0


@pytest.mark.parametrize(
    "build",
    [
        lambda: OpeningWindow(7, time(9), time(17)),
        lambda: OpeningWindow(0, time(17), time(9)),
        lambda: BusinessCalendar("Mars/Olympus", ()),
        lambda: open_seconds_between(always_open_calendar(), datetime(2026, 1, 1), datetime(2026, 1, 2)),
    ],
)
def test_invalid_calendars_and_naive_times_are_rejected(build):
    with pytest.raises(ValueError):
        build()
