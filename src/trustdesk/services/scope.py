"""Tenant isolation: the one chokepoint that narrows every read to what a viewer may see.

An administrator sees everything; brand staff see their brand; vendor staff see their brand's work
done by their vendor; an agent linked to an agent record sees only their own interactions. A record
outside the scope is reported as missing, never as forbidden, so ids do not leak.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select

from trustdesk.core.model import Role
from trustdesk.storage import tables as t


@dataclass(frozen=True)
class Viewer:
    user_id: int
    username: str
    role: Role
    brand_id: int | None
    vendor_id: int | None
    agent_id: int | None = None
    # Where the viewer's actions come from, for the audit trail: the client address (set per request by the
    # web layer), "cli", or "local" for in-process callers such as the demo loader.
    origin: str = "local"

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def scope_interactions(query: Select, viewer: Viewer) -> Select:
    """``query`` over ``interactions`` narrowed to the viewer's brand, vendor and agent."""
    if viewer.is_admin:
        return query
    query = query.where(t.interactions.c.brand_id == viewer.brand_id)
    if viewer.vendor_id is not None:
        query = query.where(t.interactions.c.vendor_id == viewer.vendor_id)
    if viewer.role is Role.AGENT and viewer.agent_id is not None:
        query = query.where(t.interactions.c.agent_id == viewer.agent_id)
    return query


def scope_by_brand(query: Select, table, viewer: Viewer) -> Select:
    """``query`` over a brand-owned table narrowed to the viewer's brand."""
    if viewer.is_admin:
        return query
    return query.where(table.c.brand_id == viewer.brand_id)


def scope_agents(query: Select, viewer: Viewer) -> Select:
    query = scope_by_brand(query, t.agents, viewer)
    if not viewer.is_admin and viewer.vendor_id is not None:
        query = query.where(t.agents.c.vendor_id == viewer.vendor_id)
    return query


def scope_vendor_records(query: Select, table, viewer: Viewer) -> Select:
    """``query`` over a table with ``brand_id`` and ``vendor_id`` narrowed to the viewer's brand and vendor.

    Vendor staff see only rows of their own vendor; rows that name no vendor belong to the brand side.
    """
    query = scope_by_brand(query, table, viewer)
    if not viewer.is_admin and viewer.vendor_id is not None:
        query = query.where(table.c.vendor_id == viewer.vendor_id)
    return query


def scope_tenant_rows(query: Select, table, viewer: Viewer) -> Select:
    """``query`` over a table with brand_id, vendor_id and agent_id columns (e.g. metrics rollups),
    narrowed exactly as ``scope_interactions`` narrows interactions."""
    if viewer.is_admin:
        return query
    query = query.where(table.c.brand_id == viewer.brand_id)
    if viewer.vendor_id is not None:
        query = query.where(table.c.vendor_id == viewer.vendor_id)
    if viewer.role is Role.AGENT and viewer.agent_id is not None:
        query = query.where(table.c.agent_id == viewer.agent_id)
    return query
