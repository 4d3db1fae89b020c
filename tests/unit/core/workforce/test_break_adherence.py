from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trustdesk.core.workforce.wellbeing import (
    BreakRules,
    BreakTally,
    WorkSpan,
    break_adherence,
    tally_breaks,
)

SHIFT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def span(start_minutes: float, minutes: float) -> WorkSpan:
    start = SHIFT + timedelta(minutes=start_minutes)
    return WorkSpan(start, start + timedelta(minutes=minutes))


PLAN = (span(120, 15), span(240, 30), span(420, 15))


@pytest.mark.parametrize(
    ("taken", "honoured"),
    [
        ((span(120, 15), span(240, 30), span(420, 15)), 3),
        ((span(130, 15), span(225, 31), span(440, 14)), 3),  # within 30 minutes, at least 80% as long
        ((span(120, 15), span(420, 15)), 2),  # the meal skipped
        ((span(120, 15), span(240, 10), span(420, 15)), 2),  # a 10-minute "meal" is cut short
        ((span(120, 15), span(300, 30), span(420, 15)), 2),  # the meal taken an hour late
        ((span(120, 300),), 1),  # one long break stands in for one planned break only
        ((), 0),
    ],
)
def test_a_scheduled_break_counts_when_a_taken_break_honours_it(taken, honoured):
    assert tally_breaks(PLAN, taken) == BreakTally(scheduled=3, taken=honoured)


def test_tolerance_and_minimum_length_are_rules():
    late = (span(160, 15),)
    assert tally_breaks(PLAN[:1], late).taken == 0
    assert tally_breaks(PLAN[:1], late, rules=BreakRules(tolerance=timedelta(minutes=45))).taken == 1
    short = (span(120, 9),)
    assert tally_breaks(PLAN[:1], short, rules=BreakRules(min_share=0.5)).taken == 1


def test_adherence_sums_over_agents_and_is_none_without_a_plan():
    assert break_adherence([BreakTally(3, 3), BreakTally(5, 1)]) == 0.5
    assert break_adherence([BreakTally(0, 0)]) is None
    assert break_adherence([]) is None
