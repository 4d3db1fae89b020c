"""Calibration: agreement between two raters on the same interactions, per criterion (Cohen's kappa).

A rater is a reviewer or the automatic scorer; ratings are criterion results by interaction id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trustdesk.core.quality.results import Outcome, QualityResult

Ratings = Mapping[str, Mapping[str, Outcome]]  # interaction id -> criterion id -> result


def cohens_kappa(first: Sequence[str], second: Sequence[str]) -> float | None:
    """Cohen's kappa of two equally long label sequences; None when empty or when chance agreement is 1."""
    if len(first) != len(second):
        raise ValueError(f"rating lists differ in length: {len(first)} != {len(second)}")
    total = len(first)
    if total == 0:
        return None
    observed = sum(1 for a, b in zip(first, second) if a == b) / total
    first_counts, second_counts = Counter(first), Counter(second)
    expected = sum(first_counts[label] * second_counts[label] for label in first_counts) / (total * total)
    if expected == 1.0:
        # Both raters used one and the same label throughout: kappa is undefined (0/0).
        return None
    return (observed - expected) / (1.0 - expected)


@dataclass(frozen=True)
class CriterionAgreement:
    criterion: str
    compared: int  # interactions both raters rated on this criterion
    observed_agreement: float | None
    kappa: float | None


def agreement_by_criterion(first: Ratings, second: Ratings) -> tuple[CriterionAgreement, ...]:
    """Observed agreement and kappa per criterion over the interactions both raters rated, sorted by id."""
    shared = sorted(set(first) & set(second))
    criteria = sorted({c for i in shared for c in first[i]} & {c for i in shared for c in second[i]})
    rows: list[CriterionAgreement] = []
    for criterion in criteria:
        pairs = [
            (first[i][criterion].value, second[i][criterion].value)
            for i in shared
            if criterion in first[i] and criterion in second[i]
        ]
        left = [a for a, _ in pairs]
        right = [b for _, b in pairs]
        observed = sum(1 for a, b in pairs if a == b) / len(pairs) if pairs else None
        rows.append(CriterionAgreement(criterion, len(pairs), observed, cohens_kappa(left, right)))
    return tuple(rows)


def ratings_from_results(results: Sequence[QualityResult]) -> dict[str, dict[str, Outcome]]:
    """The automatic scorer's ratings in the shape ``agreement_by_criterion`` compares."""
    return {r.external_id: {c.id: c.result for c in r.criteria} for r in results}
