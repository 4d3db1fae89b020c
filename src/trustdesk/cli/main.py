"""The ``trustdesk`` command: one Typer app, one module per command group."""
from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="trustdesk: ethical CX management for outsourced contact centers.")
