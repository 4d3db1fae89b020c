"""CEM score: a 0-100 composite of customer outcome, conduct and workforce health, always with its breakdown.

Each pillar is the weighted mean of its components that have data; a pillar with no data is left out
and its weight is shared among the others in proportion to their weights, and the breakdown says so.
docs/metrics.md gives the formula and the default weights.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields


class CemPillar(str, enum.Enum):
    CUSTOMER_OUTCOME = "customer_outcome"
    CONDUCT = "conduct"
    WORKFORCE_HEALTH = "workforce_health"


class CemComponent(str, enum.Enum):
    CSAT = "csat"
    NPS = "nps"
    FCR = "fcr"
    COMPLIANCE = "compliance"
    CRITICAL_FAIL_FREE = "critical_fail_free"
    HEALTHY_OCCUPANCY = "healthy_occupancy"
    ENPS = "enps"


@dataclass(frozen=True)
class CemWeights:
    """Pillar weights, then component weights inside each pillar; only ratios matter, not the totals."""

    customer_outcome: float = 0.5
    conduct: float = 0.35
    workforce_health: float = 0.15
    csat: float = 1.0
    nps: float = 1.0
    fcr: float = 1.0
    # Compliance counts twice a clean critical record: a passed scorecard already excludes critical fails.
    compliance: float = 2.0
    critical_fail_free: float = 1.0
    healthy_occupancy: float = 1.0
    enps: float = 1.0

    def __post_init__(self) -> None:
        for weight_field in fields(self):
            value = getattr(self, weight_field.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"CEM weight '{weight_field.name}' has value {value!r}. Not a number.")  # noqa: TRY004 - one error type for config
            if not math.isfinite(value) or value < 0:
                raise ValueError(
                    f"CEM weight '{weight_field.name}' has value {value!r}. Must be finite and >= 0."
                )
        if self.customer_outcome + self.conduct + self.workforce_health <= 0:
            raise ValueError(
                "CEM pillar weights customer_outcome + conduct + workforce_health must sum to > 0."
            )
        if self.customer_outcome > 0 and self.csat + self.nps + self.fcr <= 0:
            raise ValueError("CEM weights csat + nps + fcr must sum to > 0 while customer_outcome > 0.")
        if self.conduct > 0 and self.compliance + self.critical_fail_free <= 0:
            raise ValueError("CEM weights compliance + critical_fail_free must sum to > 0 while conduct > 0.")
        if self.workforce_health > 0 and self.healthy_occupancy + self.enps <= 0:
            raise ValueError(
                "CEM weights healthy_occupancy + enps must sum to > 0 while workforce_health > 0."
            )


DEFAULT_CEM_WEIGHTS = CemWeights()


def parse_cem_weights(table: Mapping[str, object]) -> CemWeights:
    """CemWeights from a configuration table (e.g. TOML ``[metrics.cem_weights]``); errors name the key."""
    known = {weight_field.name for weight_field in fields(CemWeights)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(
            f"CEM weight '{unknown[0]}' is not known. Known weights: {', '.join(sorted(known))}."
        )
    return CemWeights(**table)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CemInputs:
    """The KPIs the composite reads, on their own scales; None where there is no data."""

    csat: float | None = None  # 0-1
    nps: float | None = None  # -100..100
    fcr: float | None = None  # 0-1
    compliance_pass_rate: float | None = None  # 0-1
    critical_fail_rate: float | None = None  # 0-1 share of QA-checked interactions with a critical fail
    healthy_occupancy: float | None = None  # 0-1 share of worked time by agents within the occupancy limit
    enps: float | None = None  # -100..100, the agents' anonymous pulse


@dataclass(frozen=True)
class CemComponentScore:
    component: CemComponent
    value: float | None  # normalized to 0-100
    configured_weight: float
    applied_weight: float  # share inside its pillar after leaving out components with no data


@dataclass(frozen=True)
class CemPillarScore:
    pillar: CemPillar
    score: float | None
    configured_weight: float
    applied_weight: float  # share of the composite after redistribution
    components: tuple[CemComponentScore, ...]


@dataclass(frozen=True)
class CemResult:
    """The composite and how it was made: pillars, components, and a note for every redistribution."""

    score: float | None
    pillars: tuple[CemPillarScore, ...]
    notes: tuple[str, ...]


def _normalized_components(inputs: CemInputs) -> dict[CemComponent, float | None]:
    def scaled(rate: float | None) -> float | None:
        return None if rate is None else 100.0 * rate

    return {
        CemComponent.CSAT: scaled(inputs.csat),
        CemComponent.NPS: None if inputs.nps is None else (inputs.nps + 100.0) / 2.0,
        CemComponent.FCR: scaled(inputs.fcr),
        CemComponent.COMPLIANCE: scaled(inputs.compliance_pass_rate),
        CemComponent.CRITICAL_FAIL_FREE: (
            None if inputs.critical_fail_rate is None else 100.0 * (1.0 - inputs.critical_fail_rate)
        ),
        CemComponent.HEALTHY_OCCUPANCY: scaled(inputs.healthy_occupancy),
        CemComponent.ENPS: None if inputs.enps is None else (inputs.enps + 100.0) / 2.0,
    }


def _pillar_layout(
    weights: CemWeights,
) -> tuple[tuple[CemPillar, float, tuple[tuple[CemComponent, float], ...]], ...]:
    return (
        (
            CemPillar.CUSTOMER_OUTCOME,
            weights.customer_outcome,
            (
                (CemComponent.CSAT, weights.csat),
                (CemComponent.NPS, weights.nps),
                (CemComponent.FCR, weights.fcr),
            ),
        ),
        (
            CemPillar.CONDUCT,
            weights.conduct,
            (
                (CemComponent.COMPLIANCE, weights.compliance),
                (CemComponent.CRITICAL_FAIL_FREE, weights.critical_fail_free),
            ),
        ),
        (
            CemPillar.WORKFORCE_HEALTH,
            weights.workforce_health,
            (
                (CemComponent.HEALTHY_OCCUPANCY, weights.healthy_occupancy),
                (CemComponent.ENPS, weights.enps),
            ),
        ),
    )


def _weighted_mean(pairs: list[tuple[float, float]]) -> tuple[float | None, float]:
    total_weight = math.fsum(weight for _, weight in pairs)
    if total_weight <= 0:
        return None, 0.0
    mean = math.fsum(value * weight for value, weight in pairs) / total_weight
    # Every value is within 0-100; the clamp only removes float drift such as 100.00000000000001.
    return min(100.0, max(0.0, mean)), total_weight


def _check_inputs(inputs: CemInputs) -> None:
    ranges = {
        "csat": (0.0, 1.0),
        "nps": (-100.0, 100.0),
        "fcr": (0.0, 1.0),
        "compliance_pass_rate": (0.0, 1.0),
        "critical_fail_rate": (0.0, 1.0),
        "healthy_occupancy": (0.0, 1.0),
        "enps": (-100.0, 100.0),
    }
    for name, (low, high) in ranges.items():
        value = getattr(inputs, name)
        if value is not None and not low <= value <= high:
            raise ValueError(f"CEM input '{name}' has value {value!r}. Must be within {low}..{high}.")


def score_cem(inputs: CemInputs, weights: CemWeights = DEFAULT_CEM_WEIGHTS) -> CemResult:
    """The CEM composite (0-100, None without any data) with its full breakdown."""
    _check_inputs(inputs)
    values = _normalized_components(inputs)
    notes: list[str] = []
    drafts: list[tuple[CemPillar, float | None, float, tuple[CemComponentScore, ...]]] = []
    for pillar, pillar_weight, components in _pillar_layout(weights):
        pillar_score, present_weight = _weighted_mean(
            [(value, w) for c, w in components if (value := values[c]) is not None and w > 0]
        )
        component_scores = tuple(
            CemComponentScore(
                component=component,
                value=values[component],
                configured_weight=weight,
                applied_weight=(weight / present_weight)
                if values[component] is not None and present_weight
                else 0.0,
            )
            for component, weight in components
        )
        missing = [c.value for c, w in components if values[c] is None and w > 0]
        if pillar_weight > 0 and pillar_score is None:
            notes.append(
                f"{pillar.value}: no data; its weight {pillar_weight:g} is shared among the other pillars"
            )
        elif pillar_weight > 0 and missing:
            notes.append(f"{pillar.value}: no data for {', '.join(missing)}; scored on the other components")
        drafts.append((pillar, pillar_score, pillar_weight, component_scores))

    scored_weight = math.fsum(w for _, s, w, _ in drafts if s is not None and w > 0)
    pillars = tuple(
        CemPillarScore(
            pillar=pillar,
            score=pillar_score,
            configured_weight=pillar_weight,
            applied_weight=(pillar_weight / scored_weight)
            if pillar_score is not None and scored_weight
            else 0.0,
            components=component_scores,
        )
        for pillar, pillar_score, pillar_weight, component_scores in drafts
    )
    composite = _weighted_mean(
        [(p.score, p.configured_weight) for p in pillars if p.score is not None and p.configured_weight > 0]
    )[0]
    return CemResult(score=composite, pillars=pillars, notes=tuple(notes))
