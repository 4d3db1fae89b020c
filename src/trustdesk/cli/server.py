"""``trustdesk serve``, ``trustdesk demo`` and ``trustdesk db upgrade``."""
from __future__ import annotations

import typer
import uvicorn
from rich.console import Console

from trustdesk.cli.audit import start_tree_head_signing
from trustdesk.cli.context import keyring, migrated_engine, settings
from trustdesk.cli.sla import start_escalation_loop
from trustdesk.config import ConfigError
from trustdesk.services.audit import tree_head_interval
from trustdesk.services.escalation_runs import escalation_interval
from trustdesk.web.app import create_app

db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
err = Console(stderr=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration to the configured database."""
    engine = migrated_engine()
    typer.echo(f"database at {engine.url.render_as_string(hide_password=True)} is up to date")


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the web UI and API, with the periodic jobs the configuration asks for.

    ``[sla] escalate_every_minutes`` runs SLA escalations; ``[audit] sign_every_minutes`` signs audit tree heads.
    """
    configured = settings()
    try:
        escalation_every = escalation_interval(configured.config)
        signing_every = tree_head_interval(configured.config)
    except ConfigError as error:
        err.print(f"error: {error}")
        raise typer.Exit(1) from error
    engine = migrated_engine()
    app = create_app(configured, engine=engine)
    stops = []
    if escalation_every is not None:
        err.print(f"SLA escalations run every {escalation_every}")
        stops.append(start_escalation_loop(engine, interval=escalation_every, console=err))
    if signing_every is not None:
        err.print(f"audit tree heads are signed every {signing_every}")
        stops.append(start_tree_head_signing(engine, interval=signing_every, console=err))
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        for stop in stops:
            stop.set()


def demo(
    host: str = "127.0.0.1",
    port: int = 8000,
    seed: int = 7,
    interactions: int = typer.Option(20_000, help="How many interactions to generate."),
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Serve the UI when the data is loaded."),
) -> None:
    """Generate a realistic, seeded demo operation into the configured database, then serve it."""
    from trustdesk.demo.loader import load_demo  # noqa: PLC0415 - keeps `trustdesk --help` fast

    engine = migrated_engine()
    master = keyring()
    logins = load_demo(engine, seed=seed, interactions=interactions, keyring=master, console=err)
    err.print(f"\n[bold]trustdesk demo[/bold] at http://{host}:{port}  (password for every login: demo)")
    for username, role in logins:
        err.print(f"  {username:<28} {role}")
    if serve_after:
        uvicorn.run(create_app(settings(), engine=engine, keyring=master), host=host, port=port, log_level="warning")
