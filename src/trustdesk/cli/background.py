"""Periodic jobs that ``trustdesk serve`` runs beside the web server, each in its own daemon thread."""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from rich.console import Console


def run_periodically(job: Callable[[], None], *, interval: timedelta, stop: threading.Event,
                     on_error: Callable[[Exception], None]) -> None:
    """Run ``job`` now and then every ``interval`` until ``stop`` is set; a failed run is reported, not fatal."""
    while True:
        try:
            job()
        except Exception as error:  # noqa: BLE001 - one failed run (e.g. a locked database) must not stop the loop
            on_error(error)
        if stop.wait(interval.total_seconds()):
            return


def start_periodic(name: str, job: Callable[[], None], *, interval: timedelta, console: Console) -> threading.Event:
    """``job`` every ``interval`` in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_periodically, name=name, daemon=True,
        kwargs={"job": job, "interval": interval, "stop": stop,
                "on_error": lambda error: console.print(f"[red]{name} run failed: {error}[/red]")},
    )
    thread.start()
    return stop
