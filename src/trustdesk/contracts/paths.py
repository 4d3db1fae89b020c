"""JSON paths for error messages: the same notation in API 422 bodies and import reject files."""
from __future__ import annotations

from collections.abc import Sequence


def json_path(location: Sequence[str | int]) -> str:
    """``("body", 3, "turns", 0, "speaker")`` -> ``$[3].turns[0].speaker``."""
    path = "$"
    for part in location:
        if part == "body" and path == "$":
            continue
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path
