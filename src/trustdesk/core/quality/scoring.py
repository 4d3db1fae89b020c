"""Scoring an interaction against a scorecard: each criterion's result, its points and the total.

Rules (docs/scorecards.md): a not-applicable criterion earns 0 of 0 points, so it leaves the
denominator; a bonus criterion adds its weight when it passes but never enters the denominator
(the score is capped at 100); a failed critical criterion fails the interaction and sets its score to 0.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

from trustdesk.core.model import Interaction
from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.results import CriterionResult, Outcome, QualityResult
from trustdesk.core.quality.scorecard import Scorecard, SectionKind, WeightedCriterion, default_scorecard
from trustdesk.core.quality.transcript import TranscriptView, build_transcript

MAX_SCORE = 100.0


def _score_criterion(
    view: TranscriptView, item: WeightedCriterion, kind: SectionKind, section: str
) -> CriterionResult:
    exclusion = item.applies_to.explain_exclusion(
        channel=view.channel, purpose=view.interaction.case.purpose, language=view.language
    )
    if exclusion is not None:
        return CriterionResult(
            item.id, Outcome.NOT_APPLICABLE, 0.0, 0.0, item.critical, (), exclusion, section
        )
    assessment = CRITERIA[item.id].assess(view)
    if assessment.outcome is Outcome.NOT_APPLICABLE:
        points, max_points = 0.0, 0.0
    else:
        points = item.weight if assessment.outcome is Outcome.PASS else 0.0
        max_points = item.weight
    return CriterionResult(
        id=item.id,
        result=assessment.outcome,
        points=points,
        max_points=max_points,
        critical=item.critical,
        evidence=assessment.evidence,
        reason=assessment.reason,
        section=section,
        measures=assessment.measures,
    )


def score_interaction(interaction: Interaction, scorecard: Scorecard | None = None) -> QualityResult:
    """Score ``interaction`` (redacted text plus entity labels) against ``scorecard`` (default if None)."""
    card = scorecard or default_scorecard()
    view = build_transcript(interaction)
    results = tuple(
        _score_criterion(view, item, section.kind, section.id)
        for section in card.sections
        for item in section.criteria
    )
    score, is_passed = total_score(results, card)
    return QualityResult(
        external_id=interaction.external_id,
        scorecard=card.id,
        score=score,
        passed=is_passed,
        criteria=results,
    )


def total_score(results: tuple[CriterionResult, ...], card: Scorecard) -> tuple[float, bool]:
    """The score (0-100) and pass/fail of criterion results weighed by ``card``'s rules."""
    bonus_sections = {section.id for section in card.sections if section.kind is SectionKind.BONUS}
    earned = sum(r.points for r in results)
    possible = sum(r.max_points for r in results if r.section not in bonus_sections)
    has_critical_failure = any(r.critical and r.result is Outcome.FAIL for r in results)
    if has_critical_failure:
        score = 0.0
    elif possible == 0:
        # Nothing applicable means nothing was done wrong.
        score = MAX_SCORE
    else:
        score = min(MAX_SCORE, round(100.0 * earned / possible, 1))
    return score, not has_critical_failure and score >= card.pass_score


def score_step(interaction: Interaction, scorecard: Scorecard | None = None) -> Interaction:
    """Ingest step (after redaction): set ``interaction.quality`` to its result on ``scorecard``
    (the shipped default when None)."""
    return dataclasses.replace(interaction, quality=score_interaction(interaction, scorecard))


def scoring_step(scorecard: Scorecard) -> Callable[[Interaction], Interaction]:
    """``score_step`` on ``scorecard``: the ingest step of a brand with its own active scorecard. A partial of
    a module function pickles, so bulk import's worker processes can run it."""
    return functools.partial(score_step, scorecard=scorecard)
