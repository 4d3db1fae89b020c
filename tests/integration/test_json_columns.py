"""JSON columns round-trip through the engine's encoder on SQLite and PostgreSQL as the json module would."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from trustdesk.storage import tables as t

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def _insert_vendor(connection, **json_columns) -> int:
    return connection.execute(
        t.vendors.insert().values(key="json-check", name="JSON check", is_in_house=False, created_at=NOW,
                                  **{"countries": [], "sites": [], **json_columns})
        .returning(t.vendors.c.id)
    ).scalar_one()


def test_stored_json_reads_back_as_the_json_module_would_decode_it(engine):
    sites = [{"name": "Bogotá — piso 3", "time_zone": "America/Bogota", "seats": 120, "share": 0.35,
              "large": 1e16, "tiny": 5e-324, "open": True, "closed_on": None, "nested": {"1": [1, 2.5, "x"]}},
             {"name": "日本語 and emoji 🎧", "line\nbreak": "tab\tquote\"backslash\\"}]
    capacity_by_hour = {9: 4, 10: 6}  # non-string keys become strings, as with json.dumps
    with engine.begin() as connection:
        vendor_id = _insert_vendor(connection, sites=sites, countries=capacity_by_hour)
    with engine.connect() as connection:
        stored = connection.execute(
            sa.select(t.vendors.c.sites, t.vendors.c.countries).where(t.vendors.c.id == vendor_id)).one()
    assert stored.sites == json.loads(json.dumps(sites))
    assert stored.countries == {"9": 4, "10": 6}


def test_values_the_json_module_refuses_are_refused(engine):
    # SQLAlchemy encodes SQLite parameters itself and wraps the error; psycopg encodes them and does not.
    refused = (sa.exc.StatementError, TypeError)
    with engine.begin() as connection, pytest.raises(refused, match="not JSON serializable"):
        _insert_vendor(connection, sites=[{"opened": NOW}])
