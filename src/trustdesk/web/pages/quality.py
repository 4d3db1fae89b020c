"""QA pages: the review queue (worst first), one interaction's review with highlighted evidence and the
override form, disputes and coaching as the agent sees them, calibration sessions and the fairness report.
Forms post back here and go through the same services as the JSON API.
"""
from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from trustdesk.core.model import Role
from trustdesk.core.quality.results import Outcome
from trustdesk.services import browse, quality, quality_calibration, quality_review
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep
from trustdesk.web.pages.routes import page_viewer, templates

router = APIRouter(include_in_schema=False)
OUTCOMES = [o.value for o in Outcome]


def _now() -> datetime:
    return datetime.now(UTC)


def _render(request: Request, name: str, viewer: Viewer, status_code: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"viewer": viewer, **context}, status_code=status_code)


def _require_reviewer(viewer: Viewer) -> None:
    if viewer.role not in quality_review.REVIEWER_ROLES:
        raise HTTPException(status_code=403, detail="QA review is for QA analysts, supervisors and brand managers")


def highlight(text: str, quotes: list[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (segment, is_evidence) pieces so quoted evidence can be marked in the transcript."""
    marks = sorted({(start, start + len(q)) for q in quotes if q and (start := text.find(q)) >= 0})
    pieces, cursor = [], 0
    for start, end in marks:
        if start < cursor:
            continue  # overlapping quotes: the earlier mark already covers this span
        pieces += [(text[cursor:start], False), (text[start:end], True)]
        cursor = end
    pieces.append((text[cursor:], False))
    return [piece for piece in pieces if piece[0]]


# --- queue ---------------------------------------------------------------------------------------


@router.get("/quality", response_class=HTMLResponse)
def queue_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer),
               vendor: str | None = None, channel: str | None = None, language: str | None = None,
               agent: str | None = None, outcome: str | None = None, source: str | None = None,
               mine: str | None = None, page: int = 1):
    chosen = {"vendor": vendor or None, "channel": channel or None, "language": language or None,
              "agent": agent or None, "outcome": outcome or None, "source": source or None, "mine": mine or None}
    filters = quality_review.QueueFilters(
        vendor=chosen["vendor"], channel=chosen["channel"], language=chosen["language"], agent=chosen["agent"],
        passed={"passed": True, "failed": False}.get(chosen["outcome"] or ""),
        source=chosen["source"] if chosen["source"] in ("automatic", "human") else None,
        assigned_to_me=bool(chosen["mine"]), page=page)
    result = quality_review.list_queue(connection, viewer, filters)
    query = {key: value for key, value in chosen.items() if value}
    is_reviewer = viewer.role in quality_review.REVIEWER_ROLES
    return _render(request, "quality_queue.html", viewer, page=result, chosen=chosen,
                   options=browse.list_filter_options(connection, viewer), is_reviewer=is_reviewer,
                   assignments=quality_review.list_assignments(connection, viewer, mine=True) if is_reviewer else [],
                   disputes=quality_review.list_disputes(connection, viewer, status="open", now=_now()),
                   page_link=lambda number: "/quality?" + urlencode({**query, "page": number}))


# --- one interaction -----------------------------------------------------------------------------


def _review_page(request: Request, connection, viewer: Viewer, interaction_id: int, *, error: str | None = None,
                 status_code: int = 200) -> HTMLResponse:
    detail = quality_review.get_review_view(connection, viewer, interaction_id, now=_now())
    if detail is None:
        raise HTTPException(status_code=404, detail="interaction not found")
    quotes: dict[int, list[str]] = {}
    for criterion in (detail["quality"] or {}).get("criteria", []):
        for item in criterion.get("evidence", []):
            quotes.setdefault(item["turn"], []).append(item["quote"])
    turns = [{**turn, "pieces": highlight(turn["text"], quotes.get(turn["seq"], [])),
              "is_evidence": turn["seq"] in quotes} for turn in detail["turns"]]
    return _render(request, "quality_review.html", viewer, status_code=status_code, interaction=detail, turns=turns,
                   outcomes=OUTCOMES, error=error,
                   is_reviewer=viewer.role in quality_review.REVIEWER_ROLES,
                   is_lead=viewer.role in quality_review.LEAD_ROLES,
                   is_agent=viewer.role is Role.AGENT)


@router.get("/quality/interactions/{interaction_id}", response_class=HTMLResponse)
def review_page(request: Request, interaction_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer)):
    return _review_page(request, connection, viewer, interaction_id)


def _back(interaction_id: int) -> RedirectResponse:
    return RedirectResponse(f"/quality/interactions/{interaction_id}", status_code=303)


def _failed(request, connection, viewer, interaction_id, error: Exception) -> HTMLResponse:
    message = error.message if isinstance(error, quality.QualityInputError) else str(error)
    status = 422 if isinstance(error, quality.QualityInputError) else 409
    return _review_page(request, connection, viewer, interaction_id, error=message, status_code=status)


@router.post("/quality/interactions/{interaction_id}/review", response_class=HTMLResponse)
async def submit_review_form(request: Request, interaction_id: int, connection: ConnectionDep,
                             viewer: Viewer = Depends(page_viewer)):
    _require_reviewer(viewer)
    form = await request.form()
    overrides = [
        quality_review.Override(key.removeprefix("result__"), Outcome(str(value)),
                                str(form.get("reason__" + key.removeprefix("result__"), "")))
        for key, value in form.multi_items() if key.startswith("result__") and value in OUTCOMES
    ]
    try:
        with connection.begin_nested():  # a refused form leaves nothing behind
            done = quality_review.submit_review(connection, viewer, interaction_id, overrides=overrides,
                                                coaching_note=str(form.get("coaching_note", "")), now=_now())
    except (quality.QualityInputError, quality_review.QualityConflict) as error:
        return _failed(request, connection, viewer, interaction_id, error)
    if done is None:
        raise HTTPException(status_code=404, detail="interaction not found")
    return _back(interaction_id)


@router.post("/quality/interactions/{interaction_id}/dispute", response_class=HTMLResponse)
async def dispute_form(request: Request, interaction_id: int, connection: ConnectionDep,
                       viewer: Viewer = Depends(page_viewer)):
    if viewer.role is not Role.AGENT:
        raise HTTPException(status_code=403, detail="agents dispute the scores of their own interactions")
    form = await request.form()
    try:
        with connection.begin_nested():
            done = quality_review.raise_dispute(connection, viewer, interaction_id,
                                                reason=str(form.get("reason", "")), now=_now())
    except (quality.QualityInputError, quality_review.QualityConflict) as error:
        return _failed(request, connection, viewer, interaction_id, error)
    if done is None:
        raise HTTPException(status_code=404, detail="interaction not found")
    return _back(interaction_id)


@router.post("/quality/disputes/{dispute_id}/decision", response_class=HTMLResponse)
async def decision_form(request: Request, dispute_id: int, connection: ConnectionDep,
                        viewer: Viewer = Depends(page_viewer)):
    _require_reviewer(viewer)
    form = await request.form()
    interaction_id = int(str(form.get("interaction_id", "0")) or 0)
    try:
        with connection.begin_nested():
            done = quality_review.decide_dispute(connection, viewer, dispute_id,
                                                 upheld=form.get("outcome") == "upheld",
                                                 note=str(form.get("note", "")), now=_now())
    except (quality.QualityInputError, quality_review.QualityConflict) as error:
        return _failed(request, connection, viewer, interaction_id, error)
    if done is None:
        raise HTTPException(status_code=404, detail="dispute not found")
    return _back(done["interaction_id"])


@router.post("/quality/reviews/{review_id}/grade", response_class=HTMLResponse)
async def grade_form(request: Request, review_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer)):
    if viewer.role not in quality_review.LEAD_ROLES:
        raise HTTPException(status_code=403, detail="leads grade reviews")
    form = await request.form()
    interaction_id = int(str(form.get("interaction_id", "0")) or 0)
    try:
        with connection.begin_nested():
            done = quality_review.grade_review(connection, viewer, review_id, agrees=form.get("agrees") == "yes",
                                               note=str(form.get("note", "")), now=_now())
    except quality_review.QualityConflict as error:
        return _failed(request, connection, viewer, interaction_id, error)
    if done is None:
        raise HTTPException(status_code=404, detail="review not found")
    return _back(interaction_id)


# --- calibration ---------------------------------------------------------------------------------


@router.get("/quality/calibrations", response_class=HTMLResponse)
def calibrations_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer)):
    _require_reviewer(viewer)
    return _render(request, "quality_calibrations.html", viewer,
                   sessions=quality_calibration.list_sessions(connection, viewer))


@router.get("/quality/calibrations/{session_id}", response_class=HTMLResponse)
def calibration_page(request: Request, session_id: int, connection: ConnectionDep,
                     viewer: Viewer = Depends(page_viewer), error: str | None = None):
    _require_reviewer(viewer)
    session = quality_calibration.get_session(connection, viewer, session_id)
    if session is None:
        raise HTTPException(status_code=404, detail="calibration session not found")
    return _render(request, "quality_calibration.html", viewer, session=session, outcomes=OUTCOMES, error=error)


@router.post("/quality/calibrations/{session_id}/rate", response_class=HTMLResponse)
async def rate_form(request: Request, session_id: int, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer)):
    _require_reviewer(viewer)
    form = await request.form()
    ratings = {key.removeprefix("rating__"): Outcome(str(value)) for key, value in form.multi_items()
               if key.startswith("rating__") and value in OUTCOMES}
    try:
        with connection.begin_nested():
            stored = quality_calibration.rate_item(connection, viewer, session_id,
                                                   interaction_id=int(str(form.get("interaction_id", "0")) or 0),
                                                   ratings=ratings, now=_now())
    except quality.QualityInputError as error:
        return RedirectResponse(f"/quality/calibrations/{session_id}?" + urlencode({"error": error.message}),
                                status_code=303)
    if not stored:
        raise HTTPException(status_code=404, detail="calibration session not found")
    return RedirectResponse(f"/quality/calibrations/{session_id}", status_code=303)


# --- fairness ------------------------------------------------------------------------------------


@router.get("/quality/fairness", response_class=HTMLResponse)
def fairness_page(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(page_viewer)):
    if viewer.role not in quality_review.REVIEWER_ROLES | {Role.VENDOR_MANAGER, Role.AUDITOR}:
        raise HTTPException(status_code=403, detail="the fairness report is for QA staff, managers and auditors")
    return _render(request, "quality_fairness.html", viewer,
                   report=quality.fairness_report(connection, viewer, brand_id=None))
