"""The ingest pipeline: an ordered list of pure steps, each an ``Interaction`` in and an ``Interaction`` out.

This is the seam later capabilities plug into. The default order (see ``default_steps``) is
normalize -> detect language -> redact -> score; each step is a plain function, so tests run
any prefix of the pipeline without a database.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce

from trustdesk.core.model import Interaction

Step = Callable[[Interaction], Interaction]


def run_steps(interaction: Interaction, steps: Iterable[Step]) -> Interaction:
    """Apply ``steps`` in order and return the final interaction."""
    return reduce(lambda current, step: step(current), steps, interaction)
