"""Vendors, teams and agents: the workforce directory (WRK-1), created or updated by key."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from trustdesk.core.model import IN_HOUSE_VENDOR
from trustdesk.storage import tables as t


def save_vendor(
    connection: Connection,
    *,
    key: str,
    name: str,
    legal_name: str | None,
    countries: Sequence[str],
    sites: Sequence[Mapping[str, str]],
    now: datetime,
) -> int:
    """Create or update a vendor (a BPO, or the brand's in-house team) and return its id."""
    values = {"name": name, "legal_name": legal_name, "countries": list(countries), "sites": [dict(s) for s in sites],
              "is_in_house": key == IN_HOUSE_VENDOR}
    existing = connection.execute(select(t.vendors.c.id).where(t.vendors.c.key == key)).scalar()
    if existing is not None:
        connection.execute(update(t.vendors).where(t.vendors.c.id == existing).values(**values))
        return existing
    return connection.execute(insert(t.vendors).values(key=key, created_at=now, **values).returning(t.vendors.c.id)).scalar_one()


def save_team(connection: Connection, *, brand_id: int, vendor_id: int, key: str, name: str) -> int:
    existing = connection.execute(select(t.teams.c.id).where(t.teams.c.brand_id == brand_id, t.teams.c.key == key)).scalar()
    if existing is not None:
        connection.execute(update(t.teams).where(t.teams.c.id == existing).values(vendor_id=vendor_id, name=name))
        return existing
    return connection.execute(
        insert(t.teams).values(brand_id=brand_id, vendor_id=vendor_id, key=key, name=name).returning(t.teams.c.id)
    ).scalar_one()


def save_agent(
    connection: Connection,
    *,
    brand_id: int,
    vendor_id: int,
    team_id: int | None,
    external_id: str,
    display_name: str,
    country: str,
    languages: Mapping[str, int],
    skills: Sequence[str],
    channels: Sequence[str],
    capacity: Mapping[str, int],
    time_zone: str,
    shift_start: str,
    shift_end: str,
) -> int:
    """Create or update an agent with their languages (proficiency 1-5), skills, channels and shift."""
    values = {
        "vendor_id": vendor_id, "team_id": team_id, "display_name": display_name, "country": country,
        "languages": dict(languages), "skills": list(skills), "channels": list(channels), "capacity": dict(capacity),
        "time_zone": time_zone, "shift_start": shift_start, "shift_end": shift_end,
    }
    existing = connection.execute(
        select(t.agents.c.id).where(t.agents.c.brand_id == brand_id, t.agents.c.external_id == external_id)
    ).scalar()
    if existing is not None:
        connection.execute(update(t.agents).where(t.agents.c.id == existing).values(**values))
        return existing
    return connection.execute(
        insert(t.agents).values(brand_id=brand_id, external_id=external_id, **values).returning(t.agents.c.id)
    ).scalar_one()


def brand_id_by_key(connection: Connection, key: str) -> int | None:
    return connection.execute(select(t.brands.c.id).where(t.brands.c.key == key)).scalar()


def brand_key_by_id(connection: Connection, brand_id: int) -> str:
    """The key of a stored brand (audit resources name brands by key)."""
    return connection.execute(select(t.brands.c.key).where(t.brands.c.id == brand_id)).scalar_one()
