"""Rollups maintained incrementally at ingest equal a brute-force computation over the raw rows.

Random interactions of a few customers, cases, agents and vendors are ingested in random order and in
random batches (out-of-order arrivals reclassify earlier contacts); some surveys are answered days later
through their survey link and some QA results are overridden by a reviewer; cases carry SLA clocks from
a contract or from the vendor registry's targets. Then metrics read from the rollup table must equal
``core.metrics.reference.metrics_from_facts`` over facts rebuilt from the stored rows, along every
dimension, on SQLite and PostgreSQL.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import fields
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from tests.factories import NOW, interaction
from tests.integration.quality_support import grant_quality_analytics
from trustdesk.contracts.interaction import InteractionIn
from trustdesk.core.metrics.reference import metrics_from_facts
from trustdesk.core.metrics.rollup import (
    COUNT_COLUMNS,
    EMPTY_COUNTS,
    Dimension,
    MetricsRow,
    RollupCounts,
    counts_for_interaction,
    week_of,
)
from trustdesk.core.model import CaseStatus, Priority, Role
from trustdesk.core.quality.results import Outcome
from trustdesk.services.case_status import change_case_status
from trustdesk.services.escalation_runs import escalate_open_cases
from trustdesk.services.feedback import answer_survey, issue_survey_link
from trustdesk.services.ingest import create_brand, ingest_interactions
from trustdesk.services.metrics import MetricsQuery, query_metrics
from trustdesk.services.metrics_rollups import read_interaction_facts, set_repeat_contact_window
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.services.quality_review import Override, submit_review
from trustdesk.services.scope import Viewer
from trustdesk.services.sla import save_sla_contract
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import vendor_registrations, vendor_sla_targets
from trustdesk.storage.metrics_tables import agent_week_rollups

ADMIN = Viewer(user_id=0, username="check", role=Role.ADMIN, brand_id=None, vendor_id=None)
START = datetime(2026, 9, 1, 8, 0, tzinfo=timezone.utc)
STEPS = default_ingest_steps()
# Each case belongs to one customer and has one purpose, as in real data.
CASES = [("case-a", "cust-1", "billing"), ("case-b", "cust-1", "billing"), ("case-c", "cust-1", "refund"),
         ("case-d", "cust-2", "refund"), ("case-e", "cust-3", "billing")]
AGENTS = [("agent-1", "manila-bpo"), ("agent-2", "manila-bpo"), ("agent-3", "pune-cx")]
TURNS = [
    [{"speaker": "agent", "text": "Thank you for calling Acme, this call may be recorded.", "offset_seconds": 0.0},
     {"speaker": "customer", "text": "I was charged twice.", "offset_seconds": 5.0},
     {"speaker": "agent", "text": "I'm sorry, I have refunded the duplicate charge.", "offset_seconds": 20.0}],
    [{"speaker": "agent", "text": "Hello.", "offset_seconds": 0.0},
     {"speaker": "customer", "text": "This is useless, I want a refund.", "offset_seconds": 4.0}],
    # Two customer turns: the sentiment criterion measures start and end.
    [{"speaker": "customer", "text": "Hi, my parcel never arrived and I am really upset.", "offset_seconds": 0.0},
     {"speaker": "agent", "text": "I'm sorry about that, I have sent a replacement today.", "offset_seconds": 30.0},
     {"speaker": "customer", "text": "Great, thank you so much, that is perfect!", "offset_seconds": 60.0}],
]
# Answers and reviews arrive days after every contact; by then each SLA clock is decided for good (the
# targets below are either long past or far ahead), so the moment facts are judged at cannot matter.
LATE = NOW + timedelta(days=3)

contact = st.fixed_dictionaries({
    "case": st.integers(0, len(CASES) - 1),
    "agent": st.integers(0, len(AGENTS) - 1),
    "channel": st.sampled_from(["voice", "chat", "email"]),
    "language": st.sampled_from(["en", "es"]),
    # Hours over 16 days: enough contacts fall inside and outside the 7-day window.
    "hour": st.integers(0, 16 * 24),
    "minutes": st.integers(1, 40),
    "status": st.sampled_from(["open", "escalated", "resolved"]),
    "priority": st.sampled_from(["low", "normal", "high"]),
    "survey": st.one_of(st.none(), st.fixed_dictionaries({"csat": st.integers(1, 5), "nps": st.integers(0, 10)})),
    "late_survey": st.booleans(),
    "override": st.booleans(),
    "turns": st.integers(0, len(TURNS) - 1),
})


def _domain(index: int, spec: dict):
    case, customer, purpose = CASES[spec["case"]]
    agent, vendor = AGENTS[spec["agent"]]
    started = START + timedelta(hours=spec["hour"])
    return InteractionIn.model_validate(interaction(
        external_id=f"i-{index}", vendor=vendor, channel=spec["channel"], language=spec["language"],
        started_at=started.isoformat(), ended_at=(started + timedelta(minutes=spec["minutes"])).isoformat(),
        customer={"external_id": customer}, agent={"external_id": agent},
        case={"external_id": case, "purpose": purpose, "status": spec["status"], "priority": spec["priority"]},
        survey=None if spec["late_survey"] else spec["survey"], turns=TURNS[spec["turns"]],
    )).to_domain()


def _assert_rows_equal(actual: tuple[MetricsRow, ...], expected: tuple[MetricsRow, ...]) -> None:
    assert [row.group for row in actual] == [row.group for row in expected]
    for got, want in zip(actual, expected):
        for field in fields(MetricsRow):
            if field.name == "cem":
                continue
            got_value, want_value = getattr(got, field.name), getattr(want, field.name)
            if isinstance(want_value, float) and got_value is not None:
                # Spreads from sums of squares carry rounding (docs/metrics.md).
                assert math.isclose(got_value, want_value, rel_tol=1e-9, abs_tol=1e-5), (got.group, field.name)
            else:
                assert got_value == want_value, (got.group, field.name, got_value, want_value)


def _setup(connection) -> Viewer:
    """manila-bpo has SLA contracts (low: far-off targets, normal: long past); pune-cx only registry targets.
    Customers 1 and 2 allow quality analytics (so they are scored), customer 3 does not."""
    brand_id = create_brand(connection, key="acme", name="Acme", now=NOW)
    vendor_ids = {}
    for vendor in ("manila-bpo", "pune-cx"):
        vendor_ids[vendor] = connection.execute(insert(t.vendors).values(
            key=vendor, name=vendor, is_in_house=False, countries=[], sites=[], created_at=NOW,
        ).returning(t.vendors.c.id)).scalar_one()
    for priority, first_response, resolution in ((Priority.LOW, 200_000, 200_000), (Priority.NORMAL, 1, 60)):
        save_sla_contract(connection, None, brand_id=brand_id, vendor_key="manila-bpo", priority=priority,
                          first_response_minutes=first_response, next_response_minutes=first_response,
                          resolution_minutes=resolution, opens=None, closes=None, now=NOW)
    registration_id = connection.execute(insert(vendor_registrations).values(
        brand_id=brand_id, vendor_id=vendor_ids["pune-cx"], legal_name="Pune CX Pvt Ltd", countries=["IN"], sites=[],
        updated_at=NOW,
    ).returning(vendor_registrations.c.id)).scalar_one()
    connection.execute(insert(vendor_sla_targets).values(
        registration_id=registration_id, priority="high", first_response_minutes=1, resolution_minutes=120))
    for customer in ("cust-1", "cust-2"):
        grant_quality_analytics(connection, "acme", customer)
    reviewer_id = connection.execute(insert(t.users).values(
        username="qa-lead", role=Role.ADMIN.value, active=True, created_at=NOW).returning(t.users.c.id)).scalar_one()
    return Viewer(user_id=reviewer_id, username="qa-lead", role=Role.ADMIN, brand_id=None, vendor_id=None)


def _interaction_id(connection, index: int) -> int:
    return connection.execute(select(t.interactions.c.id).where(t.interactions.c.external_id == f"i-{index}")).scalar_one()


def _answer_late(connection, interaction_id: int, answers: dict) -> None:
    link = issue_survey_link(connection, ADMIN, interaction_id=interaction_id, now=LATE)
    answer_survey(connection, link.token, answers=answers, comment=None, now=LATE)


def _override_first_criterion(connection, reviewer: Viewer, interaction_id: int) -> bool:
    """Flip the first applicable criterion of the stored QA result; False when there is none to flip."""
    criteria = connection.execute(
        select(t.quality_results.c.criteria).where(t.quality_results.c.interaction_id == interaction_id)
    ).scalar_one_or_none()
    applicable = [c for c in criteria or () if c["result"] != Outcome.NOT_APPLICABLE.value]
    if not applicable:
        return False
    flipped = Outcome.FAIL if applicable[0]["result"] == Outcome.PASS.value else Outcome.PASS
    submit_review(connection, reviewer, interaction_id, overrides=[Override(applicable[0]["id"], flipped, "heard it again")],
                  coaching_note=None, now=LATE)
    return True


# Periods that cut through weeks (Tuesday 1 September 2026 is the first contact's day): Thursday to Tuesday
# is days, one whole week, days; Monday to Wednesday is two whole weeks, days; Tuesday to Wednesday has no
# whole week. Vendor, agent and brand figures read whole weeks from the agent-week rollups.
PARTIAL_WEEK_PERIODS = [(date(2026, 9, 3), date(2026, 9, 15)), (date(2026, 8, 31), date(2026, 9, 16)),
                        (date(2026, 9, 1), date(2026, 9, 9))]


def _assert_agent_weeks_equal_brute_force(connection, brand_id: int, facts) -> None:
    """Each agent-week row holds its agent's facts of that week summed, and the days they had contacts."""
    expected: dict[tuple, RollupCounts] = defaultdict(lambda: EMPTY_COUNTS)
    worked_days: dict[tuple, set[date]] = defaultdict(set)
    for fact in facts:
        key = (week_of(fact.day), fact.vendor, fact.agent)
        expected[key] = expected[key] + counts_for_interaction(fact)
        worked_days[key].add(fact.day)
    stored = connection.execute(
        select(agent_week_rollups, t.vendors.c.key.label("vendor"), t.agents.c.external_id.label("agent"))
        .join(t.vendors, t.vendors.c.id == agent_week_rollups.c.vendor_id)
        .join(t.agents, t.agents.c.id == agent_week_rollups.c.agent_id)
        .where(agent_week_rollups.c.brand_id == brand_id)
    ).all()
    assert sorted((row.week, row.vendor, row.agent) for row in stored) == sorted(expected)
    for row in stored:
        key = (row.week, row.vendor, row.agent)
        assert row.days_worked == len(worked_days[key]), key
        for name in COUNT_COLUMNS:
            assert math.isclose(getattr(row, name), getattr(expected[key], name), abs_tol=1e-6), (key, name)


def _assert_rollups_equal_brute_force(connection) -> None:
    brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
    facts = read_interaction_facts(connection, brand_id=brand_id, at=LATE)
    for by in (Dimension.VENDOR, Dimension.AGENT, Dimension.CHANNEL, Dimension.LANGUAGE, Dimension.DAY,
               Dimension.TEAM, Dimension.PURPOSE, Dimension.BRAND):
        query = MetricsQuery(by=by, brand="acme", date_from=date(2026, 8, 1), date_to=date(2026, 10, 31))
        _assert_rows_equal(query_metrics(connection, ADMIN, query), metrics_from_facts(facts, by=by))
    for date_from, date_to in PARTIAL_WEEK_PERIODS:
        in_period = [fact for fact in facts if date_from <= fact.day <= date_to]
        for by in (Dimension.VENDOR, Dimension.AGENT, Dimension.BRAND, Dimension.TEAM):
            query = MetricsQuery(by=by, brand="acme", date_from=date_from, date_to=date_to)
            _assert_rows_equal(query_metrics(connection, ADMIN, query), metrics_from_facts(in_period, by=by))
    _assert_agent_weeks_equal_brute_force(connection, brand_id, facts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contacts=st.lists(contact, min_size=1, max_size=14), data=st.data())
def test_rollups_equal_brute_force_over_raw_rows(engine, contacts, data):
    order = data.draw(st.permutations(range(len(contacts))), label="arrival order")
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(contacts) - 1)), max_size=len(contacts)), label="batch cuts"))
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            reviewer = _setup(connection)
            arriving = [(_domain(index, contacts[index])) for index in order]
            for start, end in zip([0, *cuts], [*cuts, len(arriving)]):
                if arriving[start:end]:
                    ingest_interactions(connection, arriving[start:end], steps=STEPS, now=NOW, may_create_brands=True)
            for index, spec in enumerate(contacts):
                if spec["late_survey"] and spec["survey"] is not None:
                    _answer_late(connection, _interaction_id(connection, index), spec["survey"])
                if spec["override"]:
                    _override_first_criterion(connection, reviewer, _interaction_id(connection, index))
            _assert_rollups_equal_brute_force(connection)
        finally:
            transaction.rollback()


def test_late_answers_and_overrides_change_the_interactions_own_day(engine):
    """A survey answered three days later and a QA override move the figures of the contact's day only."""
    specs = [
        {"case": 0, "agent": 0, "channel": "voice", "language": "en", "hour": 2, "minutes": 5, "status": "resolved",
         "priority": "normal", "survey": None, "late_survey": False, "override": False, "turns": 2},
        {"case": 3, "agent": 2, "channel": "chat", "language": "en", "hour": 30, "minutes": 5, "status": "resolved",
         "priority": "high", "survey": None, "late_survey": False, "override": False, "turns": 0},
    ]
    by_day = MetricsQuery(by=Dimension.DAY, brand="acme", date_from=date(2026, 8, 1), date_to=date(2026, 10, 31))
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            reviewer = _setup(connection)
            ingest_interactions(connection, [_domain(i, spec) for i, spec in enumerate(specs)], steps=STEPS, now=NOW,
                                may_create_brands=True)
            before = {row.group: row for row in query_metrics(connection, ADMIN, by_day)}
            _answer_late(connection, _interaction_id(connection, 0), {"csat": 5, "nps": 3})
            assert _override_first_criterion(connection, reviewer, _interaction_id(connection, 1))
            after = {row.group: row for row in query_metrics(connection, ADMIN, by_day)}
            first_day, second_day = "2026-09-01", "2026-09-02"
            assert (before[first_day].csat, after[first_day].csat) == (None, 1.0)
            assert (before[first_day].nps, after[first_day].nps) == (None, -100.0)
            assert after[second_day].qa_score != before[second_day].qa_score
            assert after[second_day].csat is None
            # SLA clocks and sentiment are measured, not null: manila-bpo's normal contract and pune-cx's registry.
            assert after[first_day].sla_adherence is not None and after[second_day].sla_adherence is not None
            assert after[first_day].sentiment_change is not None and after[first_day].sentiment_change > 0
            _assert_rollups_equal_brute_force(connection)
        finally:
            transaction.rollback()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contacts=st.lists(contact, min_size=2, max_size=10), window_days=st.sampled_from([1, 3, 12]))
def test_a_brands_repeat_contact_window_drives_fcr(engine, contacts, window_days):
    """A non-default window, set before or after the contacts arrive, gives the brute force of that window."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            _setup(connection)
            brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
            half = len(contacts) // 2
            ingest_interactions(connection, [_domain(i, spec) for i, spec in enumerate(contacts[:half])], steps=STEPS,
                                now=NOW, may_create_brands=True)
            set_repeat_contact_window(connection, brand_id=brand_id, days=window_days, now=NOW)
            ingest_interactions(connection, [_domain(half + i, spec) for i, spec in enumerate(contacts[half:])],
                                steps=STEPS, now=NOW, may_create_brands=True)
            _assert_rollups_equal_brute_force(connection)
        finally:
            transaction.rollback()


def test_the_window_changes_fcr_and_is_validated(engine):
    """Two billing contacts five days apart: a repeat under the default 7 days, two resolutions under 3."""
    specs = [
        {"case": 0, "agent": 0, "channel": "voice", "language": "en", "hour": hour, "minutes": 5, "status": "resolved",
         "priority": "normal", "survey": None, "late_survey": False, "override": False, "turns": 0}
        for hour in (0, 5 * 24)
    ]
    by_brand = MetricsQuery(by=Dimension.BRAND, brand="acme", date_from=date(2026, 8, 1), date_to=date(2026, 10, 31))
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            _setup(connection)
            brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
            ingest_interactions(connection, [_domain(i, spec) for i, spec in enumerate(specs)], steps=STEPS, now=NOW,
                                may_create_brands=True)
            [default] = query_metrics(connection, ADMIN, by_brand)
            assert (default.fcr, default.repeat_contact_rate) == (0.0, 0.5)
            assert set_repeat_contact_window(connection, brand_id=brand_id, days=3, now=NOW) == 2
            [shorter] = query_metrics(connection, ADMIN, by_brand)
            assert (shorter.fcr, shorter.repeat_contact_rate) == (1.0, 0.0)
            for bad in (0, 91, 2.5, True):
                try:
                    set_repeat_contact_window(connection, brand_id=brand_id, days=bad, now=NOW)
                except ValueError as error:
                    assert "repeat_contact_window_days" in str(error)
                else:
                    raise AssertionError(f"window {bad!r} was accepted")
        finally:
            transaction.rollback()


def test_a_clock_breaching_while_nothing_touches_the_case_is_counted_by_the_escalation_sweep(engine):
    spec = {"case": 0, "agent": 0, "channel": "voice", "language": "en", "hour": 2, "minutes": 5, "status": "open",
            "priority": "normal", "survey": None, "late_survey": False, "override": False, "turns": 2}
    started = START + timedelta(hours=2)
    by_vendor = MetricsQuery(by=Dimension.VENDOR, brand="acme", date_from=date(2026, 8, 1), date_to=date(2026, 10, 31))
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            _setup(connection)
            # stored ten minutes in: the 60-minute resolution clock still runs, first response was met
            ingest_interactions(connection, [_domain(0, spec)], steps=STEPS, now=started + timedelta(minutes=10),
                                may_create_brands=True)
            [before] = query_metrics(connection, ADMIN, by_vendor)
            later = started + timedelta(hours=3)
            swept = escalate_open_cases(connection, at=later, now=later)
            [after] = query_metrics(connection, ADMIN, by_vendor)
            assert swept.facts_updated == 1
            assert (before.sla_adherence, after.sla_adherence) == (1.0, 0.5)  # resolution now missed
            assert escalate_open_cases(connection, at=later, now=later).facts_updated == 0
            _assert_rollups_equal_brute_force(connection)
        finally:
            transaction.rollback()


def test_a_status_set_by_staff_is_counted_in_the_same_transaction(engine):
    spec = {"case": 0, "agent": 0, "channel": "voice", "language": "en", "hour": 2, "minutes": 5, "status": "open",
            "priority": "low", "survey": None, "late_survey": False, "override": False, "turns": 2}
    by_vendor = MetricsQuery(by=Dimension.VENDOR, brand="acme", date_from=date(2026, 8, 1), date_to=date(2026, 10, 31))
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            reviewer = _setup(connection)
            ingest_interactions(connection, [_domain(0, spec)], steps=STEPS, now=NOW, may_create_brands=True)
            [before] = query_metrics(connection, ADMIN, by_vendor)
            case_id = connection.execute(select(t.cases.c.id).where(t.cases.c.external_id == CASES[0][0])).scalar_one()
            change_case_status(connection, reviewer, case_id=case_id, status=CaseStatus.ESCALATED,
                               reason="customer asked for a manager", now=NOW)
            [after] = query_metrics(connection, ADMIN, by_vendor)
            assert (before.escalation_rate, after.escalation_rate) == (0.0, 1.0)
            _assert_rollups_equal_brute_force(connection)
        finally:
            transaction.rollback()
