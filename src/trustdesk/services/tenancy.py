"""Errors and brand lookups shared by the feedback and governance use cases.

A brand or record outside the viewer's scope raises ``NotVisible``, exactly like a missing one, so the
web edge answers 404 for both and ids do not leak.
"""
from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, select

from trustdesk.core.model import Role
from trustdesk.services.scope import Viewer
from trustdesk.storage import tables as t
from trustdesk.storage.timestamps import as_utc, iso_utc as iso  # noqa: F401 - the spelling its callers import


class FieldError(ValueError):
    """Bad input found by a use case; ``path`` is the JSON path of the field (a 422 at the web edge)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class NotVisible(LookupError):
    """The record does not exist or lies outside the viewer's scope (a 404 at the web edge)."""


class NotPermitted(PermissionError):
    """The viewer's role may not do this (a 403 at the web edge); the message names the role."""


class Conflict(ValueError):
    """The request is well formed but the record's state forbids it (a 409 at the web edge)."""


def require_role(viewer: Viewer, allowed: Collection[Role], action: str) -> None:
    if viewer.role not in allowed:
        raise NotPermitted(f"role {viewer.role.value} may not {action}")


def is_brand_side(viewer: Viewer) -> bool:
    """Administrators and the brand's own staff, as opposed to a vendor's staff."""
    return viewer.is_admin or viewer.vendor_id is None


def visible_brand_id(connection: Connection, viewer: Viewer, brand_key: str | None, *, path: str = "brand") -> int:
    """The id of ``brand_key`` (or of the viewer's own brand when omitted) if the viewer may see it."""
    if brand_key is None:
        if viewer.brand_id is None:
            raise FieldError(path, "name the brand: an administrator belongs to none")
        return viewer.brand_id
    brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand_key)).scalar()
    if brand_id is None or (not viewer.is_admin and brand_id != viewer.brand_id):
        raise NotVisible(f"brand {brand_key!r} not found")
    return brand_id


def vendor_id_by_key(connection: Connection, vendor_key: str, *, path: str) -> int:
    vendor_id = connection.execute(select(t.vendors.c.id).where(t.vendors.c.key == vendor_key)).scalar()
    if vendor_id is None:
        raise FieldError(path, f"vendor {vendor_key!r} does not exist")
    return vendor_id


