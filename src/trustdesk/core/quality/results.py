"""The outcome of scoring: per-criterion results with their evidence, and the interaction's total."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Outcome(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Evidence:
    """One quoted turn that supports a result; ``turn`` indexes ``interaction.turns``."""

    turn: int
    quote: str


@dataclass(frozen=True)
class Assessment:
    """What a criterion concluded about one interaction, before the scorecard weighs it."""

    outcome: Outcome
    evidence: tuple[Evidence, ...] = ()
    reason: str = ""
    # Numbers the criterion measured on the way (e.g. sentiment at start and end), kept for metrics.
    measures: tuple[tuple[str, float], ...] = ()


def passed(
    evidence: tuple[Evidence, ...] | list[Evidence] = (),
    reason: str = "",
    *,
    measures: tuple[tuple[str, float], ...] = (),
) -> Assessment:
    """A passing assessment with its evidence."""
    return Assessment(Outcome.PASS, tuple(evidence), reason, measures)


def failed(
    evidence: tuple[Evidence, ...] | list[Evidence] = (),
    reason: str = "",
    *,
    measures: tuple[tuple[str, float], ...] = (),
) -> Assessment:
    """A failing assessment with its evidence and what went wrong."""
    return Assessment(Outcome.FAIL, tuple(evidence), reason, measures)


def not_applicable(reason: str) -> Assessment:
    """An assessment that does not count, with the reason why."""
    return Assessment(Outcome.NOT_APPLICABLE, (), reason)


@dataclass(frozen=True)
class CriterionResult:
    id: str
    result: Outcome
    points: float
    max_points: float
    critical: bool
    evidence: tuple[Evidence, ...]
    reason: str
    section: str
    measures: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class QualityResult:
    external_id: str
    scorecard: str
    score: float
    passed: bool
    criteria: tuple[CriterionResult, ...]

    @property
    def failed_critical(self) -> tuple[CriterionResult, ...]:
        """Critical criteria that failed: any one of them fails the whole interaction."""
        return tuple(c for c in self.criteria if c.critical and c.result is Outcome.FAIL)


def to_contract_dict(result: QualityResult) -> dict[str, object]:
    """The CONTRACTS.md section 3 JSON object for ``result`` (``reason`` and ``section`` are additions)."""
    return {
        "external_id": result.external_id,
        "scorecard": result.scorecard,
        "score": result.score,
        "passed": result.passed,
        "criteria": [
            {
                "id": c.id,
                "result": c.result.value,
                "points": c.points,
                "max_points": c.max_points,
                "critical": c.critical,
                "evidence": [{"turn": e.turn, "quote": e.quote} for e in c.evidence],
                "reason": c.reason,
                "section": c.section,
                # Only criteria that measure something carry it, so other results keep their shape.
                **({"measures": dict(c.measures)} if c.measures else {}),
            }
            for c in result.criteria
        ],
    }
