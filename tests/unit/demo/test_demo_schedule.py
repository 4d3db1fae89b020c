from dataclasses import replace
from datetime import UTC, date, datetime, time
from random import Random

import pytest

from trustdesk.core.model import Channel
from trustdesk.demo.operation import Shift, build_operation
from trustdesk.demo.schedule import AgentPool, is_on_shift, pick_start

END = date(2026, 11, 20)


@pytest.fixture(scope="module")
def operation():
    return build_operation(2, end=END, customers=50, interactions=50)


def _agent_with(operation, shift: Shift, time_zone: str):
    return replace(operation.agents[0], shift=shift, time_zone=time_zone)


@pytest.mark.parametrize(
    ("start", "end", "utc_moment", "on_shift"),
    [
        # Manila is UTC+8: a 21:00-06:00 night shift runs 13:00-22:00 UTC.
        (time(21), time(6), datetime(2026, 11, 2, 13, 30, tzinfo=UTC), True),
        (time(21), time(6), datetime(2026, 11, 2, 21, 59, tzinfo=UTC), True),
        (time(21), time(6), datetime(2026, 11, 2, 22, 0, tzinfo=UTC), False),
        (time(21), time(6), datetime(2026, 11, 2, 12, 0, tzinfo=UTC), False),
        (time(8), time(17), datetime(2026, 11, 2, 1, 0, tzinfo=UTC), True),  # 09:00 in Manila
        (time(8), time(17), datetime(2026, 11, 2, 10, 0, tzinfo=UTC), False),  # 18:00 in Manila
    ],
)
def test_is_on_shift_in_the_agents_time_zone(operation, start, end, utc_moment, on_shift) -> None:
    agent = _agent_with(operation, Shift(start, end), "Asia/Manila")
    assert is_on_shift(agent, utc_moment) is on_shift


def test_pick_start_falls_inside_the_shift_and_the_period(operation) -> None:
    rng = Random(4)
    for agent in operation.agents:
        for day in (date(2026, 9, 22), date(2026, 10, 15), END):
            moment = pick_start(agent, day, rng, period_start=date(2026, 9, 22), period_end=END)
            assert date(2026, 9, 22) <= moment.date() <= END
            assert is_on_shift(agent, moment), (agent.external_id, agent.shift, moment)


def test_pool_prefers_exact_matches_and_speakers(operation) -> None:
    pool = AgentPool(operation.agents)
    for language in ("en", "es", "fr", "pt"):
        agents = pool.qualified("globex", language, Channel.VOICE, "billing")
        assert agents
        assert all(agent.brand == "globex" and agent.proficiency(language) >= 3 for agent in agents)
    exact = pool.qualified("acme", "en", Channel.CHAT, "fraud_report")
    assert all(Channel.CHAT in agent.channels and "fraud_report" in agent.skills for agent in exact)
