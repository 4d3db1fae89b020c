"""``/api/v1`` QA endpoints: brand scorecards, the review queue, reviews and coaching, disputes, grading of
reviewers, sampled assignments, calibration sessions and the fairness report.

Reviewers are qa_analyst, supervisor, brand_manager (and admin); agents read their own interactions' reviews
and dispute them. Anything outside the caller's tenant answers 404, as if it did not exist.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, TypeVar

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from trustdesk.core.model import Role
from trustdesk.core.quality import ScorecardError
from trustdesk.core.quality.results import Outcome
from trustdesk.services import quality, quality_calibration, quality_review
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep, CurrentViewer
from trustdesk.web.errors import InputError

router = APIRouter(prefix="/api/v1", tags=["quality"])

SCORECARD_EDITORS = {Role.ADMIN, Role.BRAND_MANAGER, Role.QA_ANALYST}
REPORT_READERS = quality_review.REVIEWER_ROLES | {Role.VENDOR_MANAGER, Role.AUDITOR}
_PROBLEM_LINE = re.compile(r"^[^:]*:(\d+): (.*)$", re.DOTALL)
Result = TypeVar("Result")


def _now() -> datetime:
    return datetime.now(UTC)


def _require(viewer: Viewer, roles: set[Role], action: str) -> None:
    if viewer.role not in roles:
        raise HTTPException(status_code=403, detail=f"role {viewer.role.value} may not {action}")


def _found(value: Result | None, what: str) -> Result:
    if value is None:
        raise HTTPException(status_code=404, detail=f"{what} not found")
    return value


def _run(action: Callable[[], Result]) -> Result:
    """Map QA service errors to HTTP: bad input 422 naming the path, state clashes 409."""
    try:
        return action()
    except quality.QualityInputError as error:
        raise InputError([{"path": error.path, "message": error.message, "type": "value_error"}]) from error
    except quality_review.QualityConflict as error:
        raise HTTPException(status_code=409, detail=str(error)) from error


def _brand_id(connection, viewer: Viewer, brand: str) -> int:
    return _found(quality.visible_brand_id(connection, viewer, brand), "brand")


# --- scorecards ----------------------------------------------------------------------------------


class ScorecardUpload(BaseModel):
    yaml: str = Field(min_length=1, description="The scorecard YAML document (docs/scorecards.md).")


@router.post("/brands/{brand}/scorecards", status_code=201)
def post_scorecard(brand: str, body: ScorecardUpload, connection: ConnectionDep, viewer: CurrentViewer):
    """Upload a new version of the brand's scorecard; it becomes the active one. 422 names each bad line."""
    brand_id = _brand_id(connection, viewer, brand)
    _require(viewer, SCORECARD_EDITORS, "upload scorecards")
    if viewer.vendor_id is not None:
        raise HTTPException(status_code=403, detail="vendor staff may not change the brand's scorecard")
    try:
        return quality.upload_scorecard(connection, brand_id=brand_id, text=body.yaml, uploaded_by=viewer.user_id,
                                        now=_now())
    except ScorecardError as error:
        raise InputError([_scorecard_problem(problem) for problem in error.problems]) from error


def _scorecard_problem(problem: str) -> dict:
    match = _PROBLEM_LINE.match(problem)
    line, message = (int(match.group(1)), match.group(2)) if match else (None, problem)
    return {"path": "$.yaml", "line": line, "message": f"line {line}: {message}" if line else message,
            "type": "scorecard_invalid"}


@router.get("/brands/{brand}/scorecards")
def get_scorecards(brand: str, connection: ConnectionDep, viewer: CurrentViewer):
    """Every uploaded version, newest first; ``active`` marks the one in use."""
    brand_id = _brand_id(connection, viewer, brand)
    return {"items": quality.list_scorecards(connection, brand_id=brand_id)}


# --- queue and review ----------------------------------------------------------------------------


@router.get("/quality/queue")
def get_queue(connection: ConnectionDep, viewer: CurrentViewer, brand: str | None = None, vendor: str | None = None,
              channel: str | None = None, language: str | None = None, agent: str | None = None,
              passed: bool | None = None, source: Literal["automatic", "human"] | None = None,
              assigned_to_me: bool = False, page: int = 1, page_size: int = 50):
    """Scored interactions the caller may see, worst score first."""
    filters = quality_review.QueueFilters(brand, vendor, channel, language, agent, passed, source, assigned_to_me,
                                          page, page_size)
    result = quality_review.list_queue(connection, viewer, filters)
    return {"items": result.items, "total": result.total, "page": result.page, "page_size": result.page_size}


@router.get("/quality/interactions/{interaction_id}")
def get_review(interaction_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    """The effective result with evidence, every review (who, overrides, coaching), grades and disputes."""
    return _found(quality_review.get_review_view(connection, viewer, interaction_id, now=_now()), "interaction")


class OverrideIn(BaseModel):
    criterion: str
    result: Outcome
    reason: str = Field(min_length=1)


class ReviewIn(BaseModel):
    overrides: list[OverrideIn] = []
    coaching_note: str | None = None


def _overrides(items: list[OverrideIn]) -> list[quality_review.Override]:
    return [quality_review.Override(o.criterion, o.result, o.reason) for o in items]


@router.post("/quality/interactions/{interaction_id}/reviews", status_code=201)
def post_review(interaction_id: int, body: ReviewIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Override criteria (each with a reason) and/or leave a coaching note the agent sees."""
    _require(viewer, quality_review.REVIEWER_ROLES, "review interactions")
    review = _run(lambda: quality_review.submit_review(connection, viewer, interaction_id,
                                                       overrides=_overrides(body.overrides),
                                                       coaching_note=body.coaching_note, now=_now()))
    return _found(review, "interaction")


class GradeIn(BaseModel):
    agrees: bool
    note: str | None = None


@router.post("/quality/reviews/{review_id}/grades", status_code=201)
def post_grade(review_id: int, body: GradeIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Grade-the-grader: a lead records whether they agree with a reviewer's review."""
    _require(viewer, quality_review.LEAD_ROLES, "grade reviews")
    grade = _run(lambda: quality_review.grade_review(connection, viewer, review_id, agrees=body.agrees,
                                                     note=body.note, now=_now()))
    return _found(grade, "review")


@router.get("/quality/reviewers")
def get_reviewer_agreement(connection: ConnectionDep, viewer: CurrentViewer):
    """Per reviewer: reviews graded by leads and the share the leads agreed with."""
    _require(viewer, quality_review.REVIEWER_ROLES, "read reviewer grades")
    return {"items": quality_review.reviewer_agreement(connection, viewer)}


# --- disputes ------------------------------------------------------------------------------------


class DisputeIn(BaseModel):
    reason: str = Field(min_length=1)


@router.post("/quality/interactions/{interaction_id}/disputes", status_code=201)
def post_dispute(interaction_id: int, body: DisputeIn, connection: ConnectionDep, viewer: CurrentViewer):
    """An agent disputes the score of one of their interactions; it is due for a decision in 7 days."""
    _require(viewer, {Role.AGENT}, "dispute scores (agents dispute their own)")
    dispute = _run(lambda: quality_review.raise_dispute(connection, viewer, interaction_id, reason=body.reason,
                                                        now=_now()))
    return _found(dispute, "interaction")


class DecisionIn(BaseModel):
    outcome: Literal["upheld", "rejected"]
    note: str = Field(min_length=1)
    overrides: list[OverrideIn] = []


@router.post("/quality/disputes/{dispute_id}/decision")
def post_decision(dispute_id: int, body: DecisionIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Decide an open dispute; an upheld one may correct criteria (recorded as a review)."""
    _require(viewer, quality_review.REVIEWER_ROLES, "decide disputes")
    decided = _run(lambda: quality_review.decide_dispute(
        connection, viewer, dispute_id, upheld=body.outcome == "upheld", note=body.note,
        overrides=_overrides(body.overrides), now=_now()))
    return _found(decided, "dispute")


@router.get("/quality/disputes")
def get_disputes(connection: ConnectionDep, viewer: CurrentViewer,
                 status: Literal["open", "upheld", "rejected"] | None = None):
    """Disputes the caller may see (an agent: their own), soonest deadline first; ``overdue`` past it."""
    return {"items": quality_review.list_disputes(connection, viewer, status=status, now=_now())}


# --- assignments ---------------------------------------------------------------------------------


class AssignmentsIn(BaseModel):
    brand: str
    period_start: date
    period_end: date
    per_agent: int = Field(ge=1, le=1000)
    reviewers: list[str] = Field(min_length=1)
    seed: int = 0


@router.post("/quality/assignments", status_code=201)
def post_assignments(body: AssignmentsIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Sample the same number of interactions for every agent in the period and assign them to reviewers."""
    _require(viewer, quality_review.REVIEWER_ROLES, "assign reviews")
    brand_id = _brand_id(connection, viewer, body.brand)
    return _run(lambda: quality_review.create_assignments(
        connection, viewer, brand_id=brand_id, period_start=body.period_start, period_end=body.period_end,
        per_agent=body.per_agent, reviewers=body.reviewers, seed=body.seed, now=_now()))


@router.get("/quality/assignments")
def get_assignments(connection: ConnectionDep, viewer: CurrentViewer, mine: bool = False):
    _require(viewer, quality_review.REVIEWER_ROLES, "read review assignments")
    return {"items": quality_review.list_assignments(connection, viewer, mine=mine)}


# --- calibration ---------------------------------------------------------------------------------


class CalibrationIn(BaseModel):
    brand: str
    name: str = Field(min_length=1, max_length=200)
    interaction_ids: list[int] = Field(min_length=1, max_length=200)


@router.post("/quality/calibrations", status_code=201)
def post_calibration(body: CalibrationIn, connection: ConnectionDep, viewer: CurrentViewer):
    _require(viewer, quality_review.REVIEWER_ROLES, "run calibration sessions")
    brand_id = _brand_id(connection, viewer, body.brand)
    session_id = _run(lambda: quality_calibration.create_session(
        connection, viewer, brand_id=brand_id, name=body.name, interaction_ids=body.interaction_ids, now=_now()))
    return {"id": session_id}


@router.get("/quality/calibrations")
def get_calibrations(connection: ConnectionDep, viewer: CurrentViewer):
    _require(viewer, quality_review.REVIEWER_ROLES, "read calibration sessions")
    return {"items": quality_calibration.list_sessions(connection, viewer)}


@router.get("/quality/calibrations/{session_id}")
def get_calibration(session_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    """Items, ratings and Cohen's kappa per criterion between reviewers and with the automatic score."""
    _require(viewer, quality_review.REVIEWER_ROLES, "read calibration sessions")
    return _found(quality_calibration.get_session(connection, viewer, session_id), "calibration session")


class RatingIn(BaseModel):
    interaction_id: int
    ratings: dict[str, Outcome] = Field(min_length=1)


@router.put("/quality/calibrations/{session_id}/ratings")
def put_rating(session_id: int, body: RatingIn, connection: ConnectionDep, viewer: CurrentViewer):
    """The caller's rating of one item (replacing their earlier one)."""
    _require(viewer, quality_review.REVIEWER_ROLES, "rate calibration items")
    stored = _run(lambda: quality_calibration.rate_item(connection, viewer, session_id,
                                                        interaction_id=body.interaction_id, ratings=body.ratings,
                                                        now=_now()))
    if not stored:
        raise HTTPException(status_code=404, detail="calibration session not found")
    return {"session_id": session_id, "interaction_id": body.interaction_id, "reviewer": viewer.username}


# --- fairness ------------------------------------------------------------------------------------


@router.get("/quality/fairness")
def get_fairness(connection: ConnectionDep, viewer: CurrentViewer, brand: str | None = None,
                 date_from: date | None = None, date_to: date | None = None):
    """Per vendor, site and language: automatic-vs-human disagreement rate and score distribution."""
    _require(viewer, REPORT_READERS, "read the fairness report")
    brand_id = _brand_id(connection, viewer, brand) if brand else None
    return quality.fairness_report(
        connection, viewer, brand_id=brand_id,
        date_from=datetime.combine(date_from, time.min, tzinfo=UTC) if date_from else None,
        date_to=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC) if date_to else None,
    )
