"""The customer's survey page: opened from a signed link, no login, laid out for a phone screen."""
from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustdesk.services import feedback
from trustdesk.services.tenancy import FieldError
from trustdesk.web.api.feedback import LINK_ERROR_STATUS
from trustdesk.web.deps import ConnectionDep
from trustdesk.web.pages.routes import templates

router = APIRouter(include_in_schema=False)

LINK_ERROR_TEXT = {
    "malformed": "This survey link is not valid. Please use the link from your message exactly as it was sent.",
    "tampered": "This survey link is not valid. Please use the link from your message exactly as it was sent.",
    "expired": "This survey link has expired. Thank you for your time.",
    "superseded": "A newer survey link was sent for this contact. Please use the latest one.",
    "answered": "This survey has already been answered. Thank you!",
}


def _link_error(request: Request, error: feedback.SurveyLinkError) -> HTMLResponse:
    return templates.TemplateResponse(request, "survey_closed.html", {"viewer": None, "message": LINK_ERROR_TEXT[error.reason]},
                                      status_code=LINK_ERROR_STATUS[error.reason])


@router.get("/survey/{token}", response_class=HTMLResponse)
def survey_form(request: Request, token: str, connection: ConnectionDep):
    try:
        form = feedback.open_survey(connection, token, now=datetime.now(timezone.utc))
    except feedback.SurveyLinkError as error:
        return _link_error(request, error)
    return templates.TemplateResponse(request, "survey_form.html", {"viewer": None, "form": form, "error": None, "chosen": {}})


def _optional_int(value: str | None) -> int | None:
    return int(value) if value and value.strip().lstrip("-").isdigit() else None


@router.post("/survey/{token}", response_class=HTMLResponse)
async def survey_submit(request: Request, token: str, connection: ConnectionDep):
    data = await request.form()
    answers = {name: _optional_int(data.get(name)) for name in ("csat", "nps", "ces")}
    now = datetime.now(timezone.utc)
    try:
        feedback.answer_survey(connection, token, answers=answers, comment=data.get("comment"), now=now)
    except feedback.SurveyLinkError as error:
        return _link_error(request, error)
    except FieldError as error:
        form = feedback.open_survey(connection, token, now=now)
        return templates.TemplateResponse(request, "survey_form.html",
                                          {"viewer": None, "form": form, "error": error.message, "chosen": answers},
                                          status_code=422)
    return templates.TemplateResponse(request, "survey_thanks.html", {"viewer": None})
