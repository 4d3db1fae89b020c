"""``trustdesk policy set``, ``trustdesk training load`` and ``trustdesk retention sweep``."""
from __future__ import annotations

import getpass
import json
from datetime import datetime, timezone
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from trustdesk.cli.context import migrated_engine
from trustdesk.core.privacy.policy import PRESET_NAMES
from trustdesk.core.privacy.policy_table import PolicyError
from trustdesk.services import brand_policy, retention, training

policy_app = typer.Typer(no_args_is_help=True, help="Each brand's privacy policy (presets or TOML).")
training_app = typer.Typer(no_args_is_help=True, help="Training and certification records.")
retention_app = typer.Typer(no_args_is_help=True, help="Retention of transcripts and surveys.")
err = Console(stderr=True)
CLI_ROLE = "admin"  # the CLI runs with administrator rights on the configured database


def _operator() -> str:
    # Audit entries name the operating-system account that ran the command.
    return f"cli:{getpass.getuser()}"


def add_access_commands(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")
    app.add_typer(training_app, name="training")
    app.add_typer(retention_app, name="retention")


@policy_app.command("set")
def policy_set(brand: str, policy: str = typer.Argument(..., help=f"A preset ({', '.join(PRESET_NAMES)}) or a TOML file.")) -> None:
    """Make PRESET or the TOML FILE (usually `extends = "<preset>"`) the privacy policy of BRAND."""
    source = policy if policy in PRESET_NAMES else _read_file(Path(policy))
    try:
        with migrated_engine().begin() as connection:
            chosen = brand_policy.set_brand_policy(connection, brand_key=brand, source=source, actor=_operator(),
                                                   role=CLI_ROLE, origin="cli", now=datetime.now(timezone.utc))
    except (PolicyError, brand_policy.UnknownBrandError) as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    typer.echo(f"brand {brand} now follows policy {chosen.name}")


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        err.print(f"[red]error:[/red] {path}: neither a preset ({', '.join(PRESET_NAMES)}) nor a readable file ({error.strerror})")
        raise typer.Exit(2) from error


@training_app.command("load")
def training_load(file: Path = typer.Argument(..., help="CSV: username,brand,agent,course,completed_at,expires_at")) -> None:
    """Load training records from a CSV file; one bad line stores nothing and names the line and column."""
    try:
        rows = training.parse_training_csv(_read_file(file))
        with migrated_engine().begin() as connection:
            stored = training.load_training_records(connection, rows, actor=None, origin="cli", now=datetime.now(timezone.utc))
    except training.TrainingInputError as error:
        err.print(f"[red]error:[/red] {file}: {error}")
        raise typer.Exit(2) from error
    typer.echo(f"{stored} training record(s) loaded")


@retention_app.command("sweep")
def retention_sweep(
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would go; change nothing."),
    as_of: datetime = typer.Option(None, "--as-of", help="Sweep as of this UTC time instead of now (e.g. to preview with --dry-run)."),
) -> None:
    """Delete or anonymize transcripts and surveys past each brand's retention period; prints the counts as JSON."""
    now = as_of.replace(tzinfo=timezone.utc) if as_of else datetime.now(timezone.utc)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("sweeping", total=None)

        def on_step(brand: str, data_class) -> None:
            progress.update(task, description=f"{brand}: {data_class.value}", advance=1)

        with migrated_engine().begin() as connection:
            report = retention.sweep_retention(connection, now=now, dry_run=dry_run,
                                               actor=_operator(), role=CLI_ROLE, origin="cli", on_step=on_step)
    typer.echo(json.dumps({"dry_run": report.dry_run, "totals": report.totals(), "brands": report.counts}, indent=2))
