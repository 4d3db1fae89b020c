import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.metrics.sampling import (
    AuditCandidate,
    Stratum,
    allocate_proportionally,
    cochran_sample_size,
    draw_audit_sample,
)

MANILA_VOICE = Stratum("manila-bpo", "voice")
MANILA_CHAT = Stratum("manila-bpo", "chat")
LISBON_EMAIL = Stratum("lisbon-cx", "email")


@pytest.mark.parametrize(
    ("population", "confidence", "margin", "expected"),
    [
        # n0 = 1.95996^2 * 0.25 / 0.05^2 = 384.15; n = n0 / (1 + (n0 - 1) / N)
        (10**9, 0.95, 0.05, 385),
        (10_000, 0.95, 0.05, 370),
        (1_000, 0.95, 0.05, 278),
        (100, 0.95, 0.05, 80),
        (10, 0.95, 0.05, 10),  # small populations are audited whole
        (1, 0.95, 0.05, 1),
        (0, 0.95, 0.05, 0),
        # n0 = 2.5758^2 * 0.25 / 0.03^2 = 1843.0
        (10**9, 0.99, 0.03, 1844),
        (10_000, 0.99, 0.03, 1557),
        # n0 = 1.6449^2 * 0.25 / 0.1^2 = 67.6
        (10**9, 0.90, 0.10, 68),
    ],
)
def test_cochran_sample_size(population, confidence, margin, expected):
    assert cochran_sample_size(population, confidence=confidence, margin=margin) == expected


def test_a_known_low_finding_rate_needs_fewer_interactions():
    assert cochran_sample_size(10**9, proportion=0.1) == 139  # 1.95996^2 * 0.09 / 0.0025 = 138.3


@pytest.mark.parametrize(
    ("argument", "value"),
    [("confidence", 1.0), ("confidence", 0.0), ("margin", 0.0), ("margin", 1.5), ("proportion", 0.0)],
)
def test_cochran_rejects_bad_arguments(argument, value):
    with pytest.raises(ValueError, match=argument):
        cochran_sample_size(100, **{argument: value})


def test_negative_population_is_rejected():
    with pytest.raises(ValueError, match="population"):
        cochran_sample_size(-1)


@pytest.mark.parametrize(
    ("sizes", "total", "expected"),
    [
        # Quotas 6, 3, 1 are whole numbers.
        (
            {MANILA_VOICE: 600, MANILA_CHAT: 300, LISBON_EMAIL: 100},
            10,
            {MANILA_VOICE: 6, MANILA_CHAT: 3, LISBON_EMAIL: 1},
        ),
        # Quotas 4.5, 3.5, 2.0 -> floors 4, 3, 2 and one left: tie on .5 goes to the first stratum in order.
        (
            {MANILA_VOICE: 450, MANILA_CHAT: 350, LISBON_EMAIL: 200},
            10,
            {MANILA_VOICE: 4, MANILA_CHAT: 4, LISBON_EMAIL: 2},
        ),
        # A tiny stratum still gets one; the largest gives it back.
        (
            {MANILA_VOICE: 990, MANILA_CHAT: 5, LISBON_EMAIL: 5},
            10,
            {MANILA_VOICE: 8, MANILA_CHAT: 1, LISBON_EMAIL: 1},
        ),
        # Fewer slots than strata: every stratum still gets one.
        (
            {MANILA_VOICE: 50, MANILA_CHAT: 50, LISBON_EMAIL: 50},
            2,
            {MANILA_VOICE: 1, MANILA_CHAT: 1, LISBON_EMAIL: 1},
        ),
        # Empty strata get nothing; a total above the population is capped.
        ({MANILA_VOICE: 3, MANILA_CHAT: 0}, 10, {MANILA_VOICE: 3}),
        ({MANILA_VOICE: 3}, 0, {}),
        ({}, 5, {}),
    ],
)
def test_allocate_proportionally(sizes, total, expected):
    assert allocate_proportionally(sizes, total) == expected


def _candidates(counts):
    return [
        AuditCandidate(f"{stratum.vendor}-{stratum.channel}-{n:04d}", stratum)
        for stratum, count in counts.items()
        for n in range(count)
    ]


def test_draw_audit_sample_is_stratified_and_reproducible():
    candidates = _candidates({MANILA_VOICE: 700, MANILA_CHAT: 250, LISBON_EMAIL: 50})
    sample = draw_audit_sample(candidates, rng=random.Random(7))
    assert (sample.population, sample.target_size) == (1000, 278)
    assert [(a.stratum, a.sample_size) for a in sample.allocations] == [
        (LISBON_EMAIL, 14),  # 278 * 0.05 = 13.9
        (MANILA_CHAT, 69),  # 69.5: floors leave 2 spare, taken by the .9 and .6 remainders
        (MANILA_VOICE, 195),  # 194.6
    ]
    assert len(set(sample.interaction_ids)) == 278
    shuffled = list(reversed(candidates))
    assert draw_audit_sample(shuffled, rng=random.Random(7)) == sample
    assert draw_audit_sample(candidates, rng=random.Random(8)) != sample


def test_duplicate_candidates_are_rejected():
    twice = _candidates({MANILA_VOICE: 2}) * 2
    with pytest.raises(ValueError, match="twice"):
        draw_audit_sample(twice, rng=random.Random(1))


strata_sizes = st.dictionaries(
    st.builds(Stratum, st.sampled_from(["v1", "v2", "v3"]), st.sampled_from(["voice", "chat", "email"])),
    st.integers(min_value=0, max_value=400),
    max_size=9,
)


@settings(max_examples=100, deadline=None)
@given(strata_sizes, st.integers(min_value=0, max_value=2000))
def test_allocation_bounds(sizes, total):
    allocation = allocate_proportionally(sizes, total)
    non_empty = {s for s, size in sizes.items() if size > 0}
    population = sum(sizes.values())
    assert set(allocation) == (non_empty if total > 0 else set())
    assert all(1 <= allocation[s] <= sizes[s] for s in allocation)
    if total > 0:
        assert sum(allocation.values()) == max(min(total, population), len(non_empty))
    # Proportional: no stratum gets a whole interaction more than its quota.
    for stratum, size in allocation.items():
        assert size < min(total, population) * sizes[stratum] / population + 1


@settings(max_examples=100, deadline=None)
@given(strata_sizes, st.integers(min_value=0, max_value=10**6), st.sampled_from([0.9, 0.95, 0.99]))
def test_sample_covers_every_stratum_with_its_own_interactions(sizes, seed, confidence):
    candidates = _candidates(sizes)
    sample = draw_audit_sample(candidates, rng=random.Random(seed), confidence=confidence)
    stratum_of = {c.interaction_id: c.stratum for c in candidates}
    drawn_strata = {stratum_of[i] for i in sample.interaction_ids}
    assert drawn_strata == {s for s, size in sizes.items() if size > 0}
    assert len(sample.interaction_ids) == len(set(sample.interaction_ids))
    assert len(sample.interaction_ids) == sum(a.sample_size for a in sample.allocations)
    assert len(sample.interaction_ids) >= sample.target_size
