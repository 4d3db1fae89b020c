"""``trustdesk vendors alerts``: the brand's vendor documents that have expired or expire soon."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from enum import Enum

import typer
from rich.console import Console
from rich.table import Table

from trustdesk.cli.context import migrated_engine
from trustdesk.core.model import Role
from trustdesk.services import governance
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import NotVisible

vendors_app = typer.Typer(no_args_is_help=True, help="Vendor governance: registry documents and alerts.")
CLI_VIEWER = Viewer(user_id=0, username="cli", role=Role.ADMIN, brand_id=None, vendor_id=None, origin="cli")
err = Console(stderr=True)


class OutputFormat(str, Enum):
    TABLE = "table"
    JSON = "json"


@vendors_app.command("alerts")
def alerts(
    brand: str = typer.Option(..., help="Brand key whose vendor registry is checked."),
    within_days: int = typer.Option(30, min=0, max=governance.MAX_ALERT_WINDOW_DAYS,
                                    help="Also list documents expiring within this many days."),
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or json"),
) -> None:
    """List expired and expiring certifications, agreements and contracts; exit 1 when any has expired."""
    try:
        with migrated_engine().begin() as connection:
            found = governance.list_document_alerts(connection, CLI_VIEWER, brand_key=brand,
                                                    today=datetime.now(timezone.utc).date(), within_days=within_days)
    except NotVisible as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(found, indent=2))
    elif not found:
        typer.echo(f"no vendor document of {brand} has expired or expires within {within_days} days")
    else:
        table = Table(title=f"Vendor documents of {brand}: expired or expiring within {within_days} days")
        for column in ("vendor", "kind", "document", "expires on", "state", "days left"):
            table.add_column(column)
        for alert in found:
            style = "red" if alert["state"] == "expired" else "yellow"
            table.add_row(alert["vendor"], alert["kind"], alert["name"], alert["expires_on"],
                          f"[{style}]{alert['state']}[/{style}]", str(alert["days_left"]))
        Console(width=120).print(table)
    # A non-zero exit lets a scheduled job or CI step flag an expired document without parsing output.
    if any(alert["state"] == "expired" for alert in found):
        raise typer.Exit(1)
