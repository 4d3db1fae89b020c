"""Consent ledger: append-only events per customer and purpose, folded into the current state.

Nothing is ever updated in place: a withdrawal is a new event. The current state is the latest event per
purpose; when no event exists, the policy's default for that purpose decides.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from trustdesk.core.privacy.policy_table import PolicyError, join_key, read_bool, reject_unknown_keys


class ConsentPurpose(str, enum.Enum):
    CALL_RECORDING = "call_recording"
    QUALITY_ANALYTICS = "quality_analytics"
    AI_PROCESSING = "ai_processing"
    OFFSHORE_TRANSFER = "offshore_transfer"
    MARKETING = "marketing"


class ConsentDecision(str, enum.Enum):
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ConsentEvent:
    """One recorded decision: who, for what, when, through which channel and with which exact wording."""

    customer: str
    purpose: ConsentPurpose
    decision: ConsentDecision
    at: datetime
    channel: str
    wording: str
    # Storage's insertion order; breaks ties between events recorded at the same instant.
    sequence: int = 0

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError(f"ConsentEvent.at must be timezone-aware, got {self.at.isoformat()}")


@dataclass(frozen=True)
class ConsentDefaults:
    """Whether each purpose is allowed for a customer who never recorded a decision about it."""

    allowed_without_event: Mapping[ConsentPurpose, bool]

    def __post_init__(self) -> None:
        missing = [purpose.value for purpose in ConsentPurpose if purpose not in self.allowed_without_event]
        if missing:
            raise ValueError(f"ConsentDefaults misses purposes: {', '.join(missing)}")


@dataclass(frozen=True)
class ConsentState:
    """The deciding event per purpose; purposes without any event are absent."""

    latest: Mapping[ConsentPurpose, ConsentEvent]

    def decision_for(self, purpose: ConsentPurpose) -> ConsentDecision | None:
        """The customer's current decision for ``purpose``, or None when they never made one."""
        event = self.latest.get(purpose)
        return event.decision if event else None


def _precedence(event: ConsentEvent) -> tuple[datetime, int, int]:
    # Latest time wins, then the higher sequence; on a full tie withdrawal wins, so the fold fails closed
    # and does not depend on the order the events arrive in.
    return (event.at, event.sequence, 1 if event.decision is ConsentDecision.WITHDRAWN else 0)


def current_consents(events: Iterable[ConsentEvent]) -> ConsentState:
    """Fold one customer's events into the latest decision per purpose (latest time, then sequence)."""
    latest: dict[ConsentPurpose, ConsentEvent] = {}
    customer: str | None = None
    for event in events:
        if customer is None:
            customer = event.customer
        elif event.customer != customer:
            raise ValueError(
                f"consent events of two customers folded together: {customer!r} and {event.customer!r}"
            )
        held = latest.get(event.purpose)
        if held is None or _precedence(event) > _precedence(held):
            latest[event.purpose] = event
    ordered = {purpose: latest[purpose] for purpose in ConsentPurpose if purpose in latest}
    return ConsentState(latest=MappingProxyType(ordered))


def allows(state: ConsentState, purpose: ConsentPurpose, *, defaults: ConsentDefaults) -> bool:
    """Whether ``purpose`` may be used now: the customer's latest decision, else the policy default."""
    decision = state.decision_for(purpose)
    if decision is None:
        return defaults.allowed_without_event[purpose]
    return decision is ConsentDecision.GRANTED


def allows_staff_country(
    state: ConsentState,
    *,
    staff_country: str,
    customer_country: str | None,
    allowed_countries: Iterable[str],
    defaults: ConsentDefaults,
) -> bool:
    """Whether staff in ``staff_country`` may handle or see this customer (residency, then offshore consent).

    ``allowed_countries`` is the brand's data-residency limit (empty: no limit). Without offshore_transfer
    consent only staff in the customer's own country qualify; a customer of unknown country then has none.
    """
    residency = tuple(country.upper() for country in allowed_countries)
    staff = staff_country.upper()
    if residency and staff not in residency:
        return False
    if allows(state, ConsentPurpose.OFFSHORE_TRANSFER, defaults=defaults):
        return True
    return customer_country is not None and staff == customer_country.upper()


def parse_consent_defaults(table: Mapping[str, Any], *, parent: str) -> ConsentDefaults:
    """Read a ``[consent.defaults]``-style table: one boolean per purpose, all purposes required."""
    reject_unknown_keys(table, parent=parent, known=[purpose.value for purpose in ConsentPurpose])
    values: dict[ConsentPurpose, bool] = {}
    for purpose in ConsentPurpose:
        if purpose.value not in table:
            raise PolicyError(join_key(parent, purpose.value), "missing value (true or false)")
        values[purpose] = read_bool(table, purpose.value, parent=parent)
    return ConsentDefaults(allowed_without_event=MappingProxyType(values))
