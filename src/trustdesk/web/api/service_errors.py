"""Service errors as HTTP answers: FieldError 422 naming the path, NotVisible 404, NotPermitted 403, Conflict 409."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException

from trustdesk.services.tenancy import Conflict, FieldError, NotPermitted, NotVisible
from trustdesk.web.errors import InputError


@contextmanager
def service_errors() -> Iterator[None]:
    try:
        yield
    except FieldError as error:
        raise InputError([{"path": error.path, "message": error.message, "type": "invalid"}]) from error
    except NotVisible as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except NotPermitted as error:
        raise HTTPException(status_code=403, detail=str(error)) from error
    except Conflict as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
