import math
from collections import defaultdict
from dataclasses import fields, is_dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.metrics.facts import InteractionFact
from trustdesk.core.metrics.reference import metrics_from_facts
from trustdesk.core.metrics.repeat_contacts import mark_repeat_contacts, register_contact
from trustdesk.core.metrics.rollup import (
    EMPTY_COUNTS,
    Dimension,
    RollupCounts,
    counts_delta_for_reclassification,
    counts_for_interaction,
    merge_counts,
    metrics_by,
    metrics_from_counts,
    rollup_changes,
    rollup_facts,
    rollup_key_of,
    split_into_weeks,
    week_of,
)
from trustdesk.core.metrics.workforce_health import WorkforceHealth

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def fact(interaction_id, **overrides):
    values = {
        "interaction_id": interaction_id,
        "customer_id": f"cust-{interaction_id}",
        "case_id": None,
        "started_at": T0,
        "day": T0.date(),
        "brand": "acme",
        "vendor": "manila-bpo",
        "team": "team-a",
        "agent": "agent-1",
        "channel": "voice",
        "language": "en",
        "purpose": "billing",
    }
    values.update(overrides)
    return InteractionFact(**values)


# Four hand-checked interactions; the expected figures below are worked out in the comments.
HAND_FACTS = (
    fact(
        "f1",
        handle_seconds=300,
        csat=5,
        nps=10,
        first_response_met=True,
        resolution_met=True,
        qa_score=90,
        compliance_passed=True,
        sentiment_change=0.5,
        has_repeat_within_window=True,
    ),
    fact(
        "f2",
        handle_seconds=600,
        csat=2,
        nps=3,
        first_response_met=False,
        qa_score=70,
        compliance_passed=False,
        critical_fails=1,
        sentiment_change=-0.25,
        is_repeat_contact=True,
        is_escalated=True,
    ),
    fact(
        "f3",
        agent="agent-2",
        nps=7,
        first_response_met=True,
        qa_score=80,
        compliance_passed=True,
        is_transferred=True,
    ),
    fact("f4", agent="agent-2", handle_seconds=900, csat=4, channel="chat"),
)


def test_metrics_of_the_hand_checked_vendor():
    [row] = metrics_by(rollup_facts(HAND_FACTS).items(), by=Dimension.VENDOR)
    assert row.group == "manila-bpo"
    assert row.interactions == 4
    assert row.fcr == pytest.approx(2 / 3)  # first contacts f1, f3, f4; f1 came back
    assert row.aht_seconds == pytest.approx(600.0)  # (300 + 600 + 900) / 3, f3 has no handle time
    assert row.csat == pytest.approx(2 / 3)  # answers 5, 2, 4
    assert row.nps == pytest.approx(0.0)  # 10 promoter, 3 detractor, 7 passive
    assert row.sla_adherence == pytest.approx(0.75)  # clocks: met, met, missed, met
    assert row.first_response_adherence == pytest.approx(2 / 3)
    assert row.resolution_adherence == pytest.approx(1.0)
    assert (row.escalation_rate, row.transfer_rate, row.repeat_contact_rate) == (0.25, 0.25, 0.25)
    assert row.qa_score == pytest.approx(80.0)
    assert row.qa_score_spread == pytest.approx(math.sqrt(200 / 3))
    assert row.agent_consistency == pytest.approx(0.0)  # both agents average 80
    assert row.compliance_pass_rate == pytest.approx(2 / 3)
    assert (row.critical_fails, row.critical_fail_rate) == (1, pytest.approx(1 / 3))
    assert row.sentiment_change == pytest.approx(0.125)
    # outcome mean(66.67, 50, 66.67) = 61.11; conduct (2 * 66.67 + 66.67) / 3 = 66.67; no workforce data:
    # (0.5 * 61.11 + 0.35 * 66.67) / 0.85
    assert row.cem_score == pytest.approx((0.5 * 550 / 9 + 0.35 * 200 / 3) / 0.85)
    assert row.cem.notes == ("workforce_health: no data; its weight 0.15 is shared among the other pillars",)


def test_metrics_by_agent_keep_a_real_zero_apart_from_no_data():
    first, second = metrics_by(rollup_facts(HAND_FACTS).items(), by=Dimension.AGENT)
    assert (first.group, first.fcr) == ("agent-1", 0.0)  # its one first contact came back
    assert (second.group, second.fcr) == ("agent-2", 1.0)
    assert first.agent_consistency is None  # one agent has no spread


def test_a_group_with_no_survey_has_null_csat_and_nps():
    [row] = metrics_by(rollup_facts([fact("x", handle_seconds=60)]).items(), by=Dimension.CHANNEL)
    assert (row.csat, row.nps, row.qa_score, row.sla_adherence, row.compliance_pass_rate) == (None,) * 5
    assert row.escalation_rate == 0.0
    # Only FCR has data, so the composite rests on it alone and says so.
    assert row.cem_score == 100.0
    assert [note.split(":")[0] for note in row.cem.notes] == [
        "customer_outcome",
        "conduct",
        "workforce_health",
    ]


def test_groups_by_day_as_iso_dates():
    late = fact("y", day=date(2026, 10, 2))
    assert [row.group for row in metrics_by(rollup_facts([late, fact("x")]).items(), by=Dimension.DAY)] == [
        "2026-10-01",
        "2026-10-02",
    ]


def test_workforce_health_enters_the_cem_of_its_group():
    rows = rollup_facts(HAND_FACTS).items()
    [without] = metrics_by(rows, by=Dimension.VENDOR)
    [with_health] = metrics_by(
        rows, by=Dimension.VENDOR, workforce={"manila-bpo": WorkforceHealth(healthy_occupancy=1.0, enps=100.0)}
    )
    assert with_health.cem_score == pytest.approx(0.5 * 550 / 9 + 0.35 * 200 / 3 + 0.15 * 100)
    assert with_health.cem_score > without.cem_score
    assert with_health.cem.notes == ()


def test_counts_add_and_subtract_field_by_field():
    one = counts_for_interaction(HAND_FACTS[0])
    two = counts_for_interaction(HAND_FACTS[1])
    total = one + two
    assert (total.interactions, total.nps_promoters, total.nps_detractors, total.qa_score_sq_sum) == (
        2,
        1,
        1,
        90**2 + 70**2,
    )
    assert total - two == one
    assert merge_counts([]) == EMPTY_COUNTS
    assert (one - one).is_zero()


@pytest.mark.parametrize("name", [field.name for field in fields(RollupCounts)])
def test_a_delta_is_zero_only_when_every_field_is(name):
    assert not replace(EMPTY_COUNTS, **{name: -1}).is_zero()
    assert not replace(EMPTY_COUNTS, **{name: 0.25}).is_zero()
    assert replace(EMPTY_COUNTS, **{name: -0.0}).is_zero()


def test_a_later_survey_is_a_delta_on_the_same_row():
    stored = fact("s", handle_seconds=120)
    answered = replace(stored, csat=5, nps=9)
    delta = counts_delta_for_reclassification(stored, answered)
    assert (delta.interactions, delta.csat_answers, delta.csat_positive, delta.nps_promoters) == (0, 1, 1, 1)
    assert rollup_changes(stored, answered) == ((rollup_key_of(stored), delta),)


def test_a_repeat_makes_the_earlier_contact_lose_its_fcr():
    stored = fact("a")
    delta = counts_delta_for_reclassification(stored, replace(stored, has_repeat_within_window=True))
    assert delta == RollupCounts(fcr_resolved_first_contact=-1)


def test_a_changed_key_is_two_deltas():
    stored = fact("a", qa_score=80)
    moved = replace(stored, agent="agent-9")
    with pytest.raises(ValueError, match="moved rollup rows"):
        counts_delta_for_reclassification(stored, moved)
    (old_key, removal), (new_key, addition) = rollup_changes(stored, moved)
    assert (old_key.agent, removal.interactions, removal.qa_score_sum) == ("agent-1", -1, -80)
    assert (new_key.agent, addition.interactions) == ("agent-9", 1)


def test_insert_delete_and_no_change():
    stored = fact("a")
    assert rollup_changes(None, stored) == ((rollup_key_of(stored), counts_for_interaction(stored)),)
    assert rollup_changes(stored, None)[0][1].interactions == -1
    assert rollup_changes(stored, stored) == ()


def _assert_rows_close(left, right, path="row"):
    if is_dataclass(left):
        assert type(left) is type(right), path
        for field in fields(left):
            _assert_rows_close(getattr(left, field.name), getattr(right, field.name), f"{path}.{field.name}")
    elif isinstance(left, tuple):
        assert len(left) == len(right), path
        for index, (a, b) in enumerate(zip(left, right)):
            _assert_rows_close(a, b, f"{path}[{index}]")
    elif isinstance(left, float) and isinstance(right, float):
        # Spreads come from sums of squares: near zero the square root magnifies rounding to ~1e-6.
        assert math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-5), (path, left, right)
    else:
        assert left == right, (path, left, right)


def optional(strategy):
    return st.none() | strategy


facts_strategy = st.lists(
    st.builds(
        dict,
        customer=st.sampled_from(["c1", "c2", "c3"]),
        case=st.sampled_from(["k1", "k2", None]),
        hours=st.integers(min_value=0, max_value=20 * 24),
        vendor=st.sampled_from(["manila-bpo", "lisbon-cx"]),
        team=st.sampled_from(["t1", "t2"]),
        agent=st.sampled_from(["a1", "a2", "a3"]),
        channel=st.sampled_from(["voice", "chat"]),
        language=st.sampled_from(["en", "es"]),
        purpose=st.sampled_from(["billing", "delivery"]),
        handle_seconds=optional(st.floats(min_value=0, max_value=7200, allow_nan=False)),
        csat=optional(st.integers(min_value=1, max_value=5)),
        nps=optional(st.integers(min_value=0, max_value=10)),
        is_escalated=st.booleans(),
        is_transferred=st.booleans(),
        first_response_met=optional(st.booleans()),
        resolution_met=optional(st.booleans()),
        qa_score=optional(st.floats(min_value=0, max_value=100, allow_nan=False)),
        compliance_passed=optional(st.booleans()),
        critical_fails=st.integers(min_value=0, max_value=2),
        sentiment_change=optional(st.floats(min_value=-2, max_value=2, allow_nan=False)),
    ),
    max_size=40,
)


def _facts_from(rows):
    facts = []
    for n, row in enumerate(rows):
        started_at = T0 + timedelta(hours=row.pop("hours"))
        critical_fails = row.pop("critical_fails") if row["qa_score"] is not None else 0
        facts.append(
            fact(
                f"i{n:03d}",
                customer_id=row.pop("customer"),
                case_id=row.pop("case"),
                started_at=started_at,
                day=started_at.date(),
                critical_fails=critical_fails,
                **{k: v for k, v in row.items() if k != "critical_fails"},
            )
        )
    return mark_repeat_contacts(facts)


@settings(max_examples=100, deadline=None)
@given(facts_strategy, st.sampled_from(list(Dimension)))
def test_summed_rollups_equal_the_brute_force_metrics(rows, by):
    facts = _facts_from(rows)
    health = {"manila-bpo": WorkforceHealth(healthy_occupancy=0.7, enps=-20.0)}
    from_rollups = metrics_by(rollup_facts(facts).items(), by=by, workforce=health)
    brute_force = metrics_from_facts(facts, by=by, workforce=health)
    _assert_rows_close(from_rollups, brute_force)


@settings(max_examples=100, deadline=None)
@given(facts_strategy, st.randoms(use_true_random=False))
def test_incremental_deltas_in_any_arrival_order_equal_a_rebuild(rows, rng):
    facts = list(_facts_from(rows))
    arrival = list(facts)
    rng.shuffle(arrival)
    table: dict = defaultdict(lambda: EMPTY_COUNTS)
    stored: dict[str, InteractionFact] = {}
    for new in arrival:
        # Arriving without its repeat flags, as ingest would see it.
        registration = register_contact(
            replace(new, is_repeat_contact=False, has_repeat_within_window=False), stored.values()
        )
        changes = [(c.old, c.new) for c in registration.reclassified] + [(None, registration.fact)]
        for old, changed in changes:
            for key, delta in rollup_changes(old, changed):
                table[key] = table[key] + delta
            stored[changed.interaction_id] = changed
    rebuilt = rollup_facts(facts)
    assert set(table) == set(rebuilt)
    for key, counts in rebuilt.items():
        _assert_rows_close(table[key], counts, path=str(key))


def test_metrics_from_counts_without_agents_has_no_consistency():
    row = metrics_from_counts(merge_counts(map(counts_for_interaction, HAND_FACTS)), group="all")
    assert row.agent_consistency is None
    assert row.qa_score == pytest.approx(80.0)


def test_a_week_is_keyed_by_its_monday():
    assert week_of(date(2026, 9, 7)) == date(2026, 9, 7)  # a Monday
    assert week_of(date(2026, 9, 13)) == date(2026, 9, 7)  # the Sunday after
    assert week_of(date(2026, 9, 14)) == date(2026, 9, 14)


def test_a_period_is_its_whole_weeks_and_the_days_around_them():
    # Thursday 3 September to Sunday 1 November 2026: four days, then eight whole weeks.
    parts = split_into_weeks(date(2026, 9, 3), date(2026, 11, 1))
    assert parts.weeks == (date(2026, 9, 7), date(2026, 10, 26))
    assert parts.days == ((date(2026, 9, 3), date(2026, 9, 6)),)
    # Wednesday to Tuesday two weeks later: days on both sides of one whole week.
    parts = split_into_weeks(date(2026, 9, 2), date(2026, 9, 15))
    assert parts.weeks == (date(2026, 9, 7), date(2026, 9, 7))
    assert parts.days == ((date(2026, 9, 2), date(2026, 9, 6)), (date(2026, 9, 14), date(2026, 9, 15)))
    # Tuesday to Sunday holds no whole week.
    assert split_into_weeks(date(2026, 9, 8), date(2026, 9, 13)).weeks is None


@given(start=st.dates(date(2025, 1, 1), date(2027, 12, 31)), length=st.integers(1, 120))
def test_the_parts_of_a_period_cover_each_of_its_days_once(start, length):
    end = start + timedelta(days=length - 1)
    parts = split_into_weeks(start, end)
    covered = [first + timedelta(days=offset) for first, last in parts.days for offset in range((last - first).days + 1)]
    if parts.weeks is not None:
        first_monday, last_monday = parts.weeks
        assert first_monday.weekday() == 0 and last_monday.weekday() == 0
        covered += [first_monday + timedelta(days=offset) for offset in range((last_monday - first_monday).days + 7)]
    assert sorted(covered) == [start + timedelta(days=offset) for offset in range(length)]
    # At most six days on either side of the weeks, and no whole week left out of them.
    if parts.weeks is not None:
        assert all((last - first).days < 6 for first, last in parts.days)
    else:
        assert length < 13 and not any(day.weekday() == 0 and day + timedelta(days=6) <= end for day in covered)
