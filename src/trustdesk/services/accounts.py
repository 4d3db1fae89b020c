"""Users, password login and API tokens. Passwords are argon2 hashes; tokens are stored as SHA-256 digests."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, insert, select, update

from trustdesk.core.model import Role
from trustdesk.services.scope import Viewer
from trustdesk.storage import tables as t

_hasher = PasswordHasher()
# Tokens carry 256 random bits, so a fast digest is enough: there is nothing to brute-force.
TOKEN_PREFIX = "td_"
BRAND_FREE_ROLES = {Role.ADMIN}
VENDOR_ROLES = {Role.VENDOR_MANAGER, Role.SUPERVISOR, Role.QA_ANALYST, Role.AGENT}


class AccountError(ValueError):
    """A user or token request is invalid; the message names the field."""


def create_user(
    connection: Connection,
    *,
    username: str,
    password: str | None,
    role: Role,
    brand_key: str | None,
    vendor_key: str | None = None,
    agent_external_id: str | None = None,
    now: datetime,
) -> int:
    """Insert a user scoped to a brand (and, for vendor staff, a vendor); returns the user id."""
    brand_id = vendor_id = agent_id = None
    if role not in BRAND_FREE_ROLES:
        if brand_key is None:
            raise AccountError(f"role {role.value} needs a brand")
        brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand_key)).scalar()
        if brand_id is None:
            raise AccountError(f"brand {brand_key!r} does not exist")
    if vendor_key is not None:
        if role not in VENDOR_ROLES:
            raise AccountError(f"role {role.value} cannot be scoped to a vendor")
        vendor_id = connection.execute(select(t.vendors.c.id).where(t.vendors.c.key == vendor_key)).scalar()
        if vendor_id is None:
            raise AccountError(f"vendor {vendor_key!r} does not exist")
    if agent_external_id is not None:
        agent_id = connection.execute(
            select(t.agents.c.id).where(t.agents.c.brand_id == brand_id, t.agents.c.external_id == agent_external_id)
        ).scalar()
        if agent_id is None:
            raise AccountError(f"agent {agent_external_id!r} does not exist in brand {brand_key!r}")
    if connection.execute(select(t.users.c.id).where(t.users.c.username == username)).scalar() is not None:
        raise AccountError(f"username {username!r} is taken")
    return connection.execute(
        insert(t.users)
        .values(
            username=username,
            password_hash=_hasher.hash(password) if password else None,
            role=role.value,
            brand_id=brand_id,
            vendor_id=vendor_id,
            agent_id=agent_id,
            active=True,
            created_at=now,
        )
        .returning(t.users.c.id)
    ).scalar_one()


def authenticate(connection: Connection, *, username: str, password: str) -> Viewer | None:
    """The viewer for a correct username and password, else None (same answer for unknown users)."""
    row = connection.execute(select(t.users).where(t.users.c.username == username, t.users.c.active.is_(True))).first()
    if row is None or row.password_hash is None:
        _hasher.hash(password)  # same cost as a real check, so timing does not reveal which usernames exist
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return viewer_from_row(row)


def create_token(connection: Connection, *, username: str, name: str, now: datetime) -> str:
    """A new API token for ``username``; only its digest is stored, so it is shown once."""
    user_id = connection.execute(select(t.users.c.id).where(t.users.c.username == username)).scalar()
    if user_id is None:
        raise AccountError(f"user {username!r} does not exist")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    connection.execute(insert(t.api_tokens).values(user_id=user_id, name=name, token_hash=_digest(token), created_at=now))
    return token


def viewer_for_token(connection: Connection, token: str, *, now: datetime) -> Viewer | None:
    row = connection.execute(
        select(t.users, t.api_tokens.c.id.label("token_id"))
        .join(t.api_tokens, t.api_tokens.c.user_id == t.users.c.id)
        .where(t.api_tokens.c.token_hash == _digest(token), t.users.c.active.is_(True))
    ).first()
    if row is None:
        return None
    connection.execute(update(t.api_tokens).where(t.api_tokens.c.id == row.token_id).values(last_used_at=now))
    return viewer_from_row(row)


def viewer_for_user_id(connection: Connection, user_id: int) -> Viewer | None:
    row = connection.execute(select(t.users).where(t.users.c.id == user_id, t.users.c.active.is_(True))).first()
    return viewer_from_row(row) if row else None


def viewer_from_row(row) -> Viewer:
    return Viewer(
        user_id=row.id,
        username=row.username,
        role=Role(row.role),
        brand_id=row.brand_id,
        vendor_id=row.vendor_id,
        agent_id=row.agent_id,
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
