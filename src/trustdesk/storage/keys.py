"""Finding rows by their natural key, (brand id, external id), many keys at a time."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, false, or_


def brand_keys_match(
    brand_id_column, external_id_column, keys: Iterable[tuple[int, str]]
) -> ColumnElement[bool]:
    """A condition true for rows whose (brand id, external id) is one of ``keys``.

    Written as ``brand_id = b AND external_id IN (...)`` per brand rather than as a row-value IN list:
    PostgreSQL plans the latter as one index probe per pair OR-ed together, slow to plan and run for the
    hundreds of keys of an ingest batch, where the former is one index scan per brand.
    """
    by_brand: dict[int, list[str]] = defaultdict(list)
    for brand_id, external_id in keys:
        by_brand[brand_id].append(external_id)
    if not by_brand:
        return false()
    return or_(*(and_(brand_id_column == brand_id, external_id_column.in_(external_ids))
                 for brand_id, external_ids in sorted(by_brand.items())))
