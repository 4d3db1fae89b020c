"""Composition of the ingest pipeline: which pure core steps run, in which order."""
from __future__ import annotations

from trustdesk.core.ingest.language import detect_interaction_language
from trustdesk.core.ingest.normalize import normalize_interaction
from trustdesk.core.ingest.pipeline import Step, run_steps
from trustdesk.core.model import Interaction
from trustdesk.core.privacy.redaction import redact_interaction
from trustdesk.core.quality import QualityResult, Scorecard, score_interaction, score_step


def default_ingest_steps() -> tuple[Step, ...]:
    """normalize -> detect language -> redact -> score.

    Redaction runs before anything is stored or scored, so the scorer and the database only ever see
    placeholders and entity labels, never the raw values.
    """
    return (normalize_interaction, detect_interaction_language, redact_interaction, score_step)


def score_standalone(interaction: Interaction, scorecard: Scorecard | None = None) -> QualityResult:
    """Score an interaction outside ingest (CLI, API) exactly as ingest would: on its redacted turns."""
    prepared = run_steps(interaction, (normalize_interaction, detect_interaction_language, redact_interaction))
    return score_interaction(prepared, scorecard)
