"""Reading stored times back: SQLite returns naive datetimes, and every table stores UTC."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import overload


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (None stays None)."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def iso_utc(value: datetime | None) -> str | None:
    """A stored time as ISO 8601 in UTC ending in ``Z``, the form every API response uses (None stays None)."""
    return None if value is None else as_utc(value).isoformat().replace("+00:00", "Z")
