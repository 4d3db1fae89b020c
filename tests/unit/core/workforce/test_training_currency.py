from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trustdesk.core.workforce.training import (
    CourseStanding,
    TrainingCurrency,
    TrainingRecord,
    course_standing,
    is_training_current,
    list_expiring,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
PRIVACY = TrainingRecord("agent-7", "privacy", NOW - timedelta(days=300), NOW + timedelta(days=65))


@pytest.mark.parametrize(
    ("records", "course", "at", "current"),
    [
        ([PRIVACY], "privacy", NOW, True),
        ([PRIVACY], "ethics", NOW, False),
        ([PRIVACY], "privacy", PRIVACY.expires_at, False),
        ([PRIVACY], "privacy", PRIVACY.completed_at - timedelta(seconds=1), False),
        ([TrainingRecord("agent-7", "product", NOW - timedelta(days=900))], "product", NOW, True),
        ([], "privacy", NOW, False),
    ],
)
def test_is_training_current(records, course, at, current):
    assert is_training_current(records, course, at) is current


def test_renewal_after_expiry_restores_currency():
    renewed = TrainingRecord("agent-7", "privacy", NOW + timedelta(days=70), NOW + timedelta(days=435))
    assert not is_training_current([PRIVACY, renewed], "privacy", NOW + timedelta(days=66))
    assert is_training_current([PRIVACY, renewed], "privacy", NOW + timedelta(days=71))


def test_list_expiring_soonest_first():
    ethics = TrainingRecord("agent-8", "ethics", NOW - timedelta(days=10), NOW + timedelta(days=20))
    lapsed = TrainingRecord("agent-9", "ethics", NOW - timedelta(days=400), NOW - timedelta(days=1))
    assert list_expiring([PRIVACY, ethics, lapsed], at=NOW, within=timedelta(days=90)) == (ethics, PRIVACY)
    assert list_expiring([PRIVACY, ethics], at=NOW, within=timedelta(days=30)) == (ethics,)


WARNING = timedelta(days=30)


def standing(records, at=NOW):
    return course_standing(records, "privacy", at=at, expiring_within=WARNING)


def test_course_standing_is_current_expiring_expired_or_missing():
    assert standing([PRIVACY]) == CourseStanding(TrainingCurrency.CURRENT, PRIVACY.expires_at)
    assert standing([PRIVACY], at=PRIVACY.expires_at - timedelta(days=29)).currency is TrainingCurrency.EXPIRING
    assert standing([PRIVACY], at=PRIVACY.expires_at).currency is TrainingCurrency.EXPIRED
    assert standing([]).currency is TrainingCurrency.MISSING
    # a record completed only after ``at`` does not count yet
    assert standing([PRIVACY], at=PRIVACY.completed_at - timedelta(days=1)).currency is TrainingCurrency.MISSING
    assert standing([TrainingRecord("agent-7", "ethics", NOW - timedelta(days=1))]).currency is TrainingCurrency.MISSING


def test_a_refresher_already_taken_keeps_an_expiring_record_current():
    expiring = TrainingRecord("agent-7", "privacy", NOW - timedelta(days=350), NOW + timedelta(days=15))
    refresher = TrainingRecord("agent-7", "privacy", NOW - timedelta(days=2), NOW + timedelta(days=363))
    assert standing([expiring]).currency is TrainingCurrency.EXPIRING
    assert standing([expiring, refresher]) == CourseStanding(TrainingCurrency.CURRENT, refresher.expires_at)
    lifelong = TrainingRecord("agent-7", "privacy", NOW - timedelta(days=2))
    assert standing([expiring, lifelong]) == CourseStanding(TrainingCurrency.CURRENT, None)
