"""``trustdesk import FILE``: bulk import of .jsonl or .csv with a progress bar and a rejects file."""
from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from trustdesk.cli.context import keyring, migrated_engine
from trustdesk.contracts.records import read_csv, read_jsonl
from trustdesk.services.bulk_import import import_records
from trustdesk.services.pipeline import default_ingest_steps

err = Console(stderr=True)
PARALLEL_FROM_RECORDS = 1_000


def _count_records(path: Path) -> int:
    with path.open("rb") as stream:
        lines = sum(1 for line in stream if line.strip())
    return lines - 1 if path.suffix.lower() == ".csv" else lines


def import_file(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="A .jsonl or .csv file."),
    rejects: Path = typer.Option(None, help="Where rejected records go (default: FILE.rejects.jsonl)."),
) -> None:
    """Import interactions (CONTRACTS.md section 1); brands, vendors, agents, customers and cases are created as needed."""
    suffix = path.suffix.lower()
    if suffix not in {".jsonl", ".csv"}:
        err.print(f"[red]error:[/red] {path} must end in .jsonl or .csv")
        raise typer.Exit(2)
    rejects = rejects or path.with_name(path.name + ".rejects.jsonl")
    engine = migrated_engine()
    total = _count_records(path)
    progress = Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err)
    # Worker processes pay off once their start-up (loading language models) is small against the work.
    workers = ProcessPoolExecutor(max_workers=os.cpu_count()) if total >= PARALLEL_FROM_RECORDS else None
    with progress, (path.open("rb") if suffix == ".jsonl" else path.open(encoding="utf-8", newline="")) as stream:
        task = progress.add_task("import", total=total)
        records = read_jsonl(stream) if suffix == ".jsonl" else read_csv(stream)
        try:
            report = import_records(engine, records, steps=default_ingest_steps(), now=lambda: datetime.now(timezone.utc),
                                    keyring=keyring(), executor=workers,
                                    on_progress=lambda done: progress.advance(task, done))
        finally:
            if workers is not None:
                workers.shutdown()
    if report.rejected:
        with rejects.open("w", encoding="utf-8") as out:
            for rejection in report.rejected:
                out.write(json.dumps({"line": rejection.line, "external_id": rejection.external_id,
                                      "reasons": rejection.reasons}) + "\n")
    elif rejects.exists():
        rejects.unlink()  # a clean re-run must not leave the previous run's rejects looking current
    err.print(f"{report.created} created, {report.duplicates} already stored, {len(report.rejected)} rejected"
              + (f" (reasons in {rejects})" if report.rejected else ""))
    if report.rejected:
        raise typer.Exit(1)
