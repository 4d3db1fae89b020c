"""``trustdesk route``: route contacts from stdin (CONTRACTS.md section 6), one JSON line out per input."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from trustdesk.contracts.routing import RouteDecisionOut, RouteRequestIn
from trustdesk.core.routing.route import DEFAULT_OCCUPANCY_CAP, route_contact


def route(
    occupancy_cap: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="No agent at or above this occupancy gets a new contact.")
    ] = DEFAULT_OCCUPANCY_CAP,
) -> None:
    """Route contacts: a JSON object or JSONL of {contact, agents} on stdin; one decision line each."""
    try:
        documents = read_documents(sys.stdin.read())
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    requests, problems = [], []
    for number, document in documents:
        try:
            request = RouteRequestIn.model_validate(document)
        except ValidationError as error:
            problems.extend(f"line {number}: {describe(item)}" for item in error.errors())
            continue
        if request.agents is None:
            problems.append(
                f'line {number}: no "agents" given; '
                "routing to the agents stored for the brand needs --database"
            )
            continue
        requests.append(request)
    if problems:
        for problem in problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(1)
    for request in requests:
        agents = [agent.to_agent_state() for agent in request.agents or ()]
        decision = route_contact(request.contact.to_contact(), agents, occupancy_cap=occupancy_cap)
        typer.echo(RouteDecisionOut.from_decision(decision).model_dump_json())


def read_documents(text: str) -> list[tuple[int, Any]]:
    """One JSON object (may span lines, numbered 1) or JSONL; returns (line number, parsed value) pairs."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("no input on stdin: expected a JSON object or JSONL of routing requests")
    try:
        return [(1, json.loads(stripped))]
    except json.JSONDecodeError:
        pass
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append((number, json.loads(line)))
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number} is not JSON: {error.msg} at column {error.colno}") from error
    return documents


def describe(error: Any) -> str:
    """``contact.channel: Input should be 'voice', ...`` from one pydantic error."""
    path = ".".join(str(part) for part in error["loc"]) or "(root)"
    return f"{path}: {error['msg']}"
