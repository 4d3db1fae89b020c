"""Consent ledger fold, defaults from the policy, and the offshore-transfer rule."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustdesk.core.privacy.consent import (
    ConsentDecision,
    ConsentDefaults,
    ConsentEvent,
    ConsentPurpose,
    allows,
    allows_staff_country,
    current_consents,
)

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)
OPT_IN = ConsentDefaults({purpose: False for purpose in ConsentPurpose})
OPT_OUT = ConsentDefaults({purpose: True for purpose in ConsentPurpose})


def event(
    purpose: ConsentPurpose, decision: ConsentDecision, minutes: int, *, sequence: int = 0
) -> ConsentEvent:
    return ConsentEvent(
        customer="cust-9", purpose=purpose, decision=decision, at=T0 + timedelta(minutes=minutes),
        channel="voice", wording="May we use this call to improve our service?", sequence=sequence,
    )


GRANT, WITHDRAW = ConsentDecision.GRANTED, ConsentDecision.WITHDRAWN
QA = ConsentPurpose.QUALITY_ANALYTICS
MARKETING = ConsentPurpose.MARKETING


@pytest.mark.parametrize(
    ("events", "defaults", "expected"),
    [
        ([], OPT_IN, False),
        ([], OPT_OUT, True),
        ([event(QA, GRANT, 0)], OPT_IN, True),
        ([event(QA, GRANT, 0), event(QA, WITHDRAW, 5)], OPT_IN, False),
        ([event(QA, WITHDRAW, 5), event(QA, GRANT, 0)], OPT_IN, False),
        ([event(QA, WITHDRAW, 0), event(QA, GRANT, 5)], OPT_IN, True),
        ([event(QA, WITHDRAW, 0)], OPT_OUT, False),
        ([event(QA, GRANT, 0, sequence=2), event(QA, WITHDRAW, 0, sequence=1)], OPT_IN, True),
        ([event(QA, GRANT, 0, sequence=1), event(QA, WITHDRAW, 0, sequence=1)], OPT_IN, False),
        ([event(ConsentPurpose.MARKETING, GRANT, 0)], OPT_IN, False),
    ],
)
def test_allows_folds_latest_decision_then_defaults(events, defaults, expected) -> None:
    assert allows(current_consents(events), QA, defaults=defaults) is expected


def test_state_keeps_the_deciding_event_with_its_wording() -> None:
    state = current_consents([event(QA, GRANT, 0), event(QA, WITHDRAW, 3)])
    assert state.latest[QA].at == T0 + timedelta(minutes=3)
    assert state.decision_for(ConsentPurpose.MARKETING) is None


def test_events_of_two_customers_are_refused() -> None:
    other = ConsentEvent(customer="cust-10", purpose=QA, decision=GRANT, at=T0, channel="web", wording="…")
    with pytest.raises(ValueError, match="cust-9.*cust-10"):
        current_consents([event(QA, GRANT, 0), other])


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ConsentEvent(customer="c", purpose=QA, decision=GRANT, at=datetime(2026, 1, 1), channel="web",
                     wording="")


def test_defaults_must_cover_every_purpose() -> None:
    with pytest.raises(ValueError, match="marketing"):
        ConsentDefaults({purpose: True for purpose in ConsentPurpose if purpose is not MARKETING})


events_with_distinct_times = st.lists(
    st.tuples(st.sampled_from(list(ConsentPurpose)), st.sampled_from(list(ConsentDecision))),
    max_size=20,
).map(lambda pairs: [event(purpose, decision, minutes) for minutes, (purpose, decision) in enumerate(pairs)])


@given(events=events_with_distinct_times, data=st.data())
def test_fold_does_not_depend_on_arrival_order(events: list[ConsentEvent], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(events))
    assert current_consents(shuffled) == current_consents(events)
    for purpose in ConsentPurpose:
        stated = [item for item in events if item.purpose is purpose]
        expected = stated[-1].decision is GRANT if stated else False
        assert allows(current_consents(shuffled), purpose, defaults=OPT_IN) is expected


@pytest.mark.parametrize(
    ("events", "staff", "customer", "residency", "expected"),
    [
        ([], "PH", "DE", (), False),
        ([], "DE", "DE", (), True),
        ([], "de", "DE", (), True),
        ([], "DE", None, (), False),
        ([event(ConsentPurpose.OFFSHORE_TRANSFER, GRANT, 0)], "PH", "DE", (), True),
        ([event(ConsentPurpose.OFFSHORE_TRANSFER, GRANT, 0)], "PH", "DE", ("DE", "AT"), False),
        ([event(ConsentPurpose.OFFSHORE_TRANSFER, GRANT, 0)], "AT", "DE", ("DE", "AT"), True),
        ([], "DE", "DE", ("AT",), False),
    ],
)
def test_staff_country_follows_residency_then_offshore_consent(
    events, staff, customer, residency, expected
) -> None:
    state = current_consents(events)
    assert allows_staff_country(state, staff_country=staff, customer_country=customer,
                                allowed_countries=residency, defaults=OPT_IN) is expected
