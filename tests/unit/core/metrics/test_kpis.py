import math

import pytest

from trustdesk.core.metrics import kpis


@pytest.mark.parametrize(
    ("promoters", "detractors", "answers", "expected"),
    [
        (5, 2, 10, 30.0),
        (0, 4, 4, -100.0),
        (3, 0, 3, 100.0),
        (1, 1, 4, 0.0),  # passives dilute: 25% - 25%
        (0, 0, 0, None),  # no answers is no data, not zero
    ],
)
def test_nps(promoters, detractors, answers, expected):
    assert kpis.nps(promoters, detractors, answers) == expected


@pytest.mark.parametrize(
    ("function", "numerator", "denominator", "expected"),
    [
        (kpis.first_contact_resolution, 7, 10, 0.7),
        (kpis.first_contact_resolution, 0, 0, None),
        (kpis.csat, 3, 4, 0.75),
        (kpis.csat, 0, 5, 0.0),  # answers but none positive is a real zero
        (kpis.csat, 0, 0, None),
        (kpis.average_handle_time, 900.0, 3, 300.0),
        (kpis.average_handle_time, 0.0, 0, None),
        (kpis.sla_adherence, 9, 12, 0.75),
        (kpis.escalation_rate, 1, 8, 0.125),
        (kpis.transfer_rate, 2, 8, 0.25),
        (kpis.repeat_contact_rate, 0, 0, None),
        (kpis.qa_score, 255.0, 3, 85.0),
        (kpis.compliance_pass_rate, 4, 5, 0.8),
        (kpis.sentiment_change, -0.6, 3, -0.2),
    ],
)
def test_ratio_kpis(function, numerator, denominator, expected):
    result = function(numerator, denominator)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_population_std_dev_from_sums():
    values = [70.0, 80.0, 90.0]
    spread = kpis.population_std_dev(3, sum(values), sum(v * v for v in values))
    assert spread == pytest.approx(math.sqrt(200 / 3))


@pytest.mark.parametrize(
    ("means", "expected"),
    [
        ([80.0, 90.0], 5.0),
        ([60.0, 80.0, 100.0], math.sqrt(800 / 3)),
        ([75.0, 75.0, 75.0], 0.0),
        ([88.0], None),  # one agent has no spread to speak of
        ([], None),
    ],
)
def test_agent_to_agent_consistency(means, expected):
    result = kpis.agent_to_agent_consistency(means)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected, abs=1e-9)


def test_equal_values_never_give_a_negative_variance():
    # Seven scores of 91.7 summed in float: sum/n squared exceeds sumsq/n by about 2e-12.
    scores = [91.7] * 7
    assert kpis.population_std_dev(7, sum(scores), sum(s * s for s in scores)) == 0.0
