"""``trustdesk brand|user|token create`` and ``brand repeat-window``: tenants, people and integration tokens."""
from __future__ import annotations

from datetime import datetime, timezone

import typer
from rich.console import Console

from trustdesk.cli.context import migrated_engine
from trustdesk.core.model import Role
from trustdesk.services import accounts
from trustdesk.services.directory import brand_id_by_key
from trustdesk.services.ingest import create_brand
from trustdesk.services.metric_settings import change_repeat_contact_window
from trustdesk.services.tenancy import FieldError

brand_app = typer.Typer(no_args_is_help=True, help="Brands (tenants).")
user_app = typer.Typer(no_args_is_help=True, help="Users and their roles.")
token_app = typer.Typer(no_args_is_help=True, help="API tokens for integrations.")
err = Console(stderr=True)


@brand_app.command("create")
def brand_create(key: str, name: str = typer.Option(None, help="Display name (defaults to the key).")) -> None:
    """Create a brand: the client company whose interactions are isolated from every other brand."""
    with migrated_engine().begin() as connection:
        create_brand(connection, key=key, name=name or key, now=datetime.now(timezone.utc))
    typer.echo(f"brand {key} created")


@brand_app.command("repeat-window")
def brand_repeat_window(key: str, days: int) -> None:
    """Set KEY's repeat-contact window (FCR) to DAYS and rebuild its metric facts and rollups in one transaction."""
    with migrated_engine().begin() as connection:
        brand_id = brand_id_by_key(connection, key)
        if brand_id is None:
            err.print(f"[red]error:[/red] brand: unknown brand {key!r}")
            raise typer.Exit(2)
        try:
            changed = change_repeat_contact_window(connection, None, brand_id=brand_id, days=days,
                                                   now=datetime.now(timezone.utc))
        except FieldError as error:
            err.print(f"[red]error:[/red] {error}")
            raise typer.Exit(2) from error
    typer.echo(f"brand {key}: repeat-contact window {days} day(s); "
               f"{changed['recounted_interactions']} interaction(s) recounted")


@user_app.command("create")
def user_create(
    username: str,
    role: Role = typer.Option(..., help="One of: " + ", ".join(r.value for r in Role)),
    brand: str = typer.Option(None, help="Brand key the user belongs to (every role but admin)."),
    vendor: str = typer.Option(None, help="Vendor key, for vendor staff."),
    agent: str = typer.Option(None, help="Agent external id, for a user who is an agent."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a user scoped to a brand and, for vendor staff, a vendor."""
    try:
        with migrated_engine().begin() as connection:
            accounts.create_user(connection, username=username, password=password, role=role, brand_key=brand,
                                 vendor_key=vendor, agent_external_id=agent, now=datetime.now(timezone.utc))
    except accounts.AccountError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    typer.echo(f"user {username} created ({role.value})")


@token_app.command("create")
def token_create(username: str, name: str = typer.Option("integration", help="What the token is for.")) -> None:
    """Create an API token for USERNAME; it is printed once and stored only as a digest."""
    try:
        with migrated_engine().begin() as connection:
            token = accounts.create_token(connection, username=username, name=name, now=datetime.now(timezone.utc))
    except accounts.AccountError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    typer.echo(token)
