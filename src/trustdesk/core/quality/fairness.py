"""Fairness of the scoring (QA-5): per vendor, site or language, how often humans overturn the automatic
result and how scores are distributed. Equal behaviour must score equally whoever delivers it.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trustdesk.core.quality.results import Outcome, QualityResult


@dataclass(frozen=True)
class ScoredInteraction:
    """One automatic result, the attributes to group by, and the human ratings if it was reviewed."""

    result: QualityResult
    attributes: Mapping[str, str]  # e.g. {"vendor": "manila-bpo", "site": "cebu", "language": "tl"}
    human: Mapping[str, Outcome] | None = None  # criterion id -> reviewer's result


@dataclass(frozen=True)
class GroupFairness:
    group: str
    interactions: int
    reviewed_criteria: int  # criterion results a human also rated
    disagreement_rate: float | None  # share of those where the human differs; None when none reviewed
    mean_score: float
    median_score: float
    min_score: float
    max_score: float
    pass_rate: float


def report_fairness(items: Sequence[ScoredInteraction], *, attribute: str) -> tuple[GroupFairness, ...]:
    """Per value of ``attribute`` (vendor, site, language…): disagreement rate and score distribution."""
    groups: dict[str, list[ScoredInteraction]] = {}
    for item in items:
        groups.setdefault(item.attributes.get(attribute, "unknown"), []).append(item)
    rows: list[GroupFairness] = []
    for group in sorted(groups):
        members = groups[group]
        scores = [m.result.score for m in members]
        compared = disagreed = 0
        for member in members:
            if member.human is None:
                continue
            for criterion in member.result.criteria:
                human = member.human.get(criterion.id)
                if human is not None:
                    compared += 1
                    disagreed += human is not criterion.result
        rows.append(
            GroupFairness(
                group=group,
                interactions=len(members),
                reviewed_criteria=compared,
                disagreement_rate=disagreed / compared if compared else None,
                mean_score=statistics.fmean(scores),
                median_score=statistics.median(scores),
                min_score=min(scores),
                max_score=max(scores),
                pass_rate=sum(1 for m in members if m.result.passed) / len(members),
            )
        )
    return tuple(rows)
