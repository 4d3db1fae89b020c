"""Human review of automatic results: a reviewer's overrides applied on top of the automatic result.

An override replaces one criterion's outcome; its points follow the scorecard weight of that criterion,
and the total is recomputed with the same rules as automatic scoring (``scoring.total_score``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from trustdesk.core.quality.results import CriterionResult, Evidence, Outcome, QualityResult
from trustdesk.core.quality.scorecard import Scorecard
from trustdesk.core.quality.scoring import total_score


class OverrideError(ValueError):
    """An override names a criterion the result does not have."""


def result_from_contract(data: Mapping[str, Any], *, external_id: str = "") -> QualityResult:
    """The QualityResult of a stored CONTRACTS.md section 3 object (inverse of ``to_contract_dict``)."""
    return QualityResult(
        external_id=str(data.get("external_id", external_id)),
        scorecard=str(data["scorecard"]),
        score=float(data["score"]),
        passed=bool(data["passed"]),
        criteria=tuple(
            CriterionResult(
                id=c["id"],
                result=Outcome(c["result"]),
                points=float(c["points"]),
                max_points=float(c["max_points"]),
                critical=bool(c["critical"]),
                evidence=tuple(Evidence(int(e["turn"]), str(e["quote"])) for e in c.get("evidence", ())),
                reason=str(c.get("reason", "")),
                section=str(c.get("section", "")),
                measures=tuple((str(name), float(value)) for name, value in c.get("measures", {}).items()),
            )
            for c in data["criteria"]
        ),
    )


def _criterion_weight(card: Scorecard, criterion: CriterionResult) -> float:
    for section in card.sections:
        for item in section.criteria:
            if item.id == criterion.id:
                return item.weight
    # The scorecard no longer lists it: the weight it was scored with is the best we know.
    return criterion.max_points


def apply_overrides(result: QualityResult, overrides: Mapping[str, Outcome], card: Scorecard) -> QualityResult:
    """``result`` with each criterion in ``overrides`` set to the reviewer's outcome, re-weighed and re-totalled."""
    known = {c.id for c in result.criteria}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise OverrideError(f"criterion {unknown[0]!r} is not in this result (has: {', '.join(sorted(known))})")
    criteria = []
    for criterion in result.criteria:
        outcome = overrides.get(criterion.id)
        if outcome is None or outcome is criterion.result:
            criteria.append(criterion)
            continue
        weight = 0.0 if outcome is Outcome.NOT_APPLICABLE else _criterion_weight(card, criterion)
        points = weight if outcome is Outcome.PASS else 0.0
        criteria.append(dataclasses.replace(criterion, result=outcome, points=points, max_points=weight))
    score, is_passed = total_score(tuple(criteria), card)
    return dataclasses.replace(result, score=score, passed=is_passed, criteria=tuple(criteria))
