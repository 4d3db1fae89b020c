"""Churn-risk and relationship-value signals per customer: transparent point heuristics with reasons.

These are signals for a supervisor's follow-up list, not predictions: every point comes with the reason
it was given, and docs/metrics.md lists the table. Value is a relationship index (tenure, advocacy, a
clean record), not money: revenue lives in the brand's own systems.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from trustdesk.core.metrics.facts import InteractionFact
from trustdesk.core.metrics.kpis import CSAT_NEGATIVE_MAX, NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN

# Points per occurrence and caps, so that no single cause can carry a score alone.
REPEAT_CONTACT_POINTS, REPEAT_CONTACT_CAP = 10, 30
NEGATIVE_ANSWER_POINTS, NEGATIVE_ANSWER_CAP = 20, 40
UNRESOLVED_CASE_POINTS, UNRESOLVED_CASE_CAP = 15, 30
COMPLAINT_POINTS, COMPLAINT_CAP = 15, 30
# Six or more contacts in the period is well above the one or two a resolved issue needs.
HIGH_CONTACT_VOLUME, HIGH_CONTACT_VOLUME_POINTS = 6, 10
PROMOTER_RELIEF_POINTS, PROMOTER_RELIEF_CAP = 10, 20

TENURE_POINTS_PER_YEAR, TENURE_CAP = 10, 40
PROMOTER_VALUE_POINTS, PROMOTER_VALUE_CAP = 15, 30
ENGAGED_POINTS = 10
CLEAN_RECORD_POINTS = 20

MEDIUM_FROM, HIGH_FROM = 30, 60


class SignalLevel(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ReasonCode(str, enum.Enum):
    REPEAT_CONTACTS = "repeat_contacts"
    NEGATIVE_ANSWERS = "negative_answers"
    UNRESOLVED_CASES = "unresolved_cases"
    COMPLAINTS = "complaints"
    HIGH_CONTACT_VOLUME = "high_contact_volume"
    PROMOTER_ANSWERS = "promoter_answers"
    TENURE = "tenure"
    ENGAGED = "engaged"
    CLEAN_RECORD = "clean_record"


@dataclass(frozen=True)
class CustomerActivity:
    """What the signals read about one customer over the chosen period."""

    customer_id: str
    contacts: int
    repeat_contacts: int
    negative_answers: int  # NPS 0-6 or CSAT 1-2, one per answered survey at most
    promoter_answers: int  # NPS 9-10
    survey_answers: int
    unresolved_cases: int
    complaints: int = 0
    tenure_days: int | None = None


@dataclass(frozen=True)
class SignalReason:
    code: ReasonCode
    points: int
    detail: str


@dataclass(frozen=True)
class Signal:
    score: int  # 0-100
    level: SignalLevel
    reasons: tuple[SignalReason, ...]


@dataclass(frozen=True)
class CustomerSignals:
    customer_id: str
    churn_risk: Signal
    relationship_value: Signal

    @property
    def is_valuable_at_risk(self) -> bool:
        """High churn risk on a customer of at least medium value: first in the follow-up list."""
        return (
            self.churn_risk.level is SignalLevel.HIGH and self.relationship_value.level is not SignalLevel.LOW
        )


def _is_negative(fact: InteractionFact) -> bool:
    return (fact.nps is not None and fact.nps <= NPS_DETRACTOR_MAX) or (
        fact.csat is not None and fact.csat <= CSAT_NEGATIVE_MAX
    )


def activity_from_facts(
    customer_id: str,
    facts: Iterable[InteractionFact],
    *,
    unresolved_cases: int,
    complaints: int = 0,
    tenure_days: int | None = None,
) -> CustomerActivity:
    """Summarize one customer's interaction facts (flags set by ``repeat_contacts``) for the signals."""
    own = [fact for fact in facts if fact.customer_id == customer_id]
    return CustomerActivity(
        customer_id=customer_id,
        contacts=len(own),
        repeat_contacts=sum(1 for f in own if f.is_repeat_contact),
        negative_answers=sum(1 for f in own if _is_negative(f)),
        promoter_answers=sum(1 for f in own if f.nps is not None and f.nps >= NPS_PROMOTER_MIN),
        survey_answers=sum(1 for f in own if f.csat is not None or f.nps is not None),
        unresolved_cases=unresolved_cases,
        complaints=complaints,
        tenure_days=tenure_days,
    )


def _capped(count: int, points: int, cap: int) -> int:
    return min(count * points, cap)


def _signal(reasons: list[SignalReason]) -> Signal:
    score = max(0, min(100, sum(reason.points for reason in reasons)))
    level = (
        SignalLevel.HIGH
        if score >= HIGH_FROM
        else SignalLevel.MEDIUM
        if score >= MEDIUM_FROM
        else SignalLevel.LOW
    )
    return Signal(score=score, level=level, reasons=tuple(reasons))


def score_churn_risk(activity: CustomerActivity) -> Signal:
    """Churn risk 0-100 from repeat contacts, negative answers, unresolved cases, complaints and volume."""
    reasons: list[SignalReason] = []
    if activity.repeat_contacts:
        points = _capped(activity.repeat_contacts, REPEAT_CONTACT_POINTS, REPEAT_CONTACT_CAP)
        reasons.append(
            SignalReason(ReasonCode.REPEAT_CONTACTS, points, f"{activity.repeat_contacts} repeat contact(s)")
        )
    if activity.negative_answers:
        points = _capped(activity.negative_answers, NEGATIVE_ANSWER_POINTS, NEGATIVE_ANSWER_CAP)
        reasons.append(
            SignalReason(
                ReasonCode.NEGATIVE_ANSWERS,
                points,
                f"{activity.negative_answers} detractor or low CSAT answer(s)",
            )
        )
    if activity.unresolved_cases:
        points = _capped(activity.unresolved_cases, UNRESOLVED_CASE_POINTS, UNRESOLVED_CASE_CAP)
        reasons.append(
            SignalReason(
                ReasonCode.UNRESOLVED_CASES, points, f"{activity.unresolved_cases} unresolved case(s)"
            )
        )
    if activity.complaints:
        points = _capped(activity.complaints, COMPLAINT_POINTS, COMPLAINT_CAP)
        reasons.append(SignalReason(ReasonCode.COMPLAINTS, points, f"{activity.complaints} complaint(s)"))
    if activity.contacts >= HIGH_CONTACT_VOLUME:
        reasons.append(
            SignalReason(
                ReasonCode.HIGH_CONTACT_VOLUME, HIGH_CONTACT_VOLUME_POINTS, f"{activity.contacts} contacts"
            )
        )
    if activity.promoter_answers:
        points = -_capped(activity.promoter_answers, PROMOTER_RELIEF_POINTS, PROMOTER_RELIEF_CAP)
        reasons.append(
            SignalReason(
                ReasonCode.PROMOTER_ANSWERS, points, f"{activity.promoter_answers} promoter answer(s)"
            )
        )
    return _signal(reasons)


def score_relationship_value(activity: CustomerActivity) -> Signal:
    """Relationship value 0-100 from tenure, promoter answers, survey engagement and a clean record."""
    reasons: list[SignalReason] = []
    if activity.tenure_days:
        points = min(TENURE_CAP, activity.tenure_days * TENURE_POINTS_PER_YEAR // 365)
        if points:
            reasons.append(
                SignalReason(ReasonCode.TENURE, points, f"customer for {activity.tenure_days} days")
            )
    if activity.promoter_answers:
        points = _capped(activity.promoter_answers, PROMOTER_VALUE_POINTS, PROMOTER_VALUE_CAP)
        reasons.append(
            SignalReason(
                ReasonCode.PROMOTER_ANSWERS, points, f"{activity.promoter_answers} promoter answer(s)"
            )
        )
    if activity.survey_answers and not activity.negative_answers:
        reasons.append(
            SignalReason(
                ReasonCode.ENGAGED,
                ENGAGED_POINTS,
                f"{activity.survey_answers} survey answer(s), none negative",
            )
        )
    if activity.contacts and not activity.unresolved_cases and not activity.complaints:
        reasons.append(
            SignalReason(ReasonCode.CLEAN_RECORD, CLEAN_RECORD_POINTS, "no unresolved case or complaint")
        )
    return _signal(reasons)


def score_customer(activity: CustomerActivity) -> CustomerSignals:
    """Both signals for one customer."""
    return CustomerSignals(
        customer_id=activity.customer_id,
        churn_risk=score_churn_risk(activity),
        relationship_value=score_relationship_value(activity),
    )
