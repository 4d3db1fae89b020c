"""Normalization: the first ingest step. Canonical whitespace and Unicode so later steps see one form."""
from __future__ import annotations

import dataclasses
import unicodedata

from trustdesk.core.model import Interaction, Turn


def normalize_text(text: str) -> str:
    """NFC-normalize and collapse runs of whitespace; keeps line breaks out of chat/voice turns."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def normalize_interaction(interaction: Interaction) -> Interaction:
    """Normalize every turn's text and drop turns that are empty after normalization."""
    kept = tuple(turn for turn in map(_normalize_turn, interaction.turns) if turn.text)
    language = interaction.language.lower() if interaction.language else None
    if language == interaction.language and len(kept) == len(interaction.turns) and all(
        normalized is original for normalized, original in zip(kept, interaction.turns)
    ):
        return interaction  # already normal, as most arrivals are: no copy of the whole interaction
    return dataclasses.replace(interaction, turns=kept, language=language)


def _normalize_turn(turn: Turn) -> Turn:
    text = normalize_text(turn.text)
    # Most turns are already clean; reusing the frozen object saves an allocation per turn at ingest.
    return turn if text == turn.text else dataclasses.replace(turn, text=text)
