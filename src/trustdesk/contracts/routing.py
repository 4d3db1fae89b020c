"""Wire shapes of CONTRACTS.md section 6 (routing), and their conversion to and from the core types."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trustdesk.core.model import Channel, Priority
from trustdesk.core.routing.route import AgentState, Contact, RoutingDecision
from trustdesk.core.workforce.shifts import Shift, parse_clock_time


class ConsentsIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    offshore_transfer: bool = True


class ContactIn(BaseModel):
    channel: Channel
    language: str = Field(min_length=2)
    purpose: str = Field(min_length=1)
    priority: Priority = Priority.NORMAL
    customer_country: str = Field(min_length=2, max_length=2)
    at: datetime
    consents: ConsentsIn = Field(default_factory=ConsentsIn)
    allowed_countries: list[str] | None = None

    @field_validator("at")
    @classmethod
    def require_time_zone(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("needs a UTC offset or Z, e.g. 2026-10-01T14:00:00Z")
        return value

    def to_contact(self) -> Contact:
        allowed = (
            None if self.allowed_countries is None else frozenset(c.upper() for c in self.allowed_countries)
        )
        return Contact(
            channel=self.channel,
            language=self.language,
            purpose=self.purpose,
            priority=self.priority,
            customer_country=self.customer_country.upper(),
            at=self.at,
            allows_offshore_transfer=self.consents.offshore_transfer,
            allowed_countries=allowed,
        )


class ShiftIn(BaseModel):
    start: str
    end: str
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] | None = None  # 0 = Monday; absent = every day

    @field_validator("start", "end")
    @classmethod
    def check_clock_time(cls, value: str) -> str:
        parse_clock_time(value)
        return value

    def to_shift(self) -> Shift:
        start, end = parse_clock_time(self.start), parse_clock_time(self.end)
        if self.weekdays is None:
            return Shift(start, end)
        return Shift(start, end, frozenset(self.weekdays))


class AgentIn(BaseModel):
    external_id: str = Field(min_length=1)
    vendor: str
    country: str = Field(min_length=2, max_length=2)
    languages: dict[str, int]
    skills: list[str]
    channels: list[Channel]
    time_zone: str
    shift: ShiftIn
    load: dict[Channel, int] = Field(default_factory=dict)
    capacity: dict[Channel, int] = Field(default_factory=dict)
    occupancy: float = Field(ge=0.0, le=1.0)

    @field_validator("languages")
    @classmethod
    def check_proficiency(cls, value: dict[str, int]) -> dict[str, int]:
        bad = {code: level for code, level in value.items() if not 1 <= level <= 5}
        if bad:
            raise ValueError(f"proficiency must be 1-5, got {bad}")
        return value

    @field_validator("time_zone")
    @classmethod
    def check_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA time zone {value!r}") from error
        return value

    def to_agent_state(self) -> AgentState:
        return AgentState(
            external_id=self.external_id,
            vendor=self.vendor,
            country=self.country.upper(),
            languages=dict(self.languages),
            skills=frozenset(self.skills),
            channels=frozenset(self.channels),
            time_zone=self.time_zone,
            shift=self.shift.to_shift(),
            load=dict(self.load),
            capacity=dict(self.capacity),
            occupancy=self.occupancy,
        )


class RouteRequestIn(BaseModel):
    contact: ContactIn
    agents: list[AgentIn] | None = None  # absent: use the agents stored for the brand
    brand: str | None = None  # whose stored agents; a brand-bound caller's own brand when absent


class ExclusionOut(BaseModel):
    agent: str
    reason: str


class RouteDecisionOut(BaseModel):
    agent: str | None
    queue: str
    reasons: list[str]
    excluded: list[ExclusionOut]

    @classmethod
    def from_decision(cls, decision: RoutingDecision) -> RouteDecisionOut:
        return cls(
            agent=decision.agent,
            queue=decision.queue,
            reasons=list(decision.reasons),
            excluded=[ExclusionOut(agent=item.agent, reason=item.reason) for item in decision.excluded],
        )
