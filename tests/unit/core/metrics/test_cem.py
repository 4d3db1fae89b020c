import pytest

from trustdesk.core.metrics.cem import (
    CemComponent,
    CemInputs,
    CemPillar,
    CemWeights,
    parse_cem_weights,
    score_cem,
)

FULL = CemInputs(
    csat=0.8,
    nps=20.0,
    fcr=0.7,
    compliance_pass_rate=0.9,
    critical_fail_rate=0.05,
    healthy_occupancy=0.7,
    enps=0.0,
)


def pillar(result, name):
    return next(p for p in result.pillars if p.pillar is name)


def test_full_inputs_with_default_weights():
    result = score_cem(FULL)
    # outcome mean(80, 60, 70) = 70; conduct (2 * 90 + 95) / 3 = 91.67; workforce mean(70, 50) = 60
    assert pillar(result, CemPillar.CUSTOMER_OUTCOME).score == pytest.approx(70.0)
    assert pillar(result, CemPillar.CONDUCT).score == pytest.approx(275 / 3)
    assert result.score == pytest.approx(0.5 * 70 + 0.35 * 275 / 3 + 0.15 * 60)
    assert result.notes == ()
    assert [p.applied_weight for p in result.pillars] == pytest.approx([0.5, 0.35, 0.15])


def test_missing_workforce_health_is_redistributed_and_said():
    result = score_cem(
        CemInputs(csat=0.8, nps=20.0, fcr=0.7, compliance_pass_rate=0.9, critical_fail_rate=0.05)
    )
    assert result.score == pytest.approx((0.5 * 70 + 0.35 * 275 / 3) / 0.85)
    workforce = pillar(result, CemPillar.WORKFORCE_HEALTH)
    assert (workforce.score, workforce.applied_weight, workforce.configured_weight) == (None, 0.0, 0.15)
    assert pillar(result, CemPillar.CUSTOMER_OUTCOME).applied_weight == pytest.approx(0.5 / 0.85)
    assert result.notes == ("workforce_health: no data; its weight 0.15 is shared among the other pillars",)


def test_missing_component_is_scored_on_the_rest_of_its_pillar():
    result = score_cem(CemInputs(csat=0.8, fcr=0.6, compliance_pass_rate=1.0, critical_fail_rate=0.0))
    outcome = pillar(result, CemPillar.CUSTOMER_OUTCOME)
    assert outcome.score == pytest.approx(70.0)
    nps = next(c for c in outcome.components if c.component is CemComponent.NPS)
    assert (nps.value, nps.applied_weight) == (None, 0.0)
    assert "customer_outcome: no data for nps; scored on the other components" in result.notes


@pytest.mark.parametrize(
    ("nps", "expected"),
    [(-100.0, 0.0), (0.0, 50.0), (100.0, 100.0)],
)
def test_nps_is_mapped_onto_0_100(nps, expected):
    result = score_cem(CemInputs(nps=nps), CemWeights(customer_outcome=1, conduct=0, workforce_health=0))
    assert result.score == pytest.approx(expected)


def test_no_data_at_all_gives_no_score_but_a_breakdown():
    result = score_cem(CemInputs())
    assert result.score is None
    assert len(result.pillars) == 3
    assert len(result.notes) == 3


def test_custom_weights_change_the_balance():
    conduct_only = CemWeights(customer_outcome=0, conduct=1, workforce_health=0)
    assert score_cem(FULL, conduct_only).score == pytest.approx(275 / 3)
    # A pillar weighted zero is off, not missing: no note.
    assert score_cem(FULL, conduct_only).notes == ()


def test_scores_stay_within_0_100():
    worst = CemInputs(
        csat=0, nps=-100, fcr=0, compliance_pass_rate=0, critical_fail_rate=1, healthy_occupancy=0, enps=-100
    )
    best = CemInputs(
        csat=1, nps=100, fcr=1, compliance_pass_rate=1, critical_fail_rate=0, healthy_occupancy=1, enps=100
    )
    assert score_cem(worst).score == 0.0
    assert score_cem(best).score == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"conduct": -1}, "'conduct' has value -1"),
        ({"csat": float("nan")}, "'csat'"),
        ({"customer_outcome": 0, "conduct": 0, "workforce_health": 0}, "must sum to > 0"),
        ({"csat": 0, "nps": 0, "fcr": 0}, "csat \\+ nps \\+ fcr"),
        ({"compliance": 0, "critical_fail_free": 0}, "compliance \\+ critical_fail_free"),
        ({"healthy_occupancy": 0, "enps": 0}, "healthy_occupancy \\+ enps"),
        ({"fcr": "high"}, "Not a number"),
    ],
)
def test_invalid_weights_are_rejected(weights, message):
    with pytest.raises(ValueError, match=message):
        CemWeights(**weights)


@pytest.mark.parametrize(
    ("field", "value"),
    [("csat", 1.2), ("nps", -101.0), ("healthy_occupancy", 1.2), ("enps", 101.0), ("critical_fail_rate", -0.1)],
)
def test_out_of_range_inputs_are_rejected(field, value):
    with pytest.raises(ValueError, match=field):
        score_cem(CemInputs(**{field: value}))


def test_parse_cem_weights_from_configuration():
    assert parse_cem_weights({"workforce_health": 0.3, "fcr": 2}) == CemWeights(workforce_health=0.3, fcr=2)
    with pytest.raises(ValueError, match="'speed' is not known"):
        parse_cem_weights({"speed": 1})


def test_workforce_pillar_shows_occupancy_and_enps_with_their_weights():
    result = score_cem(FULL, CemWeights(healthy_occupancy=3, enps=1))
    workforce = pillar(result, CemPillar.WORKFORCE_HEALTH)
    assert workforce.score == pytest.approx((3 * 70 + 1 * 50) / 4)
    assert [(c.component, c.value, c.applied_weight) for c in workforce.components] == [
        (CemComponent.HEALTHY_OCCUPANCY, pytest.approx(70.0), 0.75),
        (CemComponent.ENPS, 50.0, 0.25),
    ]


def test_workforce_pillar_without_a_pulse_rests_on_occupancy_and_says_so():
    result = score_cem(CemInputs(csat=1.0, healthy_occupancy=0.5))
    assert pillar(result, CemPillar.WORKFORCE_HEALTH).score == pytest.approx(50.0)
    assert "workforce_health: no data for enps; scored on the other components" in result.notes
