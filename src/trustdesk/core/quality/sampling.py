"""Review sampling: pick the same number of interactions for every agent in a period, spread over reviewers.

Fairness to agents (QA-4): each agent is evaluated on as many interactions as every other agent, chosen at
random (seeded, so a run can be repeated and audited), never by hand.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Assignment:
    interaction_id: int
    agent_id: int
    reviewer_id: int


@dataclass(frozen=True)
class SamplingPlan:
    assignments: tuple[Assignment, ...]
    per_agent: int  # interactions each agent gets: the requested number, or fewer if some agent had fewer
    short_agents: tuple[int, ...]  # agents whose interaction count limited ``per_agent``


def sample_reviews(
    interactions_by_agent: Mapping[int, Sequence[int]],
    *,
    per_agent: int,
    reviewer_ids: Sequence[int],
    rng: random.Random,
) -> SamplingPlan:
    """An equal random sample per agent; reviewers take turns so each reviews about the same number.

    Every agent gets ``min(per_agent, fewest interactions any agent has)`` so no agent is sampled more
    than another; agents with no interactions in the period are not part of the plan.
    """
    if per_agent < 1:
        raise ValueError(f"per_agent must be at least 1, got {per_agent}")
    if not reviewer_ids:
        raise ValueError("at least one reviewer is needed")
    pools = {agent: sorted(ids) for agent, ids in sorted(interactions_by_agent.items()) if ids}
    if not pools:
        return SamplingPlan((), 0, ())
    fewest = min(len(ids) for ids in pools.values())
    count = min(per_agent, fewest)
    short = tuple(agent for agent, ids in pools.items() if len(ids) == fewest) if fewest < per_agent else ()
    assignments = []
    turn = rng.randrange(len(reviewer_ids))
    for agent, ids in pools.items():
        for interaction_id in sorted(rng.sample(ids, count)):
            assignments.append(Assignment(interaction_id, agent, reviewer_ids[turn % len(reviewer_ids)]))
            turn += 1
    return SamplingPlan(tuple(assignments), count, short)
