"""Rewriting text around detected entities: typed placeholders, last-four masks, keyed per-customer pseudonyms."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import hmac
from collections.abc import Sequence

from trustdesk.core.model import Entity, Interaction, Survey, Turn
from trustdesk.core.privacy.redaction.engine import detect_entities, detect_turn_entities
from trustdesk.core.privacy.redaction.spoken import find_digit_runs


class RedactionMode(str, enum.Enum):
    PLACEHOLDER = "placeholder"
    MASK = "mask"
    PSEUDONYM = "pseudonym"


# Labels whose last four digits may stay visible in MASK mode (PCI DSS allows the last four of a card);
# security codes, expiry dates and birth dates are never partly shown.
LAST_FOUR_LABELS = frozenset({"CARD", "PHONE", "IBAN", "BANK_ACCOUNT", "ACCOUNT_NUMBER", "NATIONAL_ID"})
PSEUDONYM_HEX_CHARS = 8


def placeholder_for(label: str) -> str:
    """The typed placeholder of ``label``, e.g. ``[CARD]``."""
    return f"[{label}]"


def redact_text(
    text: str,
    entities: Sequence[Entity],
    *,
    mode: RedactionMode = RedactionMode.PLACEHOLDER,
    pseudonym_key: bytes | None = None,
    subject_id: str | None = None,
) -> str:
    """``text`` with every entity span replaced according to ``mode``; entities must not overlap."""
    if mode is RedactionMode.PSEUDONYM and not pseudonym_key:
        raise ValueError("mode=pseudonym needs pseudonym_key (the brand's pseudonymisation key)")
    parts: list[str] = []
    position = 0
    for entity in sorted(entities, key=lambda e: e.start):
        if entity.start < position:
            raise ValueError(f"entities overlap at offset {entity.start}")
        parts.append(text[position : entity.start])
        value = text[entity.start : entity.end]
        parts.append(_replacement(value, entity.label, mode, pseudonym_key, subject_id))
        position = entity.end
    parts.append(text[position:])
    return "".join(parts)


def _replacement(
    value: str, label: str, mode: RedactionMode, key: bytes | None, subject_id: str | None
) -> str:
    if mode is RedactionMode.MASK and label in LAST_FOUR_LABELS:
        digits = canonical_digits(value)
        if len(digits) >= 8:
            return "****" + digits[-4:]
    if mode is RedactionMode.PSEUDONYM and key is not None:
        return f"[{label}:{pseudonym_for(value, label, key=key, subject_id=subject_id)}]"
    return placeholder_for(label)


def canonical_digits(value: str) -> str:
    """The digits a written or spoken value carries ("four one 1 1" -> "4111")."""
    return "".join(run.digits for run in find_digit_runs(value))


def pseudonym_for(value: str, label: str, *, key: bytes, subject_id: str | None) -> str:
    """A stable token for one value of one customer: HMAC-SHA256 over subject, label and normalised value.

    Written and spoken forms of one number give the same token, so analytics can count repeats without
    seeing the value; another key or another customer gives unrelated tokens.
    """
    digits = canonical_digits(value)
    normalised = digits if len(digits) >= 4 and label != "PERSON" else " ".join(value.casefold().split())
    message = "\x1f".join((subject_id or "", label, normalised)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX_CHARS]


def text_hash(value: str, *, key: bytes | None = None) -> str:
    """Hex digest identifying ``value``: HMAC-SHA256 under ``key`` when given, else plain SHA-256.

    A plain hash of a short value (a card, a phone) can be reversed by trying every value, so any output
    that leaves the deployment should be produced with a key.
    """
    data = value.encode("utf-8")
    if key:
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()


def redact_interaction(interaction: Interaction) -> Interaction:
    """Ingest step: detect across all turns, store placeholder-redacted turns and the entities per turn.

    ``entities`` offsets point into the original turn texts (what was detected); the returned turns carry
    only redacted text. The survey comment is redacted too, since customers write anything there.
    """
    language = interaction.language or "en"
    names = tuple(name for name in (interaction.customer.name,) if name)
    entities = detect_turn_entities(interaction.turns, language=language, known_names=names)
    turns = tuple(
        Turn(speaker=turn.speaker, text=redact_text(turn.text, found), offset_seconds=turn.offset_seconds)
        for turn, found in zip(interaction.turns, entities)
    )
    survey = interaction.survey
    if survey is not None and survey.comment:
        comment_entities = detect_entities(survey.comment, language=language, known_names=names)
        survey = Survey(
            csat=survey.csat, nps=survey.nps, comment=redact_text(survey.comment, comment_entities)
        )
    return dataclasses.replace(interaction, turns=turns, entities=entities, survey=survey)
