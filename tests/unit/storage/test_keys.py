"""Natural-key lookups match exactly the (brand id, external id) pairs asked for, never a cross-brand mix."""
from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select

from trustdesk.storage.keys import brand_keys_match

metadata = MetaData()
things = Table("things", metadata, Column("id", Integer, primary_key=True), Column("brand_id", Integer),
               Column("external_id", String(20)))


def _matching(keys) -> set[tuple[int, str]]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(things), [{"brand_id": b, "external_id": e}
                                            for b in (1, 2, 3) for e in ("a", "b", "c")])
        rows = connection.execute(select(things.c.brand_id, things.c.external_id).where(
            brand_keys_match(things.c.brand_id, things.c.external_id, keys)))
        return {tuple(row) for row in rows}


def test_each_brand_matches_only_its_own_external_ids():
    keys = {(1, "a"), (2, "b"), (2, "c"), (4, "a"), (3, "zz")}
    assert _matching(keys) == {(1, "a"), (2, "b"), (2, "c")}


def test_no_keys_match_nothing():
    assert _matching(set()) == set()
