"""``trustdesk score``: score interactions (CONTRACTS.md section 1 JSONL) without a database."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress

from trustdesk.contracts.interaction import InteractionIn
from trustdesk.contracts.scoring import ScoreOut
from trustdesk.core.quality.scorecard import Scorecard, ScorecardError, default_scorecard, load_scorecard
from trustdesk.services.pipeline import score_standalone


def _read_scorecard(path: Path | None) -> Scorecard:
    if path is None:
        return default_scorecard()
    return load_scorecard(path.read_text(encoding="utf-8"), source=str(path))


def _score_lines(lines: Iterator[str], scorecard: Scorecard, out: TextIO) -> int:
    """Score each non-blank line, writing one JSON line per input; returns the number of rejected lines."""
    rejected = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            interaction = InteractionIn.model_validate_json(line).to_domain()
        except ValidationError as error:
            rejected += 1
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            print(f"line {number}: rejected: {problems}", file=sys.stderr)
            continue
        result = ScoreOut.from_result(score_standalone(interaction, scorecard))
        out.write(result.model_dump_json() + "\n")
    return rejected


def score(
    file: Annotated[Path | None, typer.Argument(help="JSONL of interactions; stdin when omitted.")] = None,
    scorecard: Annotated[
        Path | None, typer.Option("--scorecard", help="Scorecard YAML; the shipped default if omitted.")
    ] = None,
) -> None:
    """Score interactions (JSONL) against a scorecard and print one result per line."""
    try:
        card = _read_scorecard(scorecard)
    except (OSError, ScorecardError) as error:
        print(str(error), file=sys.stderr)
        raise typer.Exit(code=2) from error
    if file is None:
        rejected = _score_lines(iter(sys.stdin), card, sys.stdout)
    else:
        lines = file.read_text(encoding="utf-8").splitlines()
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("scoring", total=len(lines))
            rejected = _score_lines(_advancing(lines, progress, task), card, sys.stdout)
    if rejected:
        raise typer.Exit(code=1)


def _advancing(lines: list[str], progress: Progress, task: object) -> Iterator[str]:
    for line in lines:
        yield line
        progress.advance(task)  # type: ignore[arg-type]
