from datetime import time

import pytest

from trustdesk.core.metrics.workforce_health import (
    AgentWorkload,
    EnpsCounts,
    enps,
    healthy_occupancy,
    shift_seconds,
)
from trustdesk.core.workforce.shifts import Shift

HOUR = 3600.0


def test_healthy_occupancy_is_the_worked_time_of_agents_within_the_limit():
    calm = AgentWorkload(worked_seconds=30 * HOUR, handle_seconds=15 * HOUR)  # 50 %
    at_limit = AgentWorkload(worked_seconds=10 * HOUR, handle_seconds=8.5 * HOUR)  # exactly 85 %: within
    overloaded = AgentWorkload(worked_seconds=20 * HOUR, handle_seconds=19 * HOUR)  # 95 %
    assert healthy_occupancy([calm, at_limit, overloaded], max_occupancy=0.85) == pytest.approx(40 / 60)


def test_healthy_occupancy_without_worked_time_is_no_data_not_zero():
    assert healthy_occupancy([], max_occupancy=0.85) is None
    assert healthy_occupancy([AgentWorkload(0.0, 0.0)], max_occupancy=0.85) is None
    assert healthy_occupancy([AgentWorkload(HOUR, HOUR)], max_occupancy=0.85) == 0.0


def test_enps_needs_enough_answers_to_stay_anonymous():
    assert enps(EnpsCounts(answers=4, promoters=4, detractors=0), min_answers=5) is None
    assert enps(EnpsCounts(answers=5, promoters=3, detractors=1), min_answers=5) == pytest.approx(40.0)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [(time(8), time(16), 8), (time(22), time(6), 8), (time(9), time(9), 24), (time(9, 30), time(18), 8.5)],
)
def test_shift_length_handles_midnight_and_24_hours(start, end, hours):
    assert shift_seconds(Shift(start, end)) == hours * HOUR
