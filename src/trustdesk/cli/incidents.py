"""``trustdesk incident open|list|notify``: the incident register and its 72-hour notification clock."""
from __future__ import annotations

import getpass
from datetime import date, datetime, timezone

import typer
from rich.console import Console
from rich.table import Table

from trustdesk.cli.context import migrated_engine
from trustdesk.core.model import Role
from trustdesk.core.privacy.incidents import IncidentKind
from trustdesk.services import incidents
from trustdesk.services.scope import Viewer

incident_app = typer.Typer(no_args_is_help=True, help="Privacy incidents: register, list, record notification.")
err = Console(stderr=True)


def _operator() -> Viewer:
    # The CLI runs with administrator rights; audit entries name the operating-system account.
    return Viewer(user_id=0, username=f"cli:{getpass.getuser()}", role=Role.ADMIN, brand_id=None, vendor_id=None,
                  origin="cli")


def _clock(item: dict) -> str:
    if item["notification_status"] != "pending":
        return f"stopped ({item['notification_status'].replace('_', ' ')})"
    hours, rest = divmod(abs(item["remaining_seconds"]), 3600)
    left = f"{hours} h {rest // 60} min"
    return f"overdue by {left}" if item["overdue"] else f"{left} left"


def _fail(error: incidents.IncidentInputError) -> typer.Exit:
    err.print(f"[red]error:[/red] {error.field}: {error.message}")
    return typer.Exit(2)


@incident_app.command("open")
def incident_open(
    brand: str,
    kind: IncidentKind = typer.Option(..., help="What happened."),
    description: str = typer.Option(..., help="What happened, in a sentence or two."),
    discovered_at: datetime = typer.Option(..., help="When it was discovered (UTC unless an offset is given)."),
    affected_from: date = typer.Option(..., "--from", help="First day (UTC) of the interactions it affected."),
    affected_to: date = typer.Option(..., "--to", help="Last day (UTC) of the interactions it affected."),
    vendor: str | None = typer.Option(None, help="Only interactions handled by this vendor."),
) -> None:
    """Register an incident; its affected customers are those with an interaction in the period."""
    now = datetime.now(timezone.utc)
    moment = discovered_at if discovered_at.tzinfo else discovered_at.replace(tzinfo=timezone.utc)
    try:
        with migrated_engine().begin() as connection:
            created = incidents.create_incident(
                connection, _operator(), brand_key=brand, kind=kind.value, description=description,
                discovered_at=moment, affected=incidents.AffectedQuery(affected_from, affected_to, vendor),
                now=now, origin="cli")
    except incidents.IncidentInputError as error:
        raise _fail(error) from error
    if created is None:
        err.print(f"[red]error:[/red] brand {brand!r} does not exist")
        raise typer.Exit(2)
    typer.echo(f"incident {created['id']} registered: {created['affected_count']} customer(s) affected; "
               f"notify the authority by {created['notification_deadline']} ({_clock(created)})")


@incident_app.command("list")
def incident_list() -> None:
    """Every incident, most recently discovered first, with its notification clock."""
    with migrated_engine().connect() as connection:
        items = incidents.list_incidents(connection, _operator(), now=datetime.now(timezone.utc))
    table = Table(title="Incident register")
    for column in ("#", "Brand", "Kind", "Discovered (UTC)", "Notify by", "Clock", "Status", "Affected"):
        table.add_column(column, justify="right" if column in ("#", "Affected") else "left")
    for item in items:
        table.add_row(str(item["id"]), item["brand"], item["kind"].replace("_", " "), item["discovered_at"],
                      item["notification_deadline"], _clock(item), item["notification_status"].replace("_", " "),
                      str(item["affected_count"]), style="red" if item["overdue"] else None)
    Console().print(table)  # sized when run, so COLUMNS set by the caller applies


@incident_app.command("notify")
def incident_notify(
    incident_id: int,
    status: str = typer.Option("notified", help="notified, or not_required (with --reason)."),
    at: datetime | None = typer.Option(None, help="When the authority was notified (default: now)."),
    reason: str | None = typer.Option(None, help="Why no notification is required."),
) -> None:
    """Record that the authority was notified (stops the clock), or why no notification is required."""
    moment = at if at is None or at.tzinfo else at.replace(tzinfo=timezone.utc)
    try:
        with migrated_engine().begin() as connection:
            updated = incidents.update_notification(connection, _operator(), incident_id, status=status, at=moment,
                                                    reason=reason, now=datetime.now(timezone.utc), origin="cli")
    except incidents.IncidentInputError as error:
        raise _fail(error) from error
    if updated is None:
        err.print(f"[red]error:[/red] incident {incident_id} does not exist")
        raise typer.Exit(2)
    typer.echo(f"incident {incident_id}: notification {updated['notification_status'].replace('_', ' ')}")
