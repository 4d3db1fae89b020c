"""``trustdesk route``: route contacts from stdin (CONTRACTS.md section 6), one JSON line out per input."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from trustdesk.cli.context import migrated_engine
from trustdesk.contracts.routing import RouteDecisionOut, RouteRequestIn
from trustdesk.core.routing.route import DEFAULT_OCCUPANCY_CAP, route_contact
from trustdesk.services import routing


def route(
    occupancy_cap: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="No agent at or above this occupancy gets a new contact.")
    ] = DEFAULT_OCCUPANCY_CAP,
    database: Annotated[
        bool, typer.Option("--database", help="Route inputs without agents to the brand's stored agents "
                                              "(TRUSTDESK_DATABASE_URL).")
    ] = False,
    brand: Annotated[
        str | None, typer.Option(help="Brand whose stored agents serve inputs that name no brand.")
    ] = None,
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
        if request.agents is None and not database:
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
    if any(request.agents is None for request in requests):
        decisions = route_stored(requests, default_brand=brand, occupancy_cap=occupancy_cap)
    else:
        decisions = [route_contact(request.contact.to_contact(), [agent.to_agent_state() for agent in request.agents or ()],
                                   occupancy_cap=occupancy_cap) for request in requests]
    for decision in decisions:
        typer.echo(RouteDecisionOut.from_decision(decision).model_dump_json())


def route_stored(requests: list[RouteRequestIn], *, default_brand: str | None, occupancy_cap: float) -> list:
    """Decisions for requests, those without agents over the stored agents of their brand (one pool each)."""
    pools: dict[int, routing.StoredPool] = {}
    decisions = []
    with migrated_engine().connect() as connection:
        for number, request in enumerate(requests, start=1):
            contact = request.contact.to_contact()
            if request.agents is not None:
                agents = [agent.to_agent_state() for agent in request.agents]
                decisions.append(route_contact(contact, agents, occupancy_cap=occupancy_cap))
                continue
            try:
                brand_id = routing.resolve_brand_id(connection, None, request.brand or default_brand)
            except routing.RoutingScopeError as error:
                typer.echo(f"error: input {number}: brand: {error} (give \"brand\" or --brand)", err=True)
                raise typer.Exit(1) from error
            if brand_id not in pools:
                pools[brand_id] = routing.load_stored_pool(connection, brand_id=brand_id, viewer=None)
            decisions.append(routing.route_with_stored_agents(contact, pools[brand_id], occupancy_cap=occupancy_cap))
    return decisions


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
