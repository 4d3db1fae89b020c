"""Wire shape of an interaction (CONTRACTS.md section 1), validated, and its mapping to the domain type."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from trustdesk.core.model import (
    CaseRef,
    CaseStatus,
    Channel,
    CustomerRecord,
    Interaction,
    Priority,
    Speaker,
    Survey,
    Turn,
)

Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
# Long enough for an email thread turn; longer texts are a sign of a wrong field mapping.
MAX_TURN_CHARS = 20_000
MAX_TURNS = 2_000


class _Strict(BaseModel):
    # Unknown fields are allowed so integrators can send more than we read (CONTRACTS.md: extend freely).
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class CustomerIn(_Strict):
    external_id: Key
    name: ShortText | None = None
    email: ShortText | None = None
    phone: ShortText | None = None
    address: ShortText | None = None
    date_of_birth: ShortText | None = None
    account_number: ShortText | None = None
    country: CountryCode | None = None


class AgentIn(_Strict):
    external_id: Key


class CaseIn(_Strict):
    external_id: Key
    purpose: Key = "general"
    priority: Priority = Priority.NORMAL
    status: CaseStatus = CaseStatus.OPEN


class TurnIn(_Strict):
    speaker: Speaker
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TURN_CHARS)]
    offset_seconds: Annotated[float, Field(ge=0)] | None = None


class SurveyIn(_Strict):
    csat: Annotated[int, Field(ge=1, le=5)] | None = None
    nps: Annotated[int, Field(ge=0, le=10)] | None = None
    comment: Annotated[str, StringConstraints(max_length=5_000)] | None = None


class InteractionIn(_Strict):
    external_id: Key
    brand: Key
    vendor: Key
    channel: Channel
    language: LanguageCode | None = None
    started_at: datetime
    ended_at: datetime
    hold_seconds: Annotated[float, Field(ge=0)] = 0.0
    wrap_seconds: Annotated[float, Field(ge=0)] = 0.0
    customer: CustomerIn
    agent: AgentIn
    case: CaseIn
    turns: Annotated[list[TurnIn], Field(min_length=1, max_length=MAX_TURNS)]
    survey: SurveyIn | None = None

    @field_validator("started_at", "ended_at")
    @classmethod
    def _require_timezone(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("timestamp needs a time zone, e.g. 2026-10-01T09:00:00Z")
        return value.astimezone(timezone.utc)

    @model_validator(mode="after")
    def _end_after_start(self) -> "InteractionIn":
        if self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        return self

    def to_domain(self) -> Interaction:
        """The domain value the ingest pipeline works on."""
        return Interaction(
            external_id=self.external_id,
            brand=self.brand,
            vendor=self.vendor,
            channel=self.channel,
            started_at=self.started_at,
            ended_at=self.ended_at,
            customer=CustomerRecord(**self.customer.model_dump()),
            agent_external_id=self.agent.external_id,
            case=CaseRef(
                external_id=self.case.external_id,
                purpose=self.case.purpose,
                priority=self.case.priority,
                status=self.case.status,
            ),
            turns=tuple(Turn(t.speaker, t.text, t.offset_seconds) for t in self.turns),
            language=self.language,
            hold_seconds=self.hold_seconds,
            wrap_seconds=self.wrap_seconds,
            survey=Survey(**self.survey.model_dump()) if self.survey else None,
        )


class IngestOutcome(BaseModel):
    external_id: str
    id: int
    status: str  # "created" | "duplicate"


class IngestResponse(BaseModel):
    results: list[IngestOutcome]
