"""InteractionFact: the facts of one interaction that every KPI is computed from, and nothing personal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from trustdesk.core.routing.sla import SlaEvaluation, SlaState

# Dimension value for a missing team or language, so rollup keys never hold NULL (NULLs break
# unique keys and GROUP BY equality in SQL).
UNKNOWN_DIMENSION = "unknown"


@dataclass(frozen=True)
class InteractionFact:
    """One interaction's ids, dimensions and outcomes; None means "not measured", never "zero".

    ``day`` is the reporting day in the brand's time zone, chosen by the caller; ``started_at`` orders
    contacts for the repeat-contact window. The two FCR flags are set by ``repeat_contacts``.
    """

    interaction_id: str
    customer_id: str
    case_id: str | None
    started_at: datetime
    day: date
    brand: str
    vendor: str
    team: str
    agent: str
    channel: str
    language: str
    purpose: str
    handle_seconds: float | None = None
    csat: int | None = None
    nps: int | None = None
    # This contact follows an earlier one by the same customer on the same case or purpose within the window.
    is_repeat_contact: bool = False
    # A later contact by the same customer on the same case or purpose followed within the window.
    has_repeat_within_window: bool = False
    is_escalated: bool = False
    is_transferred: bool = False
    first_response_met: bool | None = None
    resolution_met: bool | None = None
    qa_score: float | None = None
    compliance_passed: bool | None = None
    critical_fails: int = 0
    sentiment_change: float | None = None

    def __post_init__(self) -> None:
        if self.handle_seconds is not None and self.handle_seconds < 0:
            raise ValueError(f"handle_seconds has value {self.handle_seconds!r}. Must be >= 0.")
        if self.csat is not None and not 1 <= self.csat <= 5:
            raise ValueError(f"csat has value {self.csat!r}. Must be 1-5.")
        if self.nps is not None and not 0 <= self.nps <= 10:
            raise ValueError(f"nps has value {self.nps!r}. Must be 0-10.")
        if self.qa_score is not None and not 0 <= self.qa_score <= 100:
            raise ValueError(f"qa_score has value {self.qa_score!r}. Must be 0-100.")
        if self.critical_fails < 0:
            raise ValueError(f"critical_fails has value {self.critical_fails!r}. Must be >= 0.")
        if self.critical_fails and self.qa_score is None:
            raise ValueError(f"critical_fails has value {self.critical_fails!r} but qa_score is missing.")

    @property
    def is_fcr_eligible(self) -> bool:
        """A first contact about its issue: repeat contacts are not counted again in FCR."""
        return not self.is_repeat_contact

    @property
    def is_resolved_first_contact(self) -> bool:
        return self.is_fcr_eligible and not self.has_repeat_within_window


def sla_clock_met(evaluation: SlaEvaluation | None) -> bool | None:
    """An SLA clock as a fact: met, missed (stopped late or running past target), or None when undecided.

    None for a clock without a contract target (no evaluation) and for a running clock still within target.
    """
    if evaluation is None:
        return None
    if evaluation.state is SlaState.BREACHED:
        return False
    return None if evaluation.is_running else True
