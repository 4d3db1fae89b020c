"""The periodic-job loop ``trustdesk serve`` runs: it survives a failed run and stops when told."""
from __future__ import annotations

import threading
from datetime import timedelta

from trustdesk.cli.background import run_periodically


def test_a_failed_run_is_reported_and_the_loop_goes_on_until_stopped():
    stop = threading.Event()
    runs: list[int] = []
    errors: list[Exception] = []

    def job() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("database is locked")
        if len(runs) == 3:
            stop.set()

    run_periodically(job, interval=timedelta(0), stop=stop, on_error=errors.append)
    assert runs == [0, 1, 2]
    assert [str(error) for error in errors] == ["database is locked"]
