"""Rollups maintained incrementally at ingest equal a brute-force computation over the raw rows.

Random interactions of a few customers, cases, agents and vendors are ingested in random order and in
random batches (out-of-order arrivals reclassify earlier contacts), some surveys arrive later; then
metrics read from the rollup table must equal ``core.metrics.reference.metrics_from_facts`` over facts
rebuilt from the stored rows, along every dimension, on SQLite and PostgreSQL.
"""
from __future__ import annotations

import math
from dataclasses import fields
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from tests.factories import NOW, interaction
from trustdesk.contracts.interaction import InteractionIn
from trustdesk.core.metrics.reference import metrics_from_facts
from trustdesk.core.metrics.rollup import Dimension, MetricsRow
from trustdesk.core.model import Role
from trustdesk.services.ingest import ingest_interactions
from trustdesk.services.metrics import MetricsQuery, query_metrics
from trustdesk.services.metrics_rollups import read_interaction_facts, update_rollups_for_interactions
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.services.scope import Viewer
from trustdesk.storage import tables as t

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
]

contact = st.fixed_dictionaries({
    "case": st.integers(0, len(CASES) - 1),
    "agent": st.integers(0, len(AGENTS) - 1),
    "channel": st.sampled_from(["voice", "chat", "email"]),
    "language": st.sampled_from(["en", "es"]),
    # Hours over 16 days: enough contacts fall inside and outside the 7-day window.
    "hour": st.integers(0, 16 * 24),
    "minutes": st.integers(1, 40),
    "status": st.sampled_from(["open", "escalated", "resolved"]),
    "survey": st.one_of(st.none(), st.fixed_dictionaries({"csat": st.integers(1, 5), "nps": st.integers(0, 10)})),
    "late_survey": st.booleans(),
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
        case={"external_id": case, "purpose": purpose, "status": spec["status"]},
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
                assert math.isclose(got_value, want_value, rel_tol=1e-9, abs_tol=1e-6), (got.group, field.name)
            else:
                assert got_value == want_value, (got.group, field.name, got_value, want_value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contacts=st.lists(contact, min_size=1, max_size=14), data=st.data())
def test_rollups_equal_brute_force_over_raw_rows(engine, contacts, data):
    order = data.draw(st.permutations(range(len(contacts))), label="arrival order")
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(contacts) - 1)), max_size=len(contacts)), label="batch cuts"))
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            arriving = [(_domain(index, contacts[index])) for index in order]
            for start, end in zip([0, *cuts], [*cuts, len(arriving)]):
                if arriving[start:end]:
                    ingest_interactions(connection, arriving[start:end], steps=STEPS, now=NOW, may_create_brands=True)
            for index, spec in enumerate(contacts):
                if spec["late_survey"] and spec["survey"] is not None:
                    interaction_id = connection.execute(
                        select(t.interactions.c.id).where(t.interactions.c.external_id == f"i-{index}")
                    ).scalar_one()
                    connection.execute(insert(t.surveys).values(interaction_id=interaction_id, answered_at=NOW, **spec["survey"]))
                    update_rollups_for_interactions(connection, [interaction_id])
            brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
            facts = read_interaction_facts(connection, brand_id=brand_id)
            assert len(facts) == len(contacts)
            for by in (Dimension.VENDOR, Dimension.AGENT, Dimension.CHANNEL, Dimension.LANGUAGE, Dimension.DAY,
                       Dimension.TEAM, Dimension.PURPOSE, Dimension.BRAND):
                query = MetricsQuery(by=by, brand="acme", date_from=date(2026, 8, 1), date_to=date(2026, 10, 31))
                _assert_rows_equal(query_metrics(connection, ADMIN, query), metrics_from_facts(facts, by=by))
        finally:
            transaction.rollback()
