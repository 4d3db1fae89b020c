"""Wire shape of one metrics row (CONTRACTS.md section 5) and its mapping from the core MetricsRow."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from trustdesk.core.metrics.cem import CemResult
from trustdesk.core.metrics.rollup import MetricsRow

Rate = Annotated[float, Field(ge=0.0, le=1.0)]
Score = Annotated[float, Field(ge=0.0, le=100.0)]
Count = Annotated[int, Field(ge=0)]


class CemComponentOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    component: str
    value: Score | None
    configured_weight: float
    applied_weight: float


class CemPillarOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    pillar: str
    score: Score | None
    configured_weight: float
    applied_weight: float
    components: list[CemComponentOut]


class CemBreakdownOut(BaseModel):
    """How the CEM score was made; shown next to the number everywhere it is shown."""

    model_config = ConfigDict(frozen=True)

    pillars: list[CemPillarOut]
    notes: list[str]

    @classmethod
    def from_result(cls, result: CemResult) -> CemBreakdownOut:
        return cls(
            pillars=[
                CemPillarOut(
                    pillar=pillar.pillar.value,
                    score=pillar.score,
                    configured_weight=pillar.configured_weight,
                    applied_weight=pillar.applied_weight,
                    components=[
                        CemComponentOut(
                            component=component.component.value,
                            value=component.value,
                            configured_weight=component.configured_weight,
                            applied_weight=component.applied_weight,
                        )
                        for component in pillar.components
                    ],
                )
                for pillar in result.pillars
            ],
            notes=list(result.notes),
        )


class MetricsRowOut(BaseModel):
    """One group of ``trustdesk metrics`` and ``GET /api/v1/metrics``; no data is null, never 0."""

    model_config = ConfigDict(frozen=True)

    group: str
    interactions: Count
    fcr: Rate | None
    aht_seconds: Annotated[float, Field(ge=0.0)] | None
    csat: Rate | None
    nps: Annotated[float, Field(ge=-100.0, le=100.0)] | None
    sla_adherence: Rate | None
    escalation_rate: Rate | None
    transfer_rate: Rate | None
    repeat_contact_rate: Rate | None
    qa_score: Score | None
    compliance_pass_rate: Rate | None
    cem_score: Score | None
    # Beyond the contract's minimum (CONTRACTS.md: extend freely).
    first_response_adherence: Rate | None = None
    resolution_adherence: Rate | None = None
    qa_score_spread: Annotated[float, Field(ge=0.0)] | None = None
    agent_consistency: Annotated[float, Field(ge=0.0)] | None = None
    critical_fails: Count = 0
    critical_fail_rate: Rate | None = None
    sentiment_change: float | None = None
    csat_answers: Count = 0
    nps_answers: Count = 0
    cem_breakdown: CemBreakdownOut | None = None

    @classmethod
    def from_row(cls, row: MetricsRow) -> MetricsRowOut:
        """The wire row for a core MetricsRow, breakdown included."""
        return cls(
            group=row.group,
            interactions=row.interactions,
            fcr=row.fcr,
            aht_seconds=row.aht_seconds,
            csat=row.csat,
            nps=row.nps,
            sla_adherence=row.sla_adherence,
            escalation_rate=row.escalation_rate,
            transfer_rate=row.transfer_rate,
            repeat_contact_rate=row.repeat_contact_rate,
            qa_score=row.qa_score,
            compliance_pass_rate=row.compliance_pass_rate,
            cem_score=row.cem_score,
            first_response_adherence=row.first_response_adherence,
            resolution_adherence=row.resolution_adherence,
            qa_score_spread=row.qa_score_spread,
            agent_consistency=row.agent_consistency,
            critical_fails=row.critical_fails,
            critical_fail_rate=row.critical_fail_rate,
            sentiment_change=row.sentiment_change,
            csat_answers=row.csat_answers,
            nps_answers=row.nps_answers,
            cem_breakdown=CemBreakdownOut.from_result(row.cem),
        )
