"""Wire shapes of CONTRACTS.md section 2 (``trustdesk redact``, ``POST /api/v1/redact``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trustdesk.core.privacy.redaction import (
    LABELS,
    RedactionMode,
    Recognizer,
    detect_entities,
    redact_text,
    text_hash,
)

# The same label set the core registry declares, so the wire shape cannot drift from the engine.
EntityLabel = Literal[LABELS]  # type: ignore[valid-type]


class RedactRequestItem(BaseModel):
    """One text to redact: a JSONL line on the CLI, one list element in the API body."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    text: str


class RedactedEntity(BaseModel):
    """One detected span; offsets are characters of the input text, the value itself is only hashed."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: EntityLabel
    text_hash: str


class RedactResponseItem(BaseModel):
    """One output line (CLI) or list element (API), in input order."""

    id: str
    redacted: str
    entities: list[RedactedEntity]


def redact_item(
    item: RedactRequestItem,
    *,
    mode: RedactionMode,
    language: str,
    key: bytes,
    extra_recognizers: tuple[Recognizer, ...] = (),
) -> RedactResponseItem:
    """The section 2 output for one input: redacted text and entities whose values are only HMAC-hashed."""
    entities = detect_entities(item.text, language=language, extra_recognizers=extra_recognizers)
    return RedactResponseItem(
        id=item.id,
        redacted=redact_text(item.text, entities, mode=mode, pseudonym_key=key),
        entities=[
            RedactedEntity(start=e.start, end=e.end, label=e.label, text_hash=text_hash(item.text[e.start : e.end], key=key))
            for e in entities
        ],
    )
