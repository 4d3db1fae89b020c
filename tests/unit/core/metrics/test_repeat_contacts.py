from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.metrics.facts import InteractionFact
from trustdesk.core.metrics.repeat_contacts import (
    is_same_issue,
    mark_repeat_contacts,
    reclassify_contacts,
    register_contact,
)

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def contact(interaction_id, *, hours, customer="cust-1", case="case-1", purpose="billing", brand="acme"):
    started_at = T0 + timedelta(hours=hours)
    return InteractionFact(
        interaction_id=interaction_id,
        customer_id=customer,
        case_id=case,
        started_at=started_at,
        day=started_at.date(),
        brand=brand,
        vendor="manila-bpo",
        team="team-a",
        agent="agent-7",
        channel="voice",
        language="en",
        purpose=purpose,
    )


def flags(facts):
    return [(f.interaction_id, f.is_repeat_contact, f.has_repeat_within_window) for f in facts]


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        # Back after 2 days on the same case: the first was not resolved, the second is a repeat.
        ([contact("a", hours=0), contact("b", hours=48)], [("a", False, True), ("b", True, False)]),
        # Exactly 7 days later still counts; the window is inclusive.
        ([contact("a", hours=0), contact("b", hours=168)], [("a", False, True), ("b", True, False)]),
        # One hour past the window: two separate first contacts, both resolved.
        ([contact("a", hours=0), contact("b", hours=169)], [("a", False, False), ("b", False, False)]),
        # Another case but the same purpose is the same issue.
        (
            [contact("a", hours=0), contact("b", hours=5, case="case-2")],
            [("a", False, True), ("b", True, False)],
        ),
        # Another case and another purpose is a new issue.
        (
            [contact("a", hours=0), contact("b", hours=5, case="case-2", purpose="delivery")],
            [("a", False, False), ("b", False, False)],
        ),
        # Same case, purpose re-labelled: still the same issue.
        (
            [contact("a", hours=0), contact("b", hours=5, purpose="refund")],
            [("a", False, True), ("b", True, False)],
        ),
        # Another customer never makes a repeat.
        (
            [contact("a", hours=0), contact("b", hours=5, customer="cust-2")],
            [("a", False, False), ("b", False, False)],
        ),
        # The same customer key in another brand is another person.
        (
            [contact("a", hours=0), contact("b", hours=5, brand="other")],
            [("a", False, False), ("b", False, False)],
        ),
        # A chain: b repeats a, c repeats b (10 days after a but 5 after b).
        (
            [contact("a", hours=0), contact("b", hours=120), contact("c", hours=240)],
            [("a", False, True), ("b", True, True), ("c", True, False)],
        ),
        # Input order does not matter and is kept in the output.
        ([contact("b", hours=48), contact("a", hours=0)], [("b", True, False), ("a", False, True)]),
    ],
)
def test_mark_repeat_contacts(contacts, expected):
    assert flags(mark_repeat_contacts(contacts)) == expected


def test_window_is_configurable():
    contacts = [contact("a", hours=0), contact("b", hours=72)]
    assert flags(mark_repeat_contacts(contacts, window_days=2)) == [("a", False, False), ("b", False, False)]
    assert flags(mark_repeat_contacts(contacts, window_days=3)) == [("a", False, True), ("b", True, False)]


def test_same_start_time_is_ordered_by_interaction_id():
    contacts = [contact("z", hours=0), contact("m", hours=0)]
    assert flags(mark_repeat_contacts(contacts)) == [("z", True, False), ("m", False, True)]


def test_missing_case_matches_on_purpose_only():
    no_case = contact("a", hours=0, case=None)
    other_purpose = contact("b", hours=1, case=None, purpose="delivery")
    assert not is_same_issue(no_case, other_purpose)
    assert is_same_issue(no_case, contact("c", hours=1, case=None))


def test_window_must_be_positive():
    with pytest.raises(ValueError, match="window_days"):
        mark_repeat_contacts([contact("a", hours=0)], window_days=0)


def test_register_contact_reclassifies_the_earlier_contact():
    [first] = mark_repeat_contacts([contact("a", hours=0)])
    registration = register_contact(contact("b", hours=30), [first])
    assert (registration.fact.is_repeat_contact, registration.fact.has_repeat_within_window) == (True, False)
    [change] = registration.reclassified
    assert change.old == first
    assert change.new == replace(first, has_repeat_within_window=True)


def test_register_contact_arriving_late_makes_a_stored_later_contact_a_repeat():
    [later] = mark_repeat_contacts([contact("b", hours=30)])
    registration = register_contact(contact("a", hours=0), [later])
    assert registration.fact.has_repeat_within_window
    assert [c.new.is_repeat_contact for c in registration.reclassified] == [True]


def test_register_contact_outside_the_window_changes_nothing():
    [first] = mark_repeat_contacts([contact("a", hours=0)])
    registration = register_contact(contact("b", hours=400), [first])
    assert registration.reclassified == ()
    assert not registration.fact.is_repeat_contact


def test_register_contact_refuses_a_duplicate_id():
    with pytest.raises(ValueError, match="already stored"):
        register_contact(contact("a", hours=1), [contact("a", hours=0)])


def test_reclassify_contacts_after_a_purpose_correction():
    stored = mark_repeat_contacts([contact("a", hours=0), contact("b", hours=5, case="case-2")])
    corrected = (stored[0], replace(stored[1], purpose="delivery"))
    changes = reclassify_contacts(corrected)
    assert [
        (c.new.interaction_id, c.new.is_repeat_contact, c.new.has_repeat_within_window) for c in changes
    ] == [
        ("a", False, False),
        ("b", False, False),
    ]


contacts_strategy = st.lists(
    st.tuples(
        st.sampled_from(["cust-1", "cust-2"]),
        st.sampled_from(["case-1", "case-2", None]),
        st.sampled_from(["billing", "delivery"]),
        st.integers(min_value=0, max_value=30 * 24),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(contacts_strategy, st.randoms(use_true_random=False), st.sampled_from([1, 3, 7]))
def test_registering_in_any_order_equals_marking_all_at_once(rows, rng, window_days):
    facts = [
        contact(f"i{n:03d}", hours=hours, customer=customer, case=case, purpose=purpose)
        for n, (customer, case, purpose, hours) in enumerate(rows)
    ]
    arrival = list(facts)
    rng.shuffle(arrival)
    stored: dict[str, InteractionFact] = {}
    for fact in arrival:
        registration = register_contact(fact, stored.values(), window_days=window_days)
        for change in registration.reclassified:
            assert stored[change.old.interaction_id] == change.old
            stored[change.new.interaction_id] = change.new
        stored[fact.interaction_id] = registration.fact
    expected = mark_repeat_contacts(facts, window_days=window_days)
    assert [stored[f.interaction_id] for f in facts] == list(expected)
