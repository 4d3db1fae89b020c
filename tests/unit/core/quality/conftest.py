"""A factory for small interactions written as (speaker, text) pairs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from trustdesk.core.model import CaseRef, Channel, CustomerRecord, Interaction, Speaker, Turn

STARTED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
ENDED = datetime(2026, 10, 1, 9, 7, tzinfo=UTC)

MakeInteraction = Callable[..., Interaction]


def build_interaction(
    turns: list[tuple[str, str]],
    *,
    channel: str = "voice",
    purpose: str = "order_status",
    vendor: str = "manila-bpo",
    language: str | None = None,
    external_id: str = "call-1",
    agent: str = "agent-7",
    vendor_countries: tuple[str, ...] = (),
) -> Interaction:
    return Interaction(
        external_id=external_id,
        brand="acme",
        vendor=vendor,
        channel=Channel(channel),
        started_at=STARTED,
        ended_at=ENDED,
        customer=CustomerRecord("cust-9"),
        agent_external_id=agent,
        case=CaseRef("case-55", purpose=purpose),
        turns=tuple(Turn(Speaker(speaker), text) for speaker, text in turns),
        language=language,
        vendor_countries=vendor_countries,
    )


@pytest.fixture
def make_interaction() -> MakeInteraction:
    return build_interaction
