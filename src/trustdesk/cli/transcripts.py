"""``trustdesk transcripts redact-again``: stored free text redacted again with the current engine."""
from __future__ import annotations

import getpass
from datetime import datetime, timezone
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from trustdesk.cli.context import keyring, migrated_engine
from trustdesk.services.directory import brand_id_by_key
from trustdesk.services.transcript_redaction import count_transcripts, redact_stored_batch

transcripts_app = typer.Typer(no_args_is_help=True, help="Stored transcripts.")
err = Console(stderr=True)


@transcripts_app.command("redact-again")
def redact_again(
    brand: Annotated[str | None, typer.Option("--brand", help="Only this brand (default: every brand).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Transcripts per transaction.")] = 500,
) -> None:
    """Detect personal data again in stored transcripts, survey comments and QA evidence quotes, and redact
    what an older engine (or a release before redaction) left.

    Each batch commits on its own with one audit entry, so an interrupted run keeps its progress; running it
    again finds nothing new.
    """
    master = keyring()
    engine = migrated_engine()
    with engine.connect() as connection:
        brand_id = None
        if brand is not None:
            brand_id = brand_id_by_key(connection, brand)
            if brand_id is None:
                err.print(f"[red]error:[/red] --brand: unknown brand {brand!r}")
                raise typer.Exit(1)
        total = count_transcripts(connection, brand_id=brand_id)
    after = changed = comments = quotes = 0
    labels: dict[str, int] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err) as progress:
        task = progress.add_task("reading stored transcripts", total=total)
        while True:
            with engine.begin() as connection:
                batch = redact_stored_batch(connection, brand_id=brand_id, after_interaction_id=after,
                                            limit=batch_size, keyring=master, actor=f"cli:{getpass.getuser()}",
                                            origin="cli", now=datetime.now(timezone.utc))
            if batch.scanned == 0:
                break
            after = batch.last_interaction_id
            changed, comments, quotes = (changed + batch.transcripts_changed, comments + batch.comments_changed,
                                         quotes + batch.quotes_changed)
            for label, count in batch.labels.items():
                labels[label] = labels.get(label, 0) + count
            progress.advance(task, batch.scanned)
    found = ", ".join(f"{label} {count}" for label, count in sorted(labels.items())) or "nothing new"
    typer.echo(f"{total} transcript(s) read: {changed} transcript(s), {comments} survey comment(s) and {quotes} "
               f"evidence quote(s) redacted again ({found})")
