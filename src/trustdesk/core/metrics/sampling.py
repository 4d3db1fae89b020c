"""Audit sampling plan: how many interactions to audit, and which, stratified by vendor and channel.

The size is Cochran's sample size for estimating a proportion (e.g. the share of interactions with a
finding) at a confidence level and margin of error, with the finite population correction. It is
allocated to strata in proportion to their size (largest remainder), with at least one interaction from
every non-empty stratum, and drawn with the random generator the caller passes in.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import NormalDist

DEFAULT_CONFIDENCE = 0.95
DEFAULT_MARGIN = 0.05
# p = 0.5 maximizes p(1 - p), so the size is enough whatever the true finding rate is.
DEFAULT_PROPORTION = 0.5


@dataclass(frozen=True, order=True)
class Stratum:
    vendor: str
    channel: str


@dataclass(frozen=True)
class AuditCandidate:
    interaction_id: str
    stratum: Stratum


@dataclass(frozen=True)
class StratumAllocation:
    stratum: Stratum
    population: int
    sample_size: int


@dataclass(frozen=True)
class AuditSample:
    """The plan (target size and per-stratum allocation) and the interactions drawn, by stratum then id."""

    population: int
    target_size: int
    allocations: tuple[StratumAllocation, ...]
    interaction_ids: tuple[str, ...]


def cochran_sample_size(
    population: int,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    margin: float = DEFAULT_MARGIN,
    proportion: float = DEFAULT_PROPORTION,
) -> int:
    """Interactions to audit to estimate a proportion within ``margin`` at ``confidence`` (<= population)."""
    if population < 0:
        raise ValueError(f"population has value {population!r}. Must be >= 0.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence has value {confidence!r}. Must be between 0 and 1, exclusive.")
    if not 0 < margin < 1:
        raise ValueError(f"margin has value {margin!r}. Must be between 0 and 1, exclusive.")
    if not 0 < proportion < 1:
        raise ValueError(f"proportion has value {proportion!r}. Must be between 0 and 1, exclusive.")
    if population == 0:
        return 0
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    infinite_size = z * z * proportion * (1 - proportion) / (margin * margin)
    corrected = infinite_size / (1 + (infinite_size - 1) / population)
    return min(population, math.ceil(corrected))


def allocate_proportionally(sizes: Mapping[Stratum, int], total: int) -> dict[Stratum, int]:
    """Per-stratum sample sizes summing to ``total`` (or to the number of non-empty strata, if larger).

    Each non-empty stratum gets at least one and never more than its size; the rest follows the
    largest-remainder method, ties broken by stratum order.
    """
    strata = sorted(stratum for stratum, size in sizes.items() if size > 0)
    population = sum(sizes[s] for s in strata)
    if total < 0:
        raise ValueError(f"total has value {total!r}. Must be >= 0.")
    total = min(total, population)
    if not strata or total == 0:
        return {}
    quotas = {s: total * sizes[s] / population for s in strata}
    allocation = {s: max(1, math.floor(quotas[s])) for s in strata}
    shortfall = total - sum(allocation.values())
    if shortfall > 0:
        # floor() leaves each stratum less than one short, so one extra each is enough.
        by_remainder = sorted(strata, key=lambda s: (-(quotas[s] - allocation[s]), s))
        for stratum in by_remainder[:shortfall]:
            allocation[stratum] += 1
    # The minimum of one can overshoot; take back from the most over-allocated strata that can spare one.
    while sum(allocation.values()) > total:
        donors = [s for s in strata if allocation[s] > 1]
        if not donors:
            break
        donor = min(donors, key=lambda s: (-(allocation[s] - quotas[s]), s))
        allocation[donor] -= 1
    return allocation


def draw_audit_sample(
    candidates: Iterable[AuditCandidate],
    *,
    rng: random.Random,
    confidence: float = DEFAULT_CONFIDENCE,
    margin: float = DEFAULT_MARGIN,
    proportion: float = DEFAULT_PROPORTION,
) -> AuditSample:
    """A stratified random audit sample; the same candidates and rng state give the same sample."""
    by_stratum: dict[Stratum, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.interaction_id in seen:
            raise ValueError(f"interaction_id {candidate.interaction_id!r} is a candidate twice.")
        seen.add(candidate.interaction_id)
        by_stratum[candidate.stratum].append(candidate.interaction_id)
    population = len(seen)
    target = cochran_sample_size(population, confidence=confidence, margin=margin, proportion=proportion)
    sizes = {stratum: len(ids) for stratum, ids in by_stratum.items()}
    allocation = allocate_proportionally(sizes, target)
    drawn: list[str] = []
    allocations: list[StratumAllocation] = []
    for stratum in sorted(by_stratum):
        # Sorting first makes the draw independent of the order the candidates were read in.
        ids = sorted(by_stratum[stratum])
        size = allocation.get(stratum, 0)
        drawn.extend(sorted(rng.sample(ids, size)))
        allocations.append(StratumAllocation(stratum=stratum, population=len(ids), sample_size=size))
    return AuditSample(
        population=population,
        target_size=target,
        allocations=tuple(allocations),
        interaction_ids=tuple(drawn),
    )
