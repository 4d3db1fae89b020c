"""Normalization: the first ingest step. Canonical whitespace and Unicode so later steps see one form."""
from __future__ import annotations

import dataclasses
import unicodedata

from trustdesk.core.model import Interaction, Turn


def normalize_text(text: str) -> str:
    """NFC-normalize and collapse runs of whitespace; keeps line breaks out of chat/voice turns."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def normalize_interaction(interaction: Interaction) -> Interaction:
    """Normalize every turn's text and drop turns that are empty after normalization."""
    turns = tuple(
        Turn(speaker=turn.speaker, text=normalize_text(turn.text), offset_seconds=turn.offset_seconds)
        for turn in interaction.turns
    )
    kept = tuple(turn for turn in turns if turn.text)
    language = interaction.language.lower() if interaction.language else None
    return dataclasses.replace(interaction, turns=kept, language=language)
