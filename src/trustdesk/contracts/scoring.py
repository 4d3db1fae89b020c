"""Wire shape of a scoring result (CONTRACTS.md section 3)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from trustdesk.core.quality.results import QualityResult


class EvidenceOut(BaseModel):
    turn: int = Field(ge=0)
    quote: str


class CriterionOut(BaseModel):
    id: str
    result: Literal["pass", "fail", "not_applicable"]
    points: float
    max_points: float
    critical: bool
    evidence: list[EvidenceOut]
    # Additions to the contract (optional for readers): why a result is not applicable, or what was checked.
    reason: str = ""
    section: str = ""


class ScoreOut(BaseModel):
    external_id: str
    scorecard: str
    score: float = Field(ge=0, le=100)
    passed: bool
    criteria: list[CriterionOut]

    @classmethod
    def from_result(cls, result: QualityResult) -> ScoreOut:
        """The wire object for a core QualityResult."""
        return cls(
            external_id=result.external_id,
            scorecard=result.scorecard,
            score=result.score,
            passed=result.passed,
            criteria=[
                CriterionOut(
                    id=c.id,
                    result=c.result.value,
                    points=c.points,
                    max_points=c.max_points,
                    critical=c.critical,
                    evidence=[EvidenceOut(turn=e.turn, quote=e.quote) for e in c.evidence],
                    reason=c.reason,
                    section=c.section,
                )
                for c in result.criteria
            ],
        )
