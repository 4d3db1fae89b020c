"""``trustdesk scorecard load BRAND FILE`` and ``trustdesk rescore [--brand B]``."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import select

from trustdesk.cli.context import migrated_engine
from trustdesk.core.quality import ScorecardError
from trustdesk.services import quality
from trustdesk.storage import tables as t

err = Console(stderr=True)
scorecard_app = typer.Typer(no_args_is_help=True, help="Per-brand scorecards (docs/scorecards.md).")


@scorecard_app.command("load")
def load(
    brand: str = typer.Argument(..., help="Brand key."),
    path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="Scorecard YAML file."),
) -> None:
    """Validate FILE and store it as the brand's new active scorecard version; run `trustdesk rescore` next."""
    engine = migrated_engine()
    with engine.begin() as connection:
        brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand)).scalar()
        if brand_id is None:
            err.print(f"[red]error:[/red] brand {brand!r} does not exist")
            raise typer.Exit(2)
        try:
            stored = quality.upload_scorecard(connection, brand_id=brand_id, text=path.read_text(encoding="utf-8"),
                                              uploaded_by=None, now=datetime.now(UTC))
        except ScorecardError as error:
            for problem in error.problems:
                # Plain lines, never wrapped: editors and CI jump to "FILE:LINE:" locations.
                typer.echo(problem.replace("scorecard:", f"{path}:", 1), err=True)
            raise typer.Exit(2) from error
    err.print(f"brand {brand}: scorecard {stored['scorecard']} version {stored['version']} is now active")


def rescore(brand: str = typer.Option(None, "--brand", help="Only this brand (default: every brand).")) -> None:
    """Recompute automatic QA results of stored transcripts with each brand's active scorecard.
    Results a reviewer edited are kept."""
    engine = migrated_engine()
    with engine.connect() as connection:
        query = select(t.brands.c.id, t.brands.c.key).order_by(t.brands.c.key)
        if brand is not None:
            query = query.where(t.brands.c.key == brand)
        brands = connection.execute(query).all()
        total = quality.count_rescorable(connection, brand_ids=[b.id for b in brands])
    if brand is not None and not brands:
        err.print(f"[red]error:[/red] brand {brand!r} does not exist")
        raise typer.Exit(2)
    rescored = kept = unscored = 0
    progress = Progress(TextColumn("rescoring {task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), console=err)
    with progress:
        task = progress.add_task("", total=total)
        for brand_id, key in brands:
            progress.update(task, description=key)
            # One transaction per brand: a brand is rescored wholly or not at all.
            with engine.begin() as connection:
                report = quality.rescore_brand(connection, brand_id=brand_id, now=datetime.now(UTC),
                                               on_progress=lambda done: progress.advance(task, done))
            rescored += report.rescored
            kept += report.kept_human
            unscored += report.unscored_without_consent
    err.print(f"{rescored} rescored, {kept} human-reviewed results kept, "
              f"{unscored} not scored (no quality_analytics consent)")
