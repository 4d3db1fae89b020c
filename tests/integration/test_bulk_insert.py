"""Driver-level bulk inserts store exactly what a SQLAlchemy insert stores, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from trustdesk.storage import tables as t
from trustdesk.storage.bulk import insert_rows, insert_rows_returning

NOW = datetime(2026, 10, 1, 9, 0, 0, 123456, tzinfo=UTC)
VENDOR_COLUMNS = ("key", "name", "legal_name", "is_in_house", "countries", "sites", "created_at")


def _vendor_values(index: int) -> tuple:
    sites = [{"name": "Bogotá — piso 3", "seats": 120 + index, "share": 0.35, "open": index % 2 == 0,
              "closed_on": None, "nested": {"1": [1, 2.5, "x"]}}, {"name": "日本語 🎧", "q": "tab\t\"\\"}]
    return (f"v{index}", f"Vendor {index}", None if index % 3 else f"Vendor {index} Ltd", index % 2 == 1,
            {9: index} if index % 2 else ["CO", "PH"], sites, NOW + timedelta(days=index, microseconds=index))


def _stored_vendors(connection, prefix: str) -> list[tuple]:
    # A text query reads the stored values without the column types' result processing.
    query = sa.text(f"SELECT {', '.join(VENDOR_COLUMNS)} FROM vendors WHERE key LIKE :prefix")
    rows = connection.execute(query, {"prefix": f"{prefix}%"}).all()
    return sorted((row[0].removeprefix(prefix), *row[1:]) for row in rows)


def test_rows_are_stored_as_a_sqlalchemy_insert_stores_them(engine):
    values = [_vendor_values(index) for index in range(7)]
    with engine.begin() as connection:
        connection.execute(sa.insert(t.vendors),
                           [dict(zip(VENDOR_COLUMNS, ("orm-" + row[0], *row[1:]))) for row in values])
        insert_rows(connection, t.vendors, VENDOR_COLUMNS, [("many-" + row[0], *row[1:]) for row in values])
        insert_rows_returning(connection, t.vendors, VENDOR_COLUMNS,
                              [("ret-" + row[0], *row[1:]) for row in values], returning=("id",))
    with engine.connect() as connection:
        expected = _stored_vendors(connection, "orm-")
        assert len(expected) == len(values)
        assert _stored_vendors(connection, "many-") == expected
        assert _stored_vendors(connection, "ret-") == expected


def test_returning_gives_the_key_and_id_of_every_new_row_across_statements(engine):
    keys = [f"brand-{index}" for index in range(2_345)]  # more rows than one statement takes
    with engine.begin() as connection:
        returned = insert_rows_returning(connection, t.brands, ("key", "name", "created_at"),
                                         [(key, key.upper(), NOW) for key in keys], returning=("key", "id"))
        stored = dict(connection.execute(sa.select(t.brands.c.key, t.brands.c.id)).all())
    assert len(returned) == len(keys)
    assert dict(returned) == stored
    assert set(stored) == set(keys)


def test_a_key_taken_meanwhile_raises_sqlalchemys_integrity_error(engine):
    # Ingest retries a batch on IntegrityError when a concurrent writer created the same row first.
    with engine.begin() as connection:
        insert_rows(connection, t.brands, ("key", "name", "created_at"), [("taken", "Taken", NOW)])
    with engine.begin() as connection, pytest.raises(sa.exc.IntegrityError):
        insert_rows_returning(connection, t.brands, ("key", "name", "created_at"),
                              [("free", "Free", NOW), ("taken", "Again", NOW)], returning=("id",))
    with engine.connect() as connection:
        assert connection.execute(sa.select(t.brands.c.key)).scalars().all() == ["taken"]


def test_nothing_to_insert_sends_nothing(engine):
    with engine.begin() as connection:
        assert insert_rows_returning(connection, t.brands, ("key", "name"), [], returning=("id",)) == []
        insert_rows(connection, t.brands, ("key", "name"), [])
        assert connection.execute(sa.select(sa.func.count()).select_from(t.brands)).scalar_one() == 0


def test_a_column_with_a_python_side_default_must_be_given(engine):
    with engine.begin() as connection, pytest.raises(ValueError, match="must set sites: they have Python"):
        insert_rows(connection, t.vendors, tuple(name for name in VENDOR_COLUMNS if name != "sites"),
                    [("v", "V", None, False, [], NOW)])
