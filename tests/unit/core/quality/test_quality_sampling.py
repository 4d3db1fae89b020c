"""Review sampling: equal counts per agent, reviewers taking turns, repeatable with a seed."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustdesk.core.quality.sampling import sample_reviews

POOLS = {1: list(range(100, 110)), 2: list(range(200, 203)), 3: list(range(300, 306))}


def test_every_agent_gets_the_requested_number_when_all_have_enough():
    plan = sample_reviews(POOLS, per_agent=2, reviewer_ids=[7, 8], rng=random.Random(1))
    counts = {agent: sum(1 for a in plan.assignments if a.agent_id == agent) for agent in POOLS}
    assert counts == {1: 2, 2: 2, 3: 2} and plan.per_agent == 2 and plan.short_agents == ()
    assert all(a.interaction_id in POOLS[a.agent_id] for a in plan.assignments)


def test_the_agent_with_fewest_interactions_caps_everyone():
    plan = sample_reviews(POOLS, per_agent=5, reviewer_ids=[7], rng=random.Random(1))
    assert plan.per_agent == 3 and plan.short_agents == (2,)
    assert len(plan.assignments) == 9


def test_the_same_seed_draws_the_same_sample():
    first = sample_reviews(POOLS, per_agent=2, reviewer_ids=[7, 8], rng=random.Random(42))
    again = sample_reviews(POOLS, per_agent=2, reviewer_ids=[7, 8], rng=random.Random(42))
    assert first == again


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="per_agent"):
        sample_reviews(POOLS, per_agent=0, reviewer_ids=[7], rng=random.Random(1))
    with pytest.raises(ValueError, match="reviewer"):
        sample_reviews(POOLS, per_agent=1, reviewer_ids=[], rng=random.Random(1))
    assert sample_reviews({1: []}, per_agent=1, reviewer_ids=[7], rng=random.Random(1)).assignments == ()


@given(
    pools=st.dictionaries(st.integers(1, 50), st.lists(st.integers(1, 10_000), min_size=1, max_size=12, unique=True),
                          min_size=1, max_size=8),
    per_agent=st.integers(1, 6),
    reviewers=st.lists(st.integers(1, 20), min_size=1, max_size=4, unique=True),
    seed=st.integers(0, 1000),
)
def test_counts_are_equal_and_reviewer_loads_differ_by_at_most_one(pools, per_agent, reviewers, seed):
    plan = sample_reviews(pools, per_agent=per_agent, reviewer_ids=reviewers, rng=random.Random(seed))
    per = {agent: sum(1 for a in plan.assignments if a.agent_id == agent) for agent in pools}
    assert set(per.values()) == {min(per_agent, min(len(ids) for ids in pools.values()))}
    loads = [sum(1 for a in plan.assignments if a.reviewer_id == r) for r in reviewers]
    assert max(loads) - min(loads) <= 1
    for agent, ids in pools.items():
        drawn = [a.interaction_id for a in plan.assignments if a.agent_id == agent]
        assert len(set(drawn)) == len(drawn) and set(drawn) <= set(ids)
