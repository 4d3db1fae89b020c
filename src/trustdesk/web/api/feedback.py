"""Voice of the customer API: survey settings and links, the public survey answer, complaints, follow-up tasks
and customer signals."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from trustdesk.services import complaints, customer_signals, feedback, follow_ups
from trustdesk.web.api.service_errors import service_errors
from trustdesk.web.deps import ConnectionDep, CurrentViewer

router = APIRouter(prefix="/api/v1", tags=["voice of the customer"])

# Why a link cannot be used -> status: a forged link is 404 (nothing there), an old one 410, a used one 409.
LINK_ERROR_STATUS = {"malformed": 404, "tampered": 404, "expired": 410, "superseded": 410, "answered": 409}


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SurveySettingsIn(BaseModel):
    brand: str | None = None
    questions: list[str]
    wording: dict[str, str] = Field(default_factory=dict)
    link_valid_days: int = 14
    follow_up_business_days: int = 2


class SurveyAnswerIn(BaseModel):
    csat: int | None = None
    nps: int | None = None
    ces: int | None = None
    comment: str | None = None


class ComplaintIn(BaseModel):
    brand: str | None = None
    interaction_id: int | None = None
    vendor: str | None = None
    channel: Literal["voice", "chat", "email", "social"]
    category: str
    summary: str
    received_at: datetime | None = None


class ComplaintUpdate(BaseModel):
    status: str
    resolution: str | None = None


class FollowUpUpdate(BaseModel):
    status: str
    note: str | None = None


@router.get("/survey-settings")
def get_survey_settings(connection: ConnectionDep, viewer: CurrentViewer, brand: str | None = None):
    with service_errors():
        return feedback.get_survey_settings(connection, viewer, brand_key=brand, now=_now()).as_dict()


@router.put("/survey-settings")
def put_survey_settings(body: SurveySettingsIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Which questions (csat, nps, ces) the brand asks, their wording, link lifetime and follow-up deadline."""
    with service_errors():
        return feedback.save_survey_settings(
            connection, viewer, brand_key=body.brand, questions=body.questions, wording=body.wording,
            link_valid_days=body.link_valid_days, follow_up_business_days=body.follow_up_business_days, now=_now(),
        ).as_dict()


@router.post("/interactions/{interaction_id}/survey-link", status_code=201)
def post_survey_link(interaction_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    """A signed, expiring link the customer answers without logging in; a new link voids the previous one."""
    with service_errors():
        link = feedback.issue_survey_link(connection, viewer, interaction_id=interaction_id, now=_now())
    return {"interaction_id": link.interaction_id, "token": link.token, "url": f"/survey/{link.token}",
            "expires_at": link.expires_at.isoformat().replace("+00:00", "Z")}


@router.get("/surveys/{token}")
def get_survey(token: str, connection: ConnectionDep):
    """The questions behind a survey link (no login: the signed token is the credential)."""
    try:
        form = feedback.open_survey(connection, token, now=_now())
    except feedback.SurveyLinkError as error:
        raise HTTPException(status_code=LINK_ERROR_STATUS[error.reason], detail={"reason": error.reason, "message": str(error)}) from error
    return {"brand": form.brand_name, "questions": list(form.questions),
            "expires_at": form.expires_at.isoformat().replace("+00:00", "Z")}


@router.post("/surveys/{token}")
def post_survey(token: str, body: SurveyAnswerIn, connection: ConnectionDep):
    """Answer a survey link once."""
    try:
        with service_errors():
            opened = feedback.answer_survey(connection, token, answers={"csat": body.csat, "nps": body.nps, "ces": body.ces},
                                            comment=body.comment, now=_now())
    except feedback.SurveyLinkError as error:
        raise HTTPException(status_code=LINK_ERROR_STATUS[error.reason], detail={"reason": error.reason, "message": str(error)}) from error
    return {"status": "answered", "follow_up_opened": opened}


@router.post("/complaints", status_code=201)
def post_complaint(body: ComplaintIn, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return complaints.create_complaint(
            connection, viewer, brand_key=body.brand, interaction_id=body.interaction_id, vendor_key=body.vendor,
            channel=body.channel, category=body.category, summary=body.summary, received_at=body.received_at, now=_now(),
        )


@router.get("/complaints")
def get_complaints(connection: ConnectionDep, viewer: CurrentViewer, status: str | None = None):
    with service_errors():
        return {"items": complaints.list_complaints(connection, viewer, status=status)}


@router.get("/complaints/{complaint_id}")
def get_complaint(complaint_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return complaints.get_complaint(connection, viewer, complaint_id)


@router.patch("/complaints/{complaint_id}")
def patch_complaint(complaint_id: int, body: ComplaintUpdate, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return complaints.update_complaint(connection, viewer, complaint_id, status=body.status,
                                           resolution=body.resolution, now=_now())


@router.get("/follow-ups")
def get_follow_ups(connection: ConnectionDep, viewer: CurrentViewer, status: str | None = None):
    with service_errors():
        return {"items": follow_ups.list_follow_ups(connection, viewer, status=status, now=_now())}


@router.get("/follow-ups/{task_id}")
def get_follow_up(task_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return follow_ups.get_follow_up(connection, viewer, task_id, now=_now())


@router.patch("/follow-ups/{task_id}")
def patch_follow_up(task_id: int, body: FollowUpUpdate, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return follow_ups.update_follow_up(connection, viewer, task_id, status=body.status, note=body.note, now=_now())


@router.get("/customer-signals")
def get_customer_signals(
    connection: ConnectionDep,
    viewer: CurrentViewer,
    brand: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    level: Literal["low", "medium", "high"] = "medium",
    limit: int = 100,
):
    """Customers by churn risk (at least ``level``) with relationship value and the reasons for both."""
    with service_errors():
        return {"items": customer_signals.list_customer_signals(
            connection, viewer, brand_key=brand, date_from=date_from, date_to=date_to, min_level=level,
            limit=limit, now=_now())}
