"""docs/metrics.md stays true to the code: every KPI, rollup column and CEM weight is documented."""

import re
from dataclasses import fields
from pathlib import Path

import pytest

from trustdesk.core.metrics import customer_signals as signals
from trustdesk.core.metrics.cem import DEFAULT_CEM_WEIGHTS, CemWeights
from trustdesk.core.metrics.rollup import COUNT_COLUMNS, MetricsRow
from trustdesk.core.metrics.sampling import cochran_sample_size

DOC = (Path(__file__).resolve().parents[4] / "docs" / "metrics.md").read_text(encoding="utf-8")
UNDOCUMENTED_ON_PURPOSE = {"group", "interactions", "csat_answers", "nps_answers", "cem"}


@pytest.mark.parametrize(
    "name", [f.name for f in fields(MetricsRow) if f.name not in UNDOCUMENTED_ON_PURPOSE]
)
def test_every_kpi_is_defined(name):
    assert f"`{name}`" in DOC


@pytest.mark.parametrize("column", COUNT_COLUMNS)
def test_every_rollup_column_is_listed(column):
    assert re.search(rf"\b{column}\b", DOC)


@pytest.mark.parametrize("name", [f.name for f in fields(CemWeights)])
def test_every_cem_weight_is_a_documented_key(name):
    assert f"`{name}`" in DOC


def test_default_pillar_weights_match():
    for pillar in ("customer outcome", "conduct", "workforce health"):
        weight = getattr(DEFAULT_CEM_WEIGHTS, pillar.replace(" ", "_"))
        assert f"{pillar} (weight {weight:g})" in DOC


def test_sampling_examples_match():
    for population, size in ((1_000, 278), (10_000, 370), (10**9, 385)):
        assert cochran_sample_size(population) == size
        assert f"→ {size}" in DOC


def test_churn_points_match():
    assert f"| repeat contact | +{signals.REPEAT_CONTACT_POINTS} each | {signals.REPEAT_CONTACT_CAP} |" in DOC
    assert (
        f"| unresolved case | +{signals.UNRESOLVED_CASE_POINTS} each | {signals.UNRESOLVED_CASE_CAP} |" in DOC
    )
    assert f"low < {signals.MEDIUM_FROM} ≤ medium < {signals.HIGH_FROM} ≤ high" in DOC
