"""What a criterion is: an id, the family it belongs to, and a pure assessment of a prepared transcript."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from trustdesk.core.quality.results import Assessment
from trustdesk.core.quality.transcript import TranscriptView


class Family(str, enum.Enum):
    COMPLIANCE = "compliance"
    EXPERIENCE = "experience"
    WRITTEN = "written"


@dataclass(frozen=True)
class Criterion:
    id: str
    family: Family
    description: str
    assess: Callable[[TranscriptView], Assessment]
