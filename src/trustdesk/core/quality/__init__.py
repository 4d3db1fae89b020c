"""Automated QA: scorecards, the criterion library with evidence, calibration and fairness of the scoring."""

from __future__ import annotations

from trustdesk.core.quality.results import CriterionResult, Evidence, Outcome, QualityResult, to_contract_dict
from trustdesk.core.quality.scorecard import Scorecard, ScorecardError, default_scorecard, load_scorecard
from trustdesk.core.quality.scoring import score_interaction, score_step, scoring_step

__all__ = [
    "CriterionResult",
    "Evidence",
    "Outcome",
    "QualityResult",
    "Scorecard",
    "ScorecardError",
    "default_scorecard",
    "load_scorecard",
    "score_interaction",
    "score_step",
    "scoring_step",
    "to_contract_dict",
]
