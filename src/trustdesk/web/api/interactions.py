"""``/api/v1/interactions``: ingest (CONTRACTS.md section 1) and the scoped read endpoints."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import Field, TypeAdapter, ValidationError
from sqlalchemy import select

from trustdesk.contracts.interaction import IngestResponse, InteractionIn
from trustdesk.core.model import Role
from trustdesk.services import browse
from trustdesk.services.ingest import UnknownBrandError, ingest_with_retry
from trustdesk.services.scope import Viewer
from trustdesk.storage import tables as t
from trustdesk.web.deps import ConnectionDep, CurrentViewer
from trustdesk.web.errors import InputError, validation_details

router = APIRouter(prefix="/api/v1", tags=["interactions"])

MAX_BATCH = 1_000
WRITER_ROLES = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR}
_batch_adapter = TypeAdapter(list[InteractionIn])
_bounded_batch_adapter = TypeAdapter(Annotated[list[InteractionIn], Field(max_length=MAX_BATCH)])
_body_schema = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"oneOf": [
            {"$ref": "#/components/schemas/InteractionIn"},
            {"type": "array", "items": {"$ref": "#/components/schemas/InteractionIn"}, "maxItems": MAX_BATCH},
        ]}}},
    }
}


def _parse_json_body(body: bytes) -> tuple[list[InteractionIn], bool]:
    """Parse and validate the body in one pass (pydantic's JSON parser); a body it refuses is parsed again
    by ``_parse_body`` for the 422 details, so they read the same whichever way the body failed."""
    try:
        if body.lstrip()[:1] == b"[":
            return _bounded_batch_adapter.validate_json(body), True
        return [InteractionIn.model_validate_json(body)], False
    except ValidationError:
        try:
            raw = json.loads(body)
        except ValueError as error:
            raise InputError([{"path": "$", "message": f"body is not valid JSON: {error}",
                               "type": "json_invalid"}]) from error
        return _parse_body(raw)


def _parse_body(raw: Any) -> tuple[list[InteractionIn], bool]:
    is_batch = isinstance(raw, list)
    if is_batch and len(raw) > MAX_BATCH:
        raise InputError([{"path": "$", "message": f"a batch holds at most {MAX_BATCH} interactions", "type": "too_long"}])
    try:
        if is_batch:
            return _batch_adapter.validate_python(raw), True
        return [InteractionIn.model_validate(raw)], False
    except ValidationError as error:
        raise InputError(validation_details(error.errors())) from error


def _check_write_scope(connection, viewer: Viewer, batch: list[InteractionIn], *, is_batch: bool) -> None:
    if viewer.role not in WRITER_ROLES:
        raise HTTPException(status_code=403, detail=f"role {viewer.role.value} may not ingest interactions")
    if viewer.is_admin:
        return
    brand_key = connection.execute(select(t.brands.c.key).where(t.brands.c.id == viewer.brand_id)).scalar_one()
    vendor_key = (
        connection.execute(select(t.vendors.c.key).where(t.vendors.c.id == viewer.vendor_id)).scalar_one()
        if viewer.vendor_id is not None
        else None
    )
    for index, item in enumerate(batch):
        prefix = f"$[{index}]" if is_batch else "$"
        if item.brand != brand_key:
            raise HTTPException(status_code=403, detail=[{"path": f"{prefix}.brand", "message": f"this token writes only to brand {brand_key!r}"}])
        if vendor_key is not None and item.vendor != vendor_key:
            raise HTTPException(status_code=403, detail=[{"path": f"{prefix}.vendor", "message": f"this token writes only for vendor {vendor_key!r}"}])


@router.post("/interactions", status_code=201, response_model=IngestResponse, openapi_extra=_body_schema)
async def post_interactions(request: Request, connection: ConnectionDep, viewer: CurrentViewer):
    """Ingest one interaction or a batch; all or nothing, idempotent by (brand, external_id)."""
    batch, is_batch = _parse_json_body(await request.body())
    _check_write_scope(connection, viewer, batch, is_batch=is_batch)
    try:
        results = ingest_with_retry(
            connection,
            [item.to_domain() for item in batch],
            steps=request.app.state.ingest_steps,
            now=datetime.now(timezone.utc),
            may_create_brands=False,
            keyring=request.app.state.keyring,
        )
    except UnknownBrandError as error:
        index = next(i for i, item in enumerate(batch) if item.brand == error.brand)
        raise InputError([{"path": f"$[{index}].brand" if is_batch else "$.brand", "message": str(error), "type": "unknown_brand"}]) from error
    status = 201 if any(r.status == "created" for r in results) else 200
    body = IngestResponse(results=[{"external_id": r.external_id, "id": r.id, "status": r.status} for r in results])
    return JSONResponse(status_code=status, content=body.model_dump())


@router.get("/interactions")
def get_interactions(
    connection: ConnectionDep,
    viewer: CurrentViewer,
    brand: str | None = None,
    vendor: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    agent: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    page_size: int = 50,
):
    """Interaction summaries visible to the caller, newest first, with paging."""
    filters = browse.InteractionFilters(brand, vendor, channel, language, agent, date_from, date_to, page, page_size)
    result = browse.list_interactions(connection, viewer, filters)
    return {"items": result.items, "total": result.total, "page": result.page, "page_size": result.page_size}


@router.get("/interactions/{interaction_id}")
def get_interaction(interaction_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    detail = browse.get_interaction(connection, viewer, interaction_id)
    if detail is None:
        raise HTTPException(status_code=404, detail="interaction not found")
    return detail


@router.get("/brands/{brand}/cases/{case_external_id}")
def get_case(brand: str, case_external_id: str, connection: ConnectionDep, viewer: CurrentViewer):
    case = browse.get_case(connection, viewer, brand, case_external_id)
    if case is None:
        raise HTTPException(status_code=404, detail="case not found")
    return case


@router.get("/agents")
def get_agents(connection: ConnectionDep, viewer: CurrentViewer):
    return {"items": browse.list_agents(connection, viewer)}
