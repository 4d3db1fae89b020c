"""Language step: keep the language the integrator sent, otherwise detect it from the customer's words."""
from __future__ import annotations

import dataclasses

from trustdesk.core.model import Interaction, Speaker
from trustdesk.core.quality.language import detect_language

# Enough text for a confident guess; more only costs time.
DETECTION_SAMPLE_CHARS = 600


def detect_interaction_language(interaction: Interaction) -> Interaction:
    """Set ``language`` from the customer's turns (all turns when the customer wrote none) when it is absent."""
    if interaction.language:
        return interaction
    customer_text = " ".join(t.text for t in interaction.turns if t.speaker is Speaker.CUSTOMER)
    sample = (customer_text or " ".join(t.text for t in interaction.turns))[:DETECTION_SAMPLE_CHARS]
    return dataclasses.replace(interaction, language=detect_language(sample))
