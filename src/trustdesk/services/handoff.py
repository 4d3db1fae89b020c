"""Hand-off packets of a case: for each change of agent, the extractive packet of the redacted history.

A viewer sees the packet of a hand-off when they may see the receiving interaction (scope rules): the
packet exists so the receiver does not make the customer repeat themselves, so it is built from the whole
redacted history of the case before the hand-off, whichever vendor handled it.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from trustdesk.core.model import Speaker, Turn
from trustdesk.core.routing.handoff import HandoffPacket, PacketItem, build_handoff_packet
from trustdesk.core.routing.repeats import HandoffObservation
from trustdesk.services.scope import Viewer, scope_interactions
from trustdesk.storage import tables as t


@dataclass(frozen=True)
class CaseContact:
    """One interaction of a case with its redacted turns, in time order."""

    interaction_id: int
    external_id: str
    agent: str
    vendor: str
    started_at: datetime
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Handoff:
    """The case moved from one agent to another before ``receiving``; ``history`` is every earlier contact."""

    history: tuple[CaseContact, ...]
    receiving: CaseContact

    @property
    def before(self) -> tuple[Turn, ...]:
        return tuple(turn for contact in self.history for turn in contact.turns)

    def packet(self) -> HandoffPacket:
        return build_handoff_packet(self.before)

    def locate(self, history_turn: int) -> tuple[str, int]:
        """(interaction external id, turn index inside it) of a turn index into the joined history."""
        for contact in self.history:
            if history_turn < len(contact.turns):
                return contact.external_id, history_turn
            history_turn -= len(contact.turns)
        raise IndexError(f"turn {history_turn} is past the history")


def load_case_contacts(connection: Connection, case_id: int) -> list[CaseContact]:
    rows = connection.execute(
        select(t.interactions.c.id, t.interactions.c.external_id, t.interactions.c.started_at,
               t.agents.c.external_id.label("agent"), t.vendors.c.key.label("vendor"), t.transcripts.c.turns)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .outerjoin(t.transcripts, t.transcripts.c.interaction_id == t.interactions.c.id)
        .where(t.interactions.c.case_id == case_id)
        .order_by(t.interactions.c.started_at, t.interactions.c.id)
    )
    return [CaseContact(row.id, row.external_id, row.agent, row.vendor, row.started_at, turns_of(row.turns))
            for row in rows]


def turns_of(stored: Sequence[dict] | None) -> tuple[Turn, ...]:
    return tuple(Turn(Speaker(turn["speaker"]), turn["text"], turn.get("offset_seconds")) for turn in stored or ())


def iter_handoffs(contacts: Sequence[CaseContact]) -> Iterator[Handoff]:
    """Every point where the next contact of a case is handled by a different agent than the previous one."""
    for index in range(1, len(contacts)):
        if contacts[index].agent != contacts[index - 1].agent:
            yield Handoff(tuple(contacts[:index]), contacts[index])


def observation_of(handoff: Handoff, *, had_packet: bool) -> HandoffObservation:
    return HandoffObservation(handoff.before, handoff.receiving.turns, had_packet)


def case_handoff_packets(
    connection: Connection, viewer: Viewer, *, case_id: int, visible_interaction_ids: set[int]
) -> list[dict]:
    """The packets of the case's hand-offs whose receiving interaction the viewer may see."""
    packets = []
    for handoff in iter_handoffs(load_case_contacts(connection, case_id)):
        if handoff.receiving.interaction_id not in visible_interaction_ids:
            continue
        previous = handoff.history[-1]
        packet = handoff.packet()
        packets.append({
            "from_agent": previous.agent, "from_vendor": previous.vendor,
            "to_agent": handoff.receiving.agent, "to_vendor": handoff.receiving.vendor,
            "receiving_interaction": handoff.receiving.external_id,
            "history_interactions": [contact.external_id for contact in handoff.history],
            "issue": [_item(handoff, item) for item in packet.issue],
            "tried": [_item(handoff, item) for item in packet.tried],
            "promised": [_item(handoff, item) for item in packet.promised],
            "identity_checks": [_item(handoff, item) for item in packet.identity_checks],
            "open_questions": [_item(handoff, item) for item in packet.open_questions],
            "data_given": list(packet.data_given),
        })
    return packets


def _item(handoff: Handoff, item: PacketItem) -> dict:
    interaction, turn = handoff.locate(item.turn)
    result = {"text": item.text, "turn": item.turn, "interaction": interaction, "interaction_turn": turn}
    if item.due is not None:
        result["due"] = item.due
    if item.data_kinds:
        result["data_kinds"] = list(item.data_kinds)
    return result


def visible_interaction_ids(connection: Connection, viewer: Viewer, *, case_id: int) -> set[int]:
    query = scope_interactions(select(t.interactions.c.id), viewer).where(t.interactions.c.case_id == case_id)
    return set(connection.execute(query).scalars())
