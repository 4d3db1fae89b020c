"""PII, payment and health data detection and redaction (PRV-1): pure functions, no I/O.

Public API: ``detect_entities``, ``redact_text``, ``text_hash``, ``redact_interaction`` (the ingest step),
``prepare`` (build word lists and patterns at start-up rather than on first use).
"""

from trustdesk.core.privacy.redaction.engine import (
    MAX_TEXT_CHARS,
    TextTooLargeError,
    detect_entities,
    detect_turn_entities,
    prepare,
)
from trustdesk.core.privacy.redaction.redact import (
    RedactionMode,
    pseudonym_for,
    redact_interaction,
    redact_text,
    text_hash,
)
from trustdesk.core.privacy.redaction.registry import LABELS, Recognizer

__all__ = [
    "LABELS",
    "MAX_TEXT_CHARS",
    "Recognizer",
    "RedactionMode",
    "TextTooLargeError",
    "detect_entities",
    "detect_turn_entities",
    "prepare",
    "pseudonym_for",
    "redact_interaction",
    "redact_text",
    "text_hash",
]
