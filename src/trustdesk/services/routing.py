"""Routing over the agents stored for a brand, with their current presence (load and occupancy).

Open interactions are not modeled, so an agent's load comes from ``agent_presence`` (what the presence
feed last reported); an agent without a presence row has no load and zero occupancy. Agents missing a
country, time zone or shift cannot be checked against the hard rules and are left out, and the decision
says how many were.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from trustdesk.core.model import Channel
from trustdesk.core.routing.route import AgentPool, AgentState, Contact, RoutingDecision, route_contact
from trustdesk.core.workforce.shifts import Shift, parse_clock_time
from trustdesk.services.scope import Viewer, scope_agents
from trustdesk.storage import tables as t
from trustdesk.storage.operations_tables import agent_presence


class RoutingScopeError(ValueError):
    """The request names a brand the caller may not route for, or none when one is needed."""


@dataclass(frozen=True)
class StoredPool:
    """A pool built once per request from stored agents, and how many stored agents were not routable."""

    brand_id: int
    pool: AgentPool
    unroutable: int


def resolve_brand_id(connection: Connection, viewer: Viewer | None, brand_key: str | None) -> int:
    """The brand whose stored agents serve a request: the caller's own, or the named one for an administrator."""
    if viewer is not None and not viewer.is_admin:
        own_key = connection.execute(select(t.brands.c.key).where(t.brands.c.id == viewer.brand_id)).scalar_one()
        if brand_key is not None and brand_key != own_key:
            raise RoutingScopeError(f"this caller routes only for brand {own_key!r}")
        return viewer.brand_id
    if brand_key is None:
        raise RoutingScopeError("name the brand whose stored agents should serve the contact")
    brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand_key)).scalar()
    if brand_id is None:
        raise RoutingScopeError(f"unknown brand {brand_key!r}")
    return brand_id


def load_stored_pool(connection: Connection, *, brand_id: int, viewer: Viewer | None) -> StoredPool:
    """The brand's stored agents as routing state (vendor staff see only their vendor's agents)."""
    query = (
        select(t.agents, t.vendors.c.key.label("vendor"), agent_presence.c.load.label("presence_load"),
               agent_presence.c.occupancy.label("presence_occupancy"))
        .join(t.vendors, t.vendors.c.id == t.agents.c.vendor_id)
        .outerjoin(agent_presence, agent_presence.c.agent_id == t.agents.c.id)
        .where(t.agents.c.brand_id == brand_id)
    )
    if viewer is not None:
        query = scope_agents(query, viewer)
    states, unroutable = [], 0
    for row in connection.execute(query).mappings():
        state = agent_state_of(row)
        if state is None:
            unroutable += 1
        else:
            states.append(state)
    return StoredPool(brand_id, AgentPool(states), unroutable)


def agent_state_of(row: Mapping) -> AgentState | None:
    """Routing state of a stored agent row, or None when its country, time zone or shift is missing."""
    if not (row["country"] and row["time_zone"] and row["shift_start"] and row["shift_end"]):
        return None
    return AgentState(
        external_id=row["external_id"],
        vendor=row["vendor"],
        country=row["country"].upper(),
        languages=dict(row["languages"] or {}),
        skills=frozenset(row["skills"] or ()),
        channels=frozenset(Channel(channel) for channel in row["channels"] or ()),
        time_zone=row["time_zone"],
        shift=Shift(parse_clock_time(row["shift_start"]), parse_clock_time(row["shift_end"])),
        load={Channel(channel): count for channel, count in (row["presence_load"] or {}).items()},
        capacity={Channel(channel): count for channel, count in (row["capacity"] or {}).items()},
        occupancy=row["presence_occupancy"] or 0.0,
    )


def route_with_stored_agents(contact: Contact, stored: StoredPool, *, occupancy_cap: float) -> RoutingDecision:
    """Route over a stored pool; the reasons also say how many stored agents could not be considered."""
    decision = route_contact(contact, stored.pool, occupancy_cap=occupancy_cap)
    if not stored.unroutable:
        return decision
    note = f"{stored.unroutable} stored agent(s) lack a country, time zone or shift and were not considered"
    return RoutingDecision(decision.agent, decision.queue, (*decision.reasons, note), decision.excluded,
                           decision.qualified)


def record_presence(
    connection: Connection, *, brand_id: int, agent_external_id: str, load: Mapping[str, int], occupancy: float,
    now: datetime,
) -> bool:
    """Store an agent's current load per channel and occupancy; False when the agent is unknown."""
    agent_id = connection.execute(
        select(t.agents.c.id).where(t.agents.c.brand_id == brand_id, t.agents.c.external_id == agent_external_id)
    ).scalar()
    if agent_id is None:
        return False
    values = {"load": {Channel(channel).value: int(count) for channel, count in load.items()},
              "occupancy": occupancy, "updated_at": now}
    changed = connection.execute(update(agent_presence).where(agent_presence.c.agent_id == agent_id).values(**values))
    if changed.rowcount == 0:
        connection.execute(insert(agent_presence).values(agent_id=agent_id, **values))
    return True


def is_visible_agent(connection: Connection, viewer: Viewer, *, brand_id: int, agent_external_id: str) -> bool:
    """True when the brand has this agent and the viewer's scope includes them."""
    query = scope_agents(select(t.agents.c.id), viewer).where(
        t.agents.c.brand_id == brand_id, t.agents.c.external_id == agent_external_id)
    return connection.execute(query).first() is not None
