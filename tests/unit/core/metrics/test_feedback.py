from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustdesk.core.metrics.feedback import (
    SurveyTokenError,
    add_business_days,
    is_detractor_answer,
    read_unverified_claims,
    sign_survey_token,
    verify_survey_token,
)

KEY = b"k" * 32
NOW = datetime(2026, 10, 15, 12, 0, tzinfo=timezone.utc)  # a Thursday


@pytest.mark.parametrize("csat, nps, expected", [
    (None, 6, True), (None, 7, False), (2, None, True), (3, None, False), (5, 0, True), (1, 10, True),
    (None, None, False), (4, 9, False),
])
def test_detractor_rule(csat, nps, expected):
    assert is_detractor_answer(csat=csat, nps=nps) is expected


@pytest.mark.parametrize("start, days, due", [
    ("2026-10-15T12:00", 2, "2026-10-19T12:00"),  # Thursday + 2 -> Monday
    ("2026-10-16T09:30", 1, "2026-10-19T09:30"),  # Friday + 1 -> Monday
    ("2026-10-17T10:00", 2, "2026-10-21T10:00"),  # Saturday counts from Monday -> Wednesday
    ("2026-10-18T10:00", 0, "2026-10-19T10:00"),  # Sunday, same day -> Monday
    ("2026-10-13T08:00", 0, "2026-10-13T08:00"),
])
def test_business_days_skip_weekends(start, days, due):
    assert add_business_days(_utc(start), days) == _utc(due)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_negative_business_days_are_refused():
    with pytest.raises(ValueError, match="days"):
        add_business_days(NOW, -1)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)), st.integers(0, 40))
def test_business_due_dates_land_on_weekdays_and_never_early(start, days):
    start = start.replace(tzinfo=timezone.utc)
    due = add_business_days(start, days)
    assert due.weekday() < 5 and due >= start
    assert (due - start) <= timedelta(days=days + 2 * (days // 5 + 2))


def test_a_signed_token_verifies_until_it_expires():
    token = sign_survey_token(invitation_id=41, expires_at=NOW + timedelta(days=14), key=KEY)
    claims = verify_survey_token(token, key=KEY, now=NOW)
    assert claims.invitation_id == 41 and claims.expires_at == NOW + timedelta(days=14)
    with pytest.raises(SurveyTokenError) as expired:
        verify_survey_token(token, key=KEY, now=NOW + timedelta(days=14))
    assert expired.value.reason == "expired"


@pytest.mark.parametrize("forge", [
    lambda token: token.replace("41.", "42.", 1),
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
    lambda token: f"41.{int(token.split('.')[1]) + 1}.{token.split('.')[2]}",
])
def test_any_change_to_a_token_breaks_its_signature(forge):
    token = sign_survey_token(invitation_id=41, expires_at=NOW + timedelta(days=1), key=KEY)
    with pytest.raises(SurveyTokenError) as error:
        verify_survey_token(forge(token), key=KEY, now=NOW)
    assert error.value.reason == "tampered"


def test_another_brands_key_does_not_verify_a_token():
    token = sign_survey_token(invitation_id=1, expires_at=NOW + timedelta(days=1), key=KEY)
    with pytest.raises(SurveyTokenError):
        verify_survey_token(token, key=b"other" * 8, now=NOW)


@pytest.mark.parametrize("token", ["", "abc", "1.2", "x.1.sig", "1.y.sig", "1.2."])
def test_malformed_tokens_are_named_as_such(token):
    with pytest.raises(SurveyTokenError) as error:
        read_unverified_claims(token)
    assert error.value.reason == "malformed"
