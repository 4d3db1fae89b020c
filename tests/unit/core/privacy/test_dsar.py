"""Data-subject requests: due dates, validated transitions, overdue listing."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from trustdesk.core.privacy.dsar import (
    DsarKind,
    DsarState,
    InvalidTransition,
    can_transition,
    is_overdue,
    overdue_requests,
    receive_request,
    transition_request,
)

RECEIVED = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)


def request(request_id: str = "dsar-1", *, days: int = 30):
    return receive_request(request_id, "cust-9", DsarKind.ERASURE, received_at=RECEIVED, deadline_days=days)


def test_due_date_follows_the_policy_deadline() -> None:
    assert request().due_at == RECEIVED + timedelta(days=30)
    assert request(days=45).due_at == RECEIVED + timedelta(days=45)
    with pytest.raises(ValueError, match="deadline_days"):
        request(days=0)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (DsarState.RECEIVED, DsarState.IN_PROGRESS, True),
        (DsarState.RECEIVED, DsarState.REJECTED, True),
        (DsarState.RECEIVED, DsarState.COMPLETED, False),
        (DsarState.IN_PROGRESS, DsarState.COMPLETED, True),
        (DsarState.IN_PROGRESS, DsarState.RECEIVED, False),
        (DsarState.COMPLETED, DsarState.IN_PROGRESS, False),
        (DsarState.REJECTED, DsarState.COMPLETED, False),
    ],
)
def test_transitions(current: DsarState, target: DsarState, allowed: bool) -> None:
    assert can_transition(current, target) is allowed


def test_lifecycle_records_closing_time() -> None:
    started = transition_request(request(), DsarState.IN_PROGRESS, at=RECEIVED + timedelta(days=1))
    assert started.closed_at is None
    done = transition_request(started, DsarState.COMPLETED, at=RECEIVED + timedelta(days=2), note="erased")
    assert done.closed_at == RECEIVED + timedelta(days=2) and done.is_closed
    with pytest.raises(InvalidTransition, match="dsar-1: cannot go from completed to rejected"):
        transition_request(done, DsarState.REJECTED, at=RECEIVED + timedelta(days=3), note="late")


@pytest.mark.parametrize("note", [None, "", "   "])
def test_rejection_needs_a_reason(note: str | None) -> None:
    with pytest.raises(ValueError, match="reason"):
        transition_request(request(), DsarState.REJECTED, at=RECEIVED, note=note)


def test_transition_before_receipt_is_refused() -> None:
    with pytest.raises(ValueError, match="precedes receipt"):
        transition_request(request(), DsarState.IN_PROGRESS, at=RECEIVED - timedelta(seconds=1))


def test_overdue_only_while_open() -> None:
    due = request().due_at
    assert not is_overdue(request(), now=due)
    assert is_overdue(request(), now=due + timedelta(seconds=1))
    rejected = transition_request(request(), DsarState.REJECTED, at=RECEIVED, note="not the data subject")
    assert not is_overdue(rejected, now=due + timedelta(days=9))


def test_overdue_requests_most_overdue_first() -> None:
    late = receive_request("b", "c1", DsarKind.ACCESS, received_at=RECEIVED - timedelta(days=40))
    later = receive_request("a", "c2", DsarKind.ACCESS, received_at=RECEIVED - timedelta(days=35))
    fresh = receive_request("c", "c3", DsarKind.RECTIFICATION, received_at=RECEIVED)
    assert [item.request_id for item in overdue_requests([fresh, later, late], now=RECEIVED)] == ["b", "a"]
