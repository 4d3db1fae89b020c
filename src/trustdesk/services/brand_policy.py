"""Each brand's privacy policy: a shipped preset or a TOML text extending one, stored and audited.

A brand that never chose one follows the ``default`` preset. Parsed policies are cached by their text,
so reading a customer view does not parse TOML on every request.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Connection, delete, insert, select

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.privacy.policy import PrivacyPolicy, load_policy
from trustdesk.services.audit import record_audit_event
from trustdesk.services.scope import Viewer
from trustdesk.storage import tables as t
from trustdesk.storage.access_tables import brand_policies

DEFAULT_POLICY_SOURCE = "default"


@dataclass(frozen=True)
class BrandPolicy:
    brand: str
    source: str  # a preset name or the TOML text as given
    policy: PrivacyPolicy
    updated_by: str | None
    updated_at: datetime | None


class UnknownBrandError(LookupError):
    def __init__(self, brand_key: str) -> None:
        super().__init__(f"brand {brand_key!r} does not exist")
        self.brand_key = brand_key


@lru_cache(maxsize=128)
def _parsed(source: str) -> PrivacyPolicy:
    return load_policy(source)


def visible_brand_id(connection: Connection, viewer: Viewer, brand_key: str) -> int | None:
    """The id of ``brand_key`` if the viewer works for it (administrators: any brand), else None."""
    brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand_key)).scalar()
    if brand_id is None or (not viewer.is_admin and brand_id != viewer.brand_id):
        return None
    return brand_id


def policy_for_brand(connection: Connection, brand_id: int) -> PrivacyPolicy:
    source = connection.execute(select(brand_policies.c.source).where(brand_policies.c.brand_id == brand_id)).scalar()
    return _parsed(source or DEFAULT_POLICY_SOURCE)


def read_brand_policy(connection: Connection, brand_id: int) -> BrandPolicy:
    row = connection.execute(
        select(brand_policies, t.brands.c.key.label("brand"))
        .select_from(t.brands.outerjoin(brand_policies, brand_policies.c.brand_id == t.brands.c.id))
        .where(t.brands.c.id == brand_id)
    ).one()
    source = row.source or DEFAULT_POLICY_SOURCE
    return BrandPolicy(brand=row.brand, source=source, policy=_parsed(source),
                       updated_by=row.updated_by, updated_at=row.updated_at)


def set_brand_policy(
    connection: Connection, *, brand_key: str, source: str, actor: str, role: str, origin: str, now: datetime
) -> PrivacyPolicy:
    """Validate ``source`` (preset name or TOML) and make it the brand's policy; raises PolicyError when invalid."""
    brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand_key)).scalar()
    if brand_id is None:
        raise UnknownBrandError(brand_key)
    source = source.strip()
    policy = _parsed(source)
    connection.execute(delete(brand_policies).where(brand_policies.c.brand_id == brand_id))
    connection.execute(insert(brand_policies).values(
        brand_id=brand_id, source=source, policy_name=policy.name, updated_by=actor, updated_at=now,
    ))
    record_audit_event(
        connection, actor=actor, role=role, event_type=AuditEventType.POLICY_CHANGE, at=now, origin=origin,
        resource=f"policy:{brand_key}", brand_id=brand_id, reason=f"policy set to {policy.name!r}",
    )
    return policy
