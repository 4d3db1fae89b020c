"""``trustdesk sla escalate`` and the optional escalation loop of ``trustdesk serve``.

Both evaluate every open case's SLA and OLA clocks and record the escalations the rules call for, once per
(case, clock, level). The loop runs when the configuration file has ``[sla] escalate_every_minutes = N``.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine

from trustdesk.cli.background import run_periodically, start_periodic
from trustdesk.cli.context import migrated_engine
from trustdesk.services.directory import brand_id_by_key
from trustdesk.services.escalation_runs import EscalationRun, count_open_cases, escalate_open_cases

sla_app = typer.Typer(no_args_is_help=True, help="SLA and OLA clocks.")
err = Console(stderr=True)


@sla_app.command("escalate")
def escalate(
    brand: Annotated[str | None, typer.Option("--brand", help="Only this brand's cases (default: every brand).")] = None,
    at: Annotated[str | None, typer.Option("--at", help="Evaluate the clocks at this ISO 8601 time with a zone "
                                                        "(default: now).")] = None,
) -> None:
    """Evaluate every open case's clocks and record the escalations due (each once, with its reason)."""
    now = datetime.now(UTC)
    moment = _parse_moment(at) if at is not None else now
    engine = migrated_engine()
    with engine.begin() as connection:
        brand_id = None
        if brand is not None:
            brand_id = brand_id_by_key(connection, brand)
            if brand_id is None:
                _fail(f"--brand: unknown brand {brand!r}")
        total = count_open_cases(connection, brand_id=brand_id)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err) as progress:
            task = progress.add_task("evaluating open cases", total=total)
            run = escalate_open_cases(connection, brand_id=brand_id, at=moment, now=now,
                                      on_progress=lambda cases: progress.advance(task, cases))
    _print_run(run, Console())


def run_escalation_loop(engine: Engine, *, interval: timedelta, stop: threading.Event,
                        on_run: Callable[[EscalationRun], None], on_error: Callable[[Exception], None]) -> None:
    """Run escalations now and then every ``interval`` until ``stop`` is set; a failed run is reported, not fatal."""
    run_periodically(lambda: on_run(_escalate_now(engine)), interval=interval, stop=stop, on_error=on_error)


def start_escalation_loop(engine: Engine, *, interval: timedelta, console: Console) -> threading.Event:
    """The loop in a daemon thread; set the returned event to stop it."""

    def run_and_report() -> None:
        run = _escalate_now(engine)
        if run.recorded or run.facts_updated:
            console.print(f"escalations: {len(run.recorded)} recorded over {run.cases_evaluated} open cases; "
                          f"{run.facts_updated} metric fact(s) updated for breached clocks")

    return start_periodic("sla-escalations", run_and_report, interval=interval, console=console)


def _escalate_now(engine: Engine) -> EscalationRun:
    with engine.begin() as connection:
        now = datetime.now(UTC)
        return escalate_open_cases(connection, at=now, now=now)


def _print_run(run: EscalationRun, console: Console) -> None:
    table = Table("brand", "case", "clock", "level", "reason", title=f"{len(run.recorded)} escalation(s) recorded")
    for item in run.recorded:
        table.add_row(item["brand"], item["case"], item["clock"], item["level"], item["reason"])
    if run.recorded:
        console.print(table)
    console.print(f"{run.facts_updated} metric fact(s) recounted for breached clocks")
    console.print(f"{run.cases_evaluated} open case(s) evaluated, {len(run.recorded)} escalation(s) recorded")


def _parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        _fail(f"--at: {text!r} is not an ISO 8601 time")
    if moment.tzinfo is None:
        _fail(f"--at: {text!r} needs a UTC offset or Z")
    return moment


def _fail(message: str):
    err.print(f"error: {message}")
    raise typer.Exit(1)
