"""Stateless processing endpoints: ``/api/v1/redact`` (section 2), ``/api/v1/score`` (3), ``/api/v1/route`` (6)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import TypeAdapter, ValidationError

from trustdesk.contracts.interaction import InteractionIn
from trustdesk.contracts.paths import json_path
from trustdesk.contracts.redaction import RedactRequestItem, RedactResponseItem, redact_item
from trustdesk.contracts.routing import RouteDecisionOut, RouteRequestIn
from trustdesk.contracts.scoring import ScoreOut
from trustdesk.core.privacy.redaction import RedactionMode, TextTooLargeError
from trustdesk.core.routing.route import DEFAULT_OCCUPANCY_CAP, route_contact
from trustdesk.services import routing
from trustdesk.services.pipeline import score_standalone
from trustdesk.web.deps import ConnectionDep, CurrentViewer
from trustdesk.web.errors import InputError, validation_details

router = APIRouter(prefix="/api/v1", tags=["processing"])

MAX_ITEMS = 1_000
_redact_items = TypeAdapter(list[RedactRequestItem])
_interactions = TypeAdapter(list[InteractionIn])
_route_requests = TypeAdapter(list[RouteRequestIn])


def _validate_list(adapter: TypeAdapter, raw: Any, *, allow_single: bool) -> tuple[list, bool]:
    is_batch = isinstance(raw, list)
    items = raw if is_batch else [raw]
    if not is_batch and not allow_single:
        raise InputError([{"path": "$", "message": "expected a JSON list", "type": "list_type"}])
    if len(items) > MAX_ITEMS:
        raise InputError([{"path": "$", "message": f"at most {MAX_ITEMS} items per request", "type": "too_long"}])
    try:
        return adapter.validate_python(items), is_batch
    except ValidationError as error:
        details = validation_details(error.errors())
        if not is_batch:  # report paths of a single object without the list index we wrapped it in
            details = [{**d, "path": "$" + d["path"].removeprefix("$[0]")} for d in details]
        raise InputError(details) from error


async def _json(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError as error:
        raise InputError([{"path": "$", "message": f"body is not valid JSON: {error}", "type": "json_invalid"}]) from error


@router.post("/redact", response_model=list[RedactResponseItem])
async def redact(request: Request, viewer: CurrentViewer, mode: RedactionMode = RedactionMode.PLACEHOLDER,
                 language: str = "en"):
    """Redact a JSON list of {id, text}; one result per input, same order. Raw values never come back."""
    items, _ = _validate_list(_redact_items, await _json(request), allow_single=False)
    results = []
    for index, item in enumerate(items):
        try:
            results.append(redact_item(item, mode=mode, language=language, key=request.app.state.hash_key))
        except TextTooLargeError as error:
            raise InputError([{"path": json_path([index, "text"]), "message": str(error), "type": "too_long"}]) from error
    return results


@router.post("/score", response_model=list[ScoreOut])
async def score(request: Request, viewer: CurrentViewer):
    """Score one interaction or a list (section 1 shape) with the default scorecard, after redacting it."""
    items, _ = _validate_list(_interactions, await _json(request), allow_single=True)
    return [ScoreOut.from_result(score_standalone(item.to_domain())) for item in items]


@router.post("/route", response_model=list[RouteDecisionOut])
async def route(request: Request, connection: ConnectionDep, viewer: CurrentViewer):
    """Pick an agent for each contact (section 6), with the reasons and every exclusion."""
    requests, is_batch = _validate_list(_route_requests, await _json(request), allow_single=True)
    decisions = []
    # One pool per brand per request: the stored agents and their presence are read once.
    stored_pools: dict[int, routing.StoredPool] = {}
    for index, item in enumerate(requests):
        if item.agents is not None:
            decision = route_contact(item.contact.to_contact(), [agent.to_agent_state() for agent in item.agents])
        else:
            try:
                brand_id = routing.resolve_brand_id(connection, viewer, item.brand)
            except routing.RoutingScopeError as error:
                path = json_path([index, "brand"]) if is_batch else "$.brand"
                raise InputError([{"path": path, "message": str(error), "type": "brand"}]) from error
            if brand_id not in stored_pools:
                stored_pools[brand_id] = routing.load_stored_pool(connection, brand_id=brand_id, viewer=viewer)
            decision = routing.route_with_stored_agents(item.contact.to_contact(), stored_pools[brand_id],
                                                        occupancy_cap=DEFAULT_OCCUPANCY_CAP)
        decisions.append(RouteDecisionOut.from_decision(decision))
    return decisions
