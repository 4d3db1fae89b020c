"""Data-subject requests (access, rectification, erasure): states, validated transitions and due dates."""
from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# GDPR Art. 12(3): "without undue delay and in any event within one month"; HIPAA's access rule is 30 days.
DEFAULT_DEADLINE_DAYS = 30


class DsarKind(str, enum.Enum):
    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"


class DsarState(str, enum.Enum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REJECTED = "rejected"


_NEXT_STATES: dict[DsarState, frozenset[DsarState]] = {
    DsarState.RECEIVED: frozenset({DsarState.IN_PROGRESS, DsarState.REJECTED}),
    DsarState.IN_PROGRESS: frozenset({DsarState.COMPLETED, DsarState.REJECTED}),
    DsarState.COMPLETED: frozenset(),
    DsarState.REJECTED: frozenset(),
}


class InvalidTransition(ValueError):
    """A state change the DSAR lifecycle does not allow; the message names both states."""


@dataclass(frozen=True)
class DsarRequest:
    request_id: str
    customer: str
    kind: DsarKind
    received_at: datetime
    due_at: datetime
    state: DsarState = DsarState.RECEIVED
    closed_at: datetime | None = None
    # Why it was rejected (required then), or what was done; shown to the customer and audited.
    note: str | None = None

    @property
    def is_closed(self) -> bool:
        return self.state in (DsarState.COMPLETED, DsarState.REJECTED)


def due_date(received_at: datetime, *, deadline_days: int = DEFAULT_DEADLINE_DAYS) -> datetime:
    """When a request received at ``received_at`` must be answered."""
    if deadline_days < 1:
        raise ValueError(f"deadline_days must be at least 1, got {deadline_days}")
    return received_at + timedelta(days=deadline_days)


def receive_request(
    request_id: str,
    customer: str,
    kind: DsarKind,
    *,
    received_at: datetime,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
) -> DsarRequest:
    """A new request in state ``received`` with its due date from the policy's deadline."""
    if received_at.tzinfo is None:
        raise ValueError(f"received_at must be timezone-aware, got {received_at.isoformat()}")
    return DsarRequest(
        request_id=request_id,
        customer=customer,
        kind=kind,
        received_at=received_at,
        due_at=due_date(received_at, deadline_days=deadline_days),
    )


def can_transition(current: DsarState, target: DsarState) -> bool:
    """Whether the lifecycle allows going from ``current`` to ``target``."""
    return target in _NEXT_STATES[current]


def transition_request(
    request: DsarRequest, target: DsarState, *, at: datetime, note: str | None = None
) -> DsarRequest:
    """``request`` moved to ``target`` at ``at``; rejections need a note, closed requests never move."""
    if not can_transition(request.state, target):
        raise InvalidTransition(
            f"request {request.request_id}: cannot go from {request.state.value} to {target.value}"
        )
    if at < request.received_at:
        raise ValueError(f"request {request.request_id}: transition at {at.isoformat()} precedes receipt")
    if target is DsarState.REJECTED and not (note and note.strip()):
        raise ValueError(f"request {request.request_id}: a rejection needs a note giving the reason")
    closes = target in (DsarState.COMPLETED, DsarState.REJECTED)
    return dataclasses.replace(
        request,
        state=target,
        closed_at=at if closes else None,
        note=note if note is not None else request.note,
    )


def is_overdue(request: DsarRequest, *, now: datetime) -> bool:
    """Whether the request is still open after its due date."""
    return not request.is_closed and now > request.due_at


def overdue_requests(requests: Iterable[DsarRequest], *, now: datetime) -> tuple[DsarRequest, ...]:
    """The open requests past their due date, most overdue first (then by id, for a stable order)."""
    late = [request for request in requests if is_overdue(request, now=now)]
    return tuple(sorted(late, key=lambda request: (request.due_at, request.request_id)))
