"""Domain vocabulary of trustdesk: plain frozen values, no I/O.

Every other module (core, storage, web, cli) speaks in these names, so the wire
shapes in ``trustdesk.contracts`` and the tables in ``trustdesk.storage`` map onto them.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Channel(str, enum.Enum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    SOCIAL = "social"


class Speaker(str, enum.Enum):
    AGENT = "agent"
    CUSTOMER = "customer"
    SYSTEM = "system"


class CaseStatus(str, enum.Enum):
    OPEN = "open"
    PENDING = "pending"
    ESCALATED = "escalated"
    RESOLVED = "resolved"


class Priority(str, enum.Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Role(str, enum.Enum):
    ADMIN = "admin"
    BRAND_MANAGER = "brand_manager"
    VENDOR_MANAGER = "vendor_manager"
    SUPERVISOR = "supervisor"
    QA_ANALYST = "qa_analyst"
    AGENT = "agent"
    PRIVACY_OFFICER = "privacy_officer"
    AUDITOR = "auditor"


IN_HOUSE_VENDOR = "in-house"


# Slots: an import holds every turn of a batch at once, and a slotted instance is one object instead of two.
@dataclass(frozen=True, slots=True)
class Turn:
    speaker: Speaker
    text: str
    offset_seconds: float | None = None


@dataclass(frozen=True)
class Survey:
    csat: int | None = None
    nps: int | None = None
    comment: str | None = None


@dataclass(frozen=True)
class CustomerRecord:
    """The personal fields an interaction may carry about its customer."""

    external_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    date_of_birth: str | None = None
    account_number: str | None = None
    country: str | None = None

    def personal_fields(self) -> dict[str, str]:
        """The non-empty personal fields by name (country is not personal data on its own)."""
        values = {
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "address": self.address,
            "date_of_birth": self.date_of_birth,
            "account_number": self.account_number,
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class CaseRef:
    external_id: str
    purpose: str = "general"
    priority: Priority = Priority.NORMAL
    status: CaseStatus = CaseStatus.OPEN


@dataclass(frozen=True)
class Entity:
    """A detected span of personal data inside one text; ``label`` is a CONTRACTS.md section 2 label."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Interaction:
    """One contact as it arrives, before storage: what every ingest step reads and rewrites."""

    external_id: str
    brand: str
    vendor: str
    channel: Channel
    started_at: datetime
    ended_at: datetime
    customer: CustomerRecord
    agent_external_id: str
    case: CaseRef
    turns: tuple[Turn, ...]
    language: str | None = None
    hold_seconds: float = 0.0
    wrap_seconds: float = 0.0
    survey: Survey | None = None
    # Where the vendor provides the service (ISO 3166 alpha-2), as the vendor registry records it; set by
    # the services that score, empty when the registry knows none.
    vendor_countries: tuple[str, ...] = ()
    # Filled by pipeline steps: detected entities per turn index, and the QA outcome.
    entities: tuple[tuple[Entity, ...], ...] = field(default=())
    quality: object | None = None

    @property
    def connected_seconds(self) -> float:
        """From start to end of the contact; the customer's time on hold falls inside this span."""
        return max(0.0, (self.ended_at - self.started_at).total_seconds())

    @property
    def talk_seconds(self) -> float:
        return max(0.0, self.connected_seconds - self.hold_seconds)

    @property
    def handle_seconds(self) -> float:
        """Talk + hold + wrap (docs/metrics.md, AHT)."""
        return self.talk_seconds + self.hold_seconds + self.wrap_seconds
