"""Voice of the customer rules: survey questions and scales, the detractor rule, follow-up due dates and
the signed, expiring survey link token.

A survey link carries no personal data: only the invitation id and its expiry, signed with the brand's
survey key (HMAC-SHA256), so a customer answers without logging in and nobody can forge or widen a link.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from trustdesk.core.metrics.kpis import CSAT_NEGATIVE_MAX, NPS_DETRACTOR_MAX

DEFAULT_FOLLOW_UP_BUSINESS_DAYS = 2
DEFAULT_LINK_VALID_DAYS = 14
SATURDAY = 5


class SurveyQuestion(str, enum.Enum):
    CSAT = "csat"
    NPS = "nps"
    CES = "ces"


@dataclass(frozen=True)
class Scale:
    low: int
    high: int
    low_label: str
    high_label: str

    def contains(self, value: int) -> bool:
        return self.low <= value <= self.high


# CSAT 1-5 and NPS 0-10 as in CONTRACTS.md section 1; customer effort on the usual 7-point agreement scale.
SCALES = {
    SurveyQuestion.CSAT: Scale(1, 5, "very dissatisfied", "very satisfied"),
    SurveyQuestion.NPS: Scale(0, 10, "not at all likely", "extremely likely"),
    SurveyQuestion.CES: Scale(1, 7, "strongly disagree", "strongly agree"),
}

DEFAULT_WORDING = {
    SurveyQuestion.CSAT: "How satisfied are you with the help you received?",
    SurveyQuestion.NPS: "How likely are you to recommend us to a friend or colleague?",
    SurveyQuestion.CES: "The company made it easy for me to handle my issue.",
}


def is_detractor_answer(*, csat: int | None, nps: int | None) -> bool:
    """NPS 0-6 or CSAT 1-2: the answers that open a follow-up task (docs/metrics.md, closed loop)."""
    return (nps is not None and nps <= NPS_DETRACTOR_MAX) or (csat is not None and csat <= CSAT_NEGATIVE_MAX)


def add_business_days(start: datetime, days: int) -> datetime:
    """``start`` moved forward by ``days`` weekdays (Saturday and Sunday skipped), same time of day.

    A start on a weekend counts from the next Monday's same time, so a Saturday complaint with two
    business days is due Wednesday, not Tuesday.
    """
    if days < 0:
        raise ValueError(f"days has value {days!r}. Must be >= 0.")
    moment = start
    while moment.weekday() >= SATURDAY:
        moment += timedelta(days=1)
    remaining = days
    while remaining:
        moment += timedelta(days=1)
        if moment.weekday() < SATURDAY:
            remaining -= 1
    return moment


class SurveyTokenError(ValueError):
    """A survey link that cannot be used; ``reason`` says why (malformed, tampered, expired)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SurveyTokenClaims:
    invitation_id: int
    expires_at: datetime


def _signature(key: bytes, invitation_id: int, expires_epoch: int) -> str:
    message = f"survey-link:{invitation_id}:{expires_epoch}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign_survey_token(*, invitation_id: int, expires_at: datetime, key: bytes) -> str:
    """A URL-safe token naming the invitation and its expiry, signed with ``key``."""
    expires_epoch = int(expires_at.timestamp())
    return f"{invitation_id}.{expires_epoch}.{_signature(key, invitation_id, expires_epoch)}"


def read_unverified_claims(token: str) -> SurveyTokenClaims:
    """The claims a token states, before its signature is checked (to find the brand whose key signs it)."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or not parts[2]:
        raise SurveyTokenError("malformed", "survey link is malformed")
    return SurveyTokenClaims(int(parts[0]), datetime.fromtimestamp(int(parts[1]), tz=timezone.utc))


def verify_survey_token(token: str, *, key: bytes, now: datetime) -> SurveyTokenClaims:
    """The token's claims when its signature is right and it has not expired; else SurveyTokenError."""
    claims = read_unverified_claims(token)
    expected = _signature(key, claims.invitation_id, int(claims.expires_at.timestamp()))
    if not hmac.compare_digest(expected, token.split(".")[2]):
        raise SurveyTokenError("tampered", "survey link signature does not match")
    if now >= claims.expires_at:
        raise SurveyTokenError("expired", "survey link has expired")
    return claims
