"""Post-contact surveys through signed links (KPI-3): brand settings, issuing a link, showing and answering it.

Answering stores CSAT and NPS on the interaction's ``surveys`` row and CES beside it, redacts the
comment like every other customer text, updates the metrics rollups of the interaction's day and opens a
follow-up task when the answer is a detractor's, all in the caller's transaction.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from trustdesk.core.metrics.feedback import (
    DEFAULT_FOLLOW_UP_BUSINESS_DAYS,
    DEFAULT_LINK_VALID_DAYS,
    DEFAULT_WORDING,
    SCALES,
    SurveyQuestion,
    SurveyTokenError,
    is_detractor_answer,
    read_unverified_claims,
    sign_survey_token,
    verify_survey_token,
)
from trustdesk.core.model import Role
from trustdesk.core.privacy.redaction import detect_entities, redact_text
from trustdesk.services import follow_ups
from trustdesk.services.metrics_rollups import update_rollups_for_interactions
from trustdesk.services.scope import Viewer, scope_interactions
from trustdesk.services.tenancy import (
    Conflict,
    FieldError,
    NotVisible,
    as_utc,
    require_role,
    visible_brand_id,
)
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import survey_effort, survey_invitations, survey_settings

LINK_ISSUERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR}
SETTINGS_EDITORS = {Role.ADMIN, Role.BRAND_MANAGER}
MAX_COMMENT_CHARS = 2_000
MAX_WORDING_CHARS = 300
# A link lives at most a quarter: long enough for a slow customer, short enough that old links die.
MAX_LINK_VALID_DAYS = 90
MAX_FOLLOW_UP_BUSINESS_DAYS = 30
SIGNING_KEY_BYTES = 32


@dataclass(frozen=True)
class SurveySettings:
    brand_id: int
    questions: tuple[SurveyQuestion, ...]
    wording: Mapping[SurveyQuestion, str]
    link_valid_days: int
    follow_up_business_days: int

    def as_dict(self) -> dict:
        return {"questions": [q.value for q in self.questions],
                "wording": {q.value: self.wording[q] for q in SurveyQuestion},
                "link_valid_days": self.link_valid_days, "follow_up_business_days": self.follow_up_business_days}


class SurveyLinkError(ValueError):
    """A survey link that cannot be answered; ``reason`` is malformed, tampered, expired, superseded or answered."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _settings_row(connection: Connection, brand_id: int, *, now: datetime):
    """The brand's survey settings row, created with defaults and a fresh signing key on first use."""
    row = connection.execute(select(survey_settings).where(survey_settings.c.brand_id == brand_id)).first()
    if row is not None:
        return row
    connection.execute(insert(survey_settings).values(
        brand_id=brand_id, questions=[q.value for q in SurveyQuestion],
        wording={q.value: text for q, text in DEFAULT_WORDING.items()}, signing_key=secrets.token_bytes(SIGNING_KEY_BYTES),
        link_valid_days=DEFAULT_LINK_VALID_DAYS, follow_up_business_days=DEFAULT_FOLLOW_UP_BUSINESS_DAYS, updated_at=now,
    ))
    return connection.execute(select(survey_settings).where(survey_settings.c.brand_id == brand_id)).one()


def _settings_from_row(row) -> SurveySettings:
    return SurveySettings(
        brand_id=row.brand_id,
        questions=tuple(SurveyQuestion(q) for q in row.questions),
        wording={q: row.wording.get(q.value, DEFAULT_WORDING[q]) for q in SurveyQuestion},
        link_valid_days=row.link_valid_days,
        follow_up_business_days=row.follow_up_business_days,
    )


def get_survey_settings(connection: Connection, viewer: Viewer, *, brand_key: str | None, now: datetime) -> SurveySettings:
    return _settings_from_row(_settings_row(connection, visible_brand_id(connection, viewer, brand_key), now=now))


def follow_up_business_days(connection: Connection, brand_id: int, *, now: datetime) -> int:
    return _settings_row(connection, brand_id, now=now).follow_up_business_days


def save_survey_settings(
    connection: Connection,
    viewer: Viewer,
    *,
    brand_key: str | None,
    questions: Sequence[str],
    wording: Mapping[str, str],
    link_valid_days: int,
    follow_up_business_days: int,
    now: datetime,
) -> SurveySettings:
    """Replace which questions the brand asks, their wording and the link and follow-up deadlines."""
    require_role(viewer, SETTINGS_EDITORS, "change survey settings")
    brand_id = visible_brand_id(connection, viewer, brand_key)
    chosen: list[SurveyQuestion] = []
    for index, name in enumerate(questions):
        try:
            question = SurveyQuestion(name)
        except ValueError as error:
            raise FieldError(f"$.questions[{index}]", f"unknown question {name!r}; one of csat, nps, ces") from error
        if question in chosen:
            raise FieldError(f"$.questions[{index}]", f"question {name!r} is listed twice")
        chosen.append(question)
    if not chosen:
        raise FieldError("$.questions", "ask at least one question")
    for name, text in wording.items():
        if name not in {q.value for q in SurveyQuestion}:
            raise FieldError(f"$.wording.{name}", f"unknown question {name!r}; one of csat, nps, ces")
        if not text.strip() or len(text) > MAX_WORDING_CHARS:
            raise FieldError(f"$.wording.{name}", f"wording must be 1-{MAX_WORDING_CHARS} characters")
    if not 1 <= link_valid_days <= MAX_LINK_VALID_DAYS:
        raise FieldError("$.link_valid_days", f"must be 1-{MAX_LINK_VALID_DAYS} days")
    if not 0 <= follow_up_business_days <= MAX_FOLLOW_UP_BUSINESS_DAYS:
        raise FieldError("$.follow_up_business_days", f"must be 0-{MAX_FOLLOW_UP_BUSINESS_DAYS} business days")
    current = _settings_row(connection, brand_id, now=now)
    merged_wording = {**current.wording, **{name: text.strip() for name, text in wording.items()}}
    connection.execute(update(survey_settings).where(survey_settings.c.id == current.id).values(
        questions=[q.value for q in chosen], wording=merged_wording, link_valid_days=link_valid_days,
        follow_up_business_days=follow_up_business_days, updated_at=now,
    ))
    return _settings_from_row(connection.execute(select(survey_settings).where(survey_settings.c.id == current.id)).one())


@dataclass(frozen=True)
class SurveyLink:
    interaction_id: int
    token: str
    expires_at: datetime


def issue_survey_link(connection: Connection, viewer: Viewer, *, interaction_id: int, now: datetime) -> SurveyLink:
    """A signed link for the customer of one interaction; issuing again replaces (and voids) the last link."""
    require_role(viewer, LINK_ISSUERS, "issue survey links")
    row = connection.execute(
        scope_interactions(select(t.interactions.c.id, t.interactions.c.brand_id), viewer)
        .where(t.interactions.c.id == interaction_id)
    ).first()
    if row is None:
        raise NotVisible("interaction not found")
    if connection.execute(select(t.surveys.c.id).where(t.surveys.c.interaction_id == interaction_id)).first():
        raise Conflict("this interaction's survey is already answered")
    settings = _settings_row(connection, row.brand_id, now=now)
    # Whole seconds: the token carries the expiry as a Unix time and must match the stored one.
    expires_at = (now + timedelta(days=settings.link_valid_days)).replace(microsecond=0)
    invitation_id = connection.execute(
        select(survey_invitations.c.id).where(survey_invitations.c.interaction_id == interaction_id)
    ).scalar()
    if invitation_id is None:
        invitation_id = connection.execute(insert(survey_invitations).values(
            interaction_id=interaction_id, issued_at=now, expires_at=expires_at,
        ).returning(survey_invitations.c.id)).scalar_one()
    else:
        connection.execute(update(survey_invitations).where(survey_invitations.c.id == invitation_id)
                           .values(issued_at=now, expires_at=expires_at))
    token = sign_survey_token(invitation_id=invitation_id, expires_at=expires_at, key=settings.signing_key)
    return SurveyLink(interaction_id=interaction_id, token=token, expires_at=expires_at)


@dataclass(frozen=True)
class SurveyForm:
    """What the customer's page shows: the brand's name and its questions, nothing about the customer."""

    brand_name: str
    questions: tuple[dict, ...]
    expires_at: datetime


def _open_invitation(connection: Connection, token: str, *, now: datetime):
    try:
        claims = read_unverified_claims(token)
    except SurveyTokenError as error:
        raise SurveyLinkError(error.reason, str(error)) from error
    row = connection.execute(
        select(survey_invitations, t.interactions.c.brand_id, t.interactions.c.vendor_id, t.brands.c.name.label("brand_name"))
        .join(t.interactions, t.interactions.c.id == survey_invitations.c.interaction_id)
        .join(t.brands, t.brands.c.id == t.interactions.c.brand_id)
        .where(survey_invitations.c.id == claims.invitation_id)
    ).first()
    if row is None:
        # Same answer as a bad signature: a guessed invitation id learns nothing.
        raise SurveyLinkError("tampered", "survey link signature does not match")
    settings = _settings_row(connection, row.brand_id, now=now)
    try:
        verify_survey_token(token, key=settings.signing_key, now=now)
    except SurveyTokenError as error:
        raise SurveyLinkError(error.reason, str(error)) from error
    if as_utc(row.expires_at) != claims.expires_at:
        raise SurveyLinkError("superseded", "a newer survey link was sent for this contact")
    if row.answered_at is not None:
        raise SurveyLinkError("answered", "this survey has already been answered, thank you")
    return row, _settings_from_row(settings)


def open_survey(connection: Connection, token: str, *, now: datetime) -> SurveyForm:
    """The survey behind a valid, unanswered link; SurveyLinkError otherwise."""
    row, settings = _open_invitation(connection, token, now=now)
    questions = tuple(
        {"id": q.value, "text": settings.wording[q], "low": SCALES[q].low, "high": SCALES[q].high,
         "low_label": SCALES[q].low_label, "high_label": SCALES[q].high_label}
        for q in settings.questions
    )
    return SurveyForm(brand_name=row.brand_name, questions=questions, expires_at=as_utc(row.expires_at))


def answer_survey(
    connection: Connection,
    token: str,
    *,
    answers: Mapping[str, int | None],
    comment: str | None,
    now: datetime,
) -> bool:
    """Store the answers of a valid link once; returns whether a follow-up task was opened."""
    row, settings = _open_invitation(connection, token, now=now)
    asked = {q.value for q in settings.questions}
    values: dict[str, int] = {}
    for name, value in answers.items():
        if value is None:
            continue
        if name not in asked:
            raise FieldError(f"$.{name}", f"this survey does not ask {name}")
        scale = SCALES[SurveyQuestion(name)]
        if not scale.contains(value):
            raise FieldError(f"$.{name}", f"{name} must be {scale.low}-{scale.high}, got {value}")
        values[name] = value
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise FieldError("$.comment", f"comment must be at most {MAX_COMMENT_CHARS} characters")
    if not values and comment is None:
        raise FieldError("$", "answer at least one question or leave a comment")
    # Customers write their phone number or card into comments too; store only the redacted text.
    redacted = redact_text(comment, detect_entities(comment)) if comment else None
    # Claim the invitation first: of two concurrent submits only one updates the unanswered row.
    claimed = connection.execute(
        update(survey_invitations)
        .where(survey_invitations.c.id == row.id, survey_invitations.c.answered_at.is_(None))
        .values(answered_at=now)
    ).rowcount
    has_survey = connection.execute(select(t.surveys.c.id).where(t.surveys.c.interaction_id == row.interaction_id)).first()
    if claimed != 1 or has_survey:  # a survey may also have arrived with the interaction since the link was sent
        raise SurveyLinkError("answered", "this survey has already been answered, thank you")
    connection.execute(insert(t.surveys).values(
        interaction_id=row.interaction_id, csat=values.get("csat"), nps=values.get("nps"), comment=redacted, answered_at=now,
    ))
    if "ces" in values:
        connection.execute(insert(survey_effort).values(interaction_id=row.interaction_id, ces=values["ces"]))
    # Answers count on the interaction's own day, however late they arrive (docs/metrics.md).
    update_rollups_for_interactions(connection, [row.interaction_id], at=now)
    if not is_detractor_answer(csat=values.get("csat"), nps=values.get("nps")):
        return False
    scores = ", ".join(f"{name.upper()} {values[name]}" for name in ("nps", "csat") if name in values)
    follow_ups.open_follow_up(
        connection, brand_id=row.brand_id, vendor_id=row.vendor_id, interaction_id=row.interaction_id, complaint_id=None,
        reason=follow_ups.FollowUpReason.DETRACTOR, detail=f"Detractor answer ({scores})" + (f": {redacted}" if redacted else ""),
        business_days=settings.follow_up_business_days, now=now,
    )
    return True
