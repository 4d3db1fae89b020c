"""``trustdesk metrics``: KPIs per group over a period (CONTRACTS.md section 5), read from the rollups."""
from __future__ import annotations

import enum
import json
from datetime import date, datetime, timezone
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from trustdesk.cli.context import migrated_engine, settings
from trustdesk.config import ConfigError
from trustdesk.contracts.metrics import MetricsRowOut
from trustdesk.core.metrics.rollup import Dimension
from trustdesk.core.model import Role
from trustdesk.services import metrics as metrics_service
from trustdesk.services.scope import Viewer

# The command line has database access already, so it reads as an administrator would.
CLI_VIEWER = Viewer(user_id=0, username="cli", role=Role.ADMIN, brand_id=None, vendor_id=None, origin="cli")
TABLE_COLUMNS = (
    "interactions", "fcr", "aht_seconds", "csat", "nps", "sla_adherence", "escalation_rate", "transfer_rate",
    "repeat_contact_rate", "qa_score", "compliance_pass_rate", "cem_score",
)


class OutputFormat(str, enum.Enum):
    JSON = "json"
    TABLE = "table"


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option) from error


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) <= 1 else f"{value:.1f}"
    return str(value)


def metrics(
    brand: Annotated[str, typer.Option(help="Brand key to report on.")],
    by: Annotated[Dimension, typer.Option(help="Group rows by this dimension.")] = Dimension.VENDOR,
    date_from: Annotated[str | None, typer.Option("--from", help="First reporting day (UTC), YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last reporting day (UTC), YYYY-MM-DD.")] = None,
    vendor: Annotated[str | None, typer.Option(help="Only this vendor.")] = None,
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    language: Annotated[str | None, typer.Option(help="Only this language.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="json (a list) or table.")] = OutputFormat.JSON,
) -> None:
    """Print KPIs and the CEM score per group; a KPI without data is null, never 0."""
    default_from, default_to = metrics_service.default_period(datetime.now(timezone.utc).date())
    query = metrics_service.MetricsQuery(
        by=by, brand=brand, vendor=vendor, channel=channel, language=language,
        date_from=_parse_day(date_from, "--from") or default_from, date_to=_parse_day(date_to, "--to") or default_to,
    )
    try:
        weights = metrics_service.cem_weights_from_config(settings().config)
        with migrated_engine().connect() as connection:
            rows = metrics_service.query_metrics(connection, CLI_VIEWER, query, weights=weights)
    except (ConfigError, metrics_service.BrandNotVisibleError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    except metrics_service.MetricsQueryError as error:
        typer.echo(f"error: --{error.field}: {error}", err=True)
        raise typer.Exit(2) from error
    wire = [MetricsRowOut.from_row(row) for row in rows]
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps([row.model_dump(mode="json") for row in wire], indent=2))
        return
    table = Table(title=f"{brand} by {by.value}, {query.date_from} to {query.date_to}")
    table.add_column(by.value)
    for column in TABLE_COLUMNS:
        table.add_column(column, justify="right")
    for row in wire:
        table.add_row(row.group, *(_cell(getattr(row, column)) for column in TABLE_COLUMNS))
    Console().print(table)
