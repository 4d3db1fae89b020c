"""Service errors on server-rendered pages: a refused read is a 403/404 page, a rejected form goes back with its message."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from fastapi import HTTPException
from fastapi.responses import RedirectResponse

from trustdesk.services.tenancy import Conflict, FieldError, NotPermitted, NotVisible


@contextmanager
def page_errors() -> Iterator[None]:
    try:
        yield
    except NotVisible as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except NotPermitted as error:
        raise HTTPException(status_code=403, detail=str(error)) from error


def run_form_action(action, *, back_to: str) -> RedirectResponse:
    """Run a form's write and go back to ``back_to``, with the error message when the input was refused.

    Post/redirect/get: reloading the page after a submit never repeats the write.
    """
    with page_errors():
        try:
            action()
        except (FieldError, Conflict) as error:
            separator = "&" if "?" in back_to else "?"
            return RedirectResponse(f"{back_to}{separator}{urlencode({'error': str(error)})}", status_code=303)
    return RedirectResponse(back_to, status_code=303)
