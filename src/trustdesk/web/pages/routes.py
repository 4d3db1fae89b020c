"""Server-rendered pages: login, interaction list with filters and paging, interaction detail."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from trustdesk.services import accounts, browse, customer_view
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep, optional_viewer

templates = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
router = APIRouter(include_in_schema=False)


class LoginRequired(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=303, headers={"Location": "/login"})


def page_viewer(viewer: Viewer | None = Depends(optional_viewer)) -> Viewer:
    if viewer is None:
        raise LoginRequired()
    return viewer


def _render(request: Request, name: str, viewer: Viewer | None, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"viewer": viewer, **context})


@router.get("/", response_class=HTMLResponse)
def home(viewer: Viewer = Depends(page_viewer)):
    return RedirectResponse("/interactions", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request):
    return _render(request, "login.html", None, error=None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, connection: ConnectionDep, username: str = Form(...), password: str = Form(...)):
    viewer = accounts.authenticate(connection, username=username, password=password)
    if viewer is None:
        return templates.TemplateResponse(request, "login.html", {"viewer": None, "error": "Unknown user or wrong password."}, status_code=401)
    request.session.clear()
    request.session["user_id"] = viewer.user_id
    return RedirectResponse("/interactions", status_code=303)


@router.post("/logout")
def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/interactions", response_class=HTMLResponse)
def interaction_list(
    request: Request,
    connection: ConnectionDep,
    viewer: Viewer = Depends(page_viewer),
    brand: str | None = None,
    vendor: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    page: int = 1,
):
    chosen = {"brand": brand or None, "vendor": vendor or None, "channel": channel or None, "language": language or None,
              "date_from": date_from or None, "date_to": date_to or None}
    filters = browse.InteractionFilters(
        brand=chosen["brand"], vendor=chosen["vendor"], channel=chosen["channel"], language=chosen["language"],
        date_from=_parse_date(chosen["date_from"]), date_to=_parse_date(chosen["date_to"]), page=page,
    )
    result = browse.list_interactions(connection, viewer, filters)
    query = {key: value for key, value in chosen.items() if value}
    return _render(
        request, "interactions.html", viewer, page=result, chosen=chosen,
        options=browse.list_filter_options(connection, viewer),
        page_link=lambda number: "/interactions?" + urlencode({**query, "page": number}),
    )


@router.get("/interactions/{interaction_id}", response_class=HTMLResponse)
def interaction_detail(request: Request, interaction_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer)):
    detail = browse.get_interaction(connection, viewer, interaction_id)
    if detail is None:
        raise HTTPException(status_code=404, detail="interaction not found")
    customer = customer_view.read_interaction_customer_view(
        connection, viewer, interaction_id=interaction_id, keyring=request.app.state.keyring,
        now=datetime.now(timezone.utc), origin=request.client.host if request.client else "unknown")
    return _render(request, "interaction.html", viewer, interaction=detail, customer_view=customer)


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise HTTPException(status_code=422, detail=f"date {value!r} is not YYYY-MM-DD") from error
