from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustdesk.core.workforce.staffing import (
    IntervalForecast,
    agents_needed,
    erlang_c,
    evaluate_staffing,
    plan_intervals,
    scheduled_agents,
    traffic_intensity,
)


def erlang_c_by_factorials(traffic: float, agents: int) -> float:
    """The textbook closed form, computed independently of the Erlang B recurrence."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return top / bottom


@pytest.mark.parametrize(
    ("traffic", "agents", "published"),
    [
        # A = 10 erlangs (100 calls / 30 min x 180 s): the worked example of the Erlang C literature.
        (10.0, 11, 0.6821),
        (10.0, 12, 0.4494),
        (10.0, 13, 0.2853),
        (10.0, 14, 0.1741),
        (2.0, 3, 0.4444),  # 4/9 exactly
        (1.0, 2, 0.3333),  # 1/3 exactly
    ],
)
def test_probability_of_waiting_matches_published_values(traffic, agents, published):
    assert erlang_c(traffic, agents) == pytest.approx(published, abs=5e-5)
    assert erlang_c(traffic, agents) == pytest.approx(erlang_c_by_factorials(traffic, agents), rel=1e-9)


@given(st.floats(0.1, 60.0), st.integers(1, 90))
def test_recurrence_matches_closed_form(traffic, agents):
    if traffic >= agents:
        assert erlang_c(traffic, agents) == 1.0
    else:
        assert erlang_c(traffic, agents) == pytest.approx(erlang_c_by_factorials(traffic, agents), rel=1e-9)


def test_classic_example_service_level_and_asa():
    thirteen = evaluate_staffing(10.0, 13, aht_seconds=180, target_answer_seconds=20)
    assert thirteen.service_level == pytest.approx(0.7956, abs=5e-5)
    assert thirteen.average_speed_of_answer_seconds == pytest.approx(17.12, abs=0.01)
    assert thirteen.occupancy == pytest.approx(10 / 13)


def test_agents_needed_for_80_in_20():
    # 13 agents give 79.56%, a hair under 80%, so a strict 80/20 target needs 14 (88.8%).
    result = agents_needed(100, 180, 1800, 0.80, 20)
    assert (result.agents, round(result.service_level, 4)) == (14, 0.8884)
    assert agents_needed(100, 180, 1800, 0.79, 20).agents == 13


def test_occupancy_cap_can_require_more_agents():
    assert agents_needed(100, 180, 1800, 0.5, 20).agents == 12
    assert agents_needed(100, 180, 1800, 0.5, 20, max_occupancy=0.7).agents == 15


def test_large_volumes_stay_finite():
    result = agents_needed(5000, 300, 1800, 0.9, 15)
    assert 834 <= result.agents < 900
    assert 0.9 <= result.service_level < 1


def test_zero_volume_needs_nobody():
    assert agents_needed(0, 180, 1800, 0.8, 20).agents == 0


def test_plan_intervals_and_shrinkage():
    plan = plan_intervals(
        [
            IntervalForecast("en-billing-voice", "09:00", 100, 180),
            IntervalForecast("en-billing-voice", "09:30", 0, 180),
        ],
        interval_seconds=1800,
        target_service_level=0.8,
        target_answer_seconds=20,
    )
    assert [item.staffing.agents for item in plan] == [14, 0]
    assert scheduled_agents(14, shrinkage=0.3) == 20
    assert scheduled_agents(14, shrinkage=0.0) == 14


@pytest.mark.parametrize(
    "call",
    [
        lambda: traffic_intensity(-1, 180, 1800),
        lambda: agents_needed(100, 180, 1800, 1.0, 20),
        lambda: agents_needed(100, 180, 1800, 0.8, 20, max_occupancy=0),
        lambda: scheduled_agents(10, shrinkage=1.0),
    ],
)
def test_invalid_inputs_are_rejected(call):
    with pytest.raises(ValueError):
        call()
