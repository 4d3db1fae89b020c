from __future__ import annotations

from datetime import datetime, time

import pytest

from trustdesk.core.workforce.shifts import Shift, parse_clock_time

MONDAY, TUESDAY = datetime(2026, 6, 1), datetime(2026, 6, 2)


@pytest.mark.parametrize(
    ("shift", "moment", "covered"),
    [
        (Shift(time(8), time(17)), MONDAY.replace(hour=8), True),
        (Shift(time(8), time(17)), MONDAY.replace(hour=17), False),
        (Shift(time(8), time(17)), MONDAY.replace(hour=7, minute=59), False),
        (Shift(time(22), time(6)), MONDAY.replace(hour=23), True),
        (Shift(time(22), time(6)), TUESDAY.replace(hour=5, minute=59), True),
        (Shift(time(22), time(6)), TUESDAY.replace(hour=6), False),
        (Shift(time(22), time(6)), TUESDAY.replace(hour=12), False),
        (Shift(time(22), time(6), frozenset({0})), TUESDAY.replace(hour=2), True),  # began Monday night
        (Shift(time(22), time(6), frozenset({0})), MONDAY.replace(hour=2), False),  # would have begun Sunday
        (Shift(time(8), time(17), frozenset({1})), MONDAY.replace(hour=9), False),
        (Shift(time(0), time(0)), MONDAY.replace(hour=3), True),
    ],
)
def test_shift_covers(shift, moment, covered):
    assert shift.covers(moment) is covered


@pytest.mark.parametrize(
    ("text", "expected"), [("08:00", time(8)), ("23:30", time(23, 30)), ("7:05", time(7, 5))]
)
def test_parse_clock_time(text, expected):
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "8", "08:0", "ab:cd", "08:60"])
def test_parse_clock_time_rejects(text):
    with pytest.raises(ValueError):
        parse_clock_time(text)


def test_weekdays_out_of_range_are_rejected():
    with pytest.raises(ValueError, match="weekdays"):
        Shift(time(8), time(17), frozenset({7}))
