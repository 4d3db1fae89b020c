"""Error responses: every 422 names the JSON path of each bad field."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from trustdesk.contracts.paths import json_path


def validation_details(errors: Iterable[dict], *, prefix: Sequence[str | int] = ()) -> list[dict]:
    return [
        {"path": json_path([*prefix, *error["loc"]]), "message": error["msg"], "type": error["type"]}
        for error in errors
    ]


class InputError(Exception):
    """Bad input found after parsing (e.g. an unknown brand): becomes a 422 naming the path."""

    def __init__(self, details: list[dict], status_code: int = 422) -> None:
        super().__init__(details)
        self.details = details
        self.status_code = status_code


async def handle_request_validation(_request: Request, error: RequestValidationError) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": validation_details(error.errors())})


async def handle_input_error(_request: Request, error: InputError) -> JSONResponse:
    return JSONResponse(status_code=error.status_code, content={"detail": error.details})
