"""``trustdesk customers merge`` and ``trustdesk customers unmerge``: one customer timeline from duplicates.

A merge is recorded under the user named by ``--by`` (who), with ``--reason`` (why) and the time, and
that user's role must allow merging, exactly as through the API.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlalchemy import select

from trustdesk.cli.context import migrated_engine
from trustdesk.services import accounts, customer_merge
from trustdesk.services.tenancy import Conflict, FieldError, NotPermitted, NotVisible
from trustdesk.storage import tables as t

By = Annotated[str, typer.Option("--by", help="Username the merge is recorded under (its role must allow it).")]
Reason = Annotated[str, typer.Option("--reason", help="Why, e.g. 'same phone and email'.")]


def add_customer_merge_commands(customers_app: typer.Typer) -> None:
    customers_app.command("merge")(merge)
    customers_app.command("unmerge")(unmerge)


def merge(brand: str, keep_id: str, merged_id: str, by: By, reason: Reason) -> None:
    """Move MERGED_ID's cases and interactions to KEEP_ID; prints the merge record (with its id) as JSON."""
    with migrated_engine().begin() as connection:
        viewer, brand_id = _acting(connection, by, brand)
        record = _run(lambda: customer_merge.merge_customers(
            connection, viewer, brand_id=brand_id, keep=keep_id, merged=merged_id, reason=reason,
            now=datetime.now(UTC)))
    typer.echo(json.dumps(record))


def unmerge(brand: str, merge_id: int, by: By, reason: Reason) -> None:
    """Undo merge MERGE_ID: move exactly the ids it moved back to the merged record."""
    with migrated_engine().begin() as connection:
        viewer, brand_id = _acting(connection, by, brand)
        record = _run(lambda: customer_merge.unmerge_customers(
            connection, viewer, brand_id=brand_id, merge_id=merge_id, reason=reason, now=datetime.now(UTC)))
    typer.echo(json.dumps(record))


def _acting(connection, username: str, brand: str):
    user_id = connection.execute(select(t.users.c.id).where(t.users.c.username == username)).scalar()
    viewer = accounts.viewer_for_user_id(connection, user_id) if user_id is not None else None
    if viewer is None:
        _fail(f"--by: no active user {username!r}")
    brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand)).scalar()
    if brand_id is None or (not viewer.is_admin and viewer.brand_id != brand_id):
        _fail(f"BRAND: {brand!r} is unknown or not {username!r}'s brand")
    return viewer, brand_id


def _run(action):
    try:
        return action()
    except FieldError as error:
        _fail(f"{error.path.removeprefix('$.')}: {error.message}")
    except (NotVisible, NotPermitted, Conflict) as error:
        _fail(str(error))


def _fail(message: str):
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)
