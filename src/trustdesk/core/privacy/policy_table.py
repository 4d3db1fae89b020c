"""Typed reads from a parsed policy TOML table, with errors that name the dotted key that is wrong."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class PolicyError(ValueError):
    """A privacy policy that cannot be used; the message starts with the dotted key at fault."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


def join_key(parent: str, child: str) -> str:
    """Dotted key of ``child`` inside ``parent``; quotes children that are not bare TOML keys."""
    bare = child.replace("_", "").replace("-", "").isalnum()
    part = child if bare else f'"{child}"'
    return f"{parent}.{part}" if parent else part


def read_table(table: Mapping[str, Any], name: str, *, parent: str) -> Mapping[str, Any]:
    """The sub-table ``name`` of ``table``; a missing or non-table value is a PolicyError."""
    key = join_key(parent, name)
    if name not in table:
        raise PolicyError(key, "missing table")
    value = table[name]
    if not isinstance(value, Mapping):
        raise PolicyError(key, f"expected a table, got {value!r}")
    return value


def read_int(table: Mapping[str, Any], name: str, *, parent: str, minimum: int) -> int:
    """The integer ``name`` of ``table``, at least ``minimum``."""
    key = join_key(parent, name)
    if name not in table:
        raise PolicyError(key, "missing value")
    value = table[name]
    # bool is an int subclass in Python; `true` is never a meaningful number of days.
    if isinstance(value, bool) or not isinstance(value, int):
        raise PolicyError(key, f"expected an integer, got {value!r}")
    if value < minimum:
        raise PolicyError(key, f"must be at least {minimum}, got {value}")
    return value


def read_bool(table: Mapping[str, Any], name: str, *, parent: str) -> bool:
    """The boolean ``name`` of ``table``."""
    key = join_key(parent, name)
    if name not in table:
        raise PolicyError(key, "missing value")
    value = table[name]
    if not isinstance(value, bool):
        raise PolicyError(key, f"expected true or false, got {value!r}")
    return value


def read_str(table: Mapping[str, Any], name: str, *, parent: str, default: str) -> str:
    """The string ``name`` of ``table``, or ``default`` when absent."""
    value = table.get(name, default)
    if not isinstance(value, str):
        raise PolicyError(join_key(parent, name), f"expected a string, got {value!r}")
    return value


def read_choices(
    table: Mapping[str, Any], name: str, *, parent: str, choices: Iterable[str]
) -> tuple[str, ...]:
    """The list of strings ``name`` of ``table`` (empty when absent), each one of ``choices``."""
    key = join_key(parent, name)
    value = table.get(name, [])
    if not isinstance(value, list):
        raise PolicyError(key, f"expected a list, got {value!r}")
    allowed = tuple(choices)
    for item in value:
        if item not in allowed:
            raise PolicyError(key, f"{item!r} is not one of {', '.join(allowed)}")
    return tuple(value)


def reject_unknown_keys(table: Mapping[str, Any], *, parent: str, known: Iterable[str]) -> None:
    """Raise PolicyError for the first key of ``table`` (in sorted order) that is not ``known``."""
    allowed = tuple(known)
    for name in sorted(table):
        if name not in allowed:
            raise PolicyError(join_key(parent, name), f"unknown key; expected one of {', '.join(allowed)}")
