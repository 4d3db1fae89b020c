"""Composition of the ingest pipeline: which pure core steps run, in which order."""
from __future__ import annotations

from trustdesk.core.ingest.normalize import normalize_interaction
from trustdesk.core.ingest.pipeline import Step


def default_ingest_steps() -> tuple[Step, ...]:
    """normalize -> detect language -> redact -> score."""
    return (normalize_interaction,)
