"""The section-5 wire row built from core MetricsRow values (contracts/metrics.py)."""

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from trustdesk.contracts.metrics import MetricsRowOut
from trustdesk.core.metrics.facts import InteractionFact
from trustdesk.core.metrics.rollup import Dimension, metrics_by, rollup_facts

CONTRACT_FIELDS = [
    "group",
    "interactions",
    "fcr",
    "aht_seconds",
    "csat",
    "nps",
    "sla_adherence",
    "escalation_rate",
    "transfer_rate",
    "repeat_contact_rate",
    "qa_score",
    "compliance_pass_rate",
    "cem_score",
]


def _row(**overrides):
    fact = InteractionFact(
        interaction_id="i1",
        customer_id="c1",
        case_id=None,
        started_at=datetime(2026, 10, 1, tzinfo=UTC),
        day=date(2026, 10, 1),
        brand="acme",
        vendor="manila-bpo",
        team="t",
        agent="a",
        channel="voice",
        language="en",
        purpose="billing",
        **overrides,
    )
    [row] = metrics_by(rollup_facts([fact]).items(), by=Dimension.VENDOR)
    return row


def test_contract_fields_and_nulls():
    payload = MetricsRowOut.from_row(_row(handle_seconds=300.0)).model_dump(mode="json")
    assert list(payload)[: len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
    assert payload["group"] == "manila-bpo"
    assert (payload["csat"], payload["nps"], payload["qa_score"]) == (None, None, None)
    assert payload["aht_seconds"] == 300.0
    assert payload["cem_breakdown"]["pillars"][0]["pillar"] == "customer_outcome"


def test_perfect_row_validates_at_the_upper_bounds():
    row = _row(csat=5, nps=10, qa_score=100.0, compliance_passed=True, first_response_met=True)
    payload = MetricsRowOut.from_row(row).model_dump()
    assert (payload["csat"], payload["nps"], payload["cem_score"]) == (1.0, 100.0, 100.0)


def test_out_of_range_values_are_refused():
    with pytest.raises(ValidationError, match="csat"):
        MetricsRowOut(**{**MetricsRowOut.from_row(_row()).model_dump(), "csat": 1.5})
