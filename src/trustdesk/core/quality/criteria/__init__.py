"""The criterion library: every built-in criterion by id, in a stable order."""

from __future__ import annotations

from trustdesk.core.quality.criteria.base import Criterion, Family
from trustdesk.core.quality.criteria.compliance import COMPLIANCE_CRITERIA
from trustdesk.core.quality.criteria.experience import EXPERIENCE_CRITERIA
from trustdesk.core.quality.criteria.written import WRITTEN_CRITERIA
from trustdesk.core.quality.sentiment import assess_customer_sentiment

SENTIMENT_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "customer_sentiment",
        Family.EXPERIENCE,
        "Customer sentiment did not worsen (customer turns only)",
        assess_customer_sentiment,
    ),
)

CRITERIA: dict[str, Criterion] = {
    criterion.id: criterion
    for criterion in (*COMPLIANCE_CRITERIA, *EXPERIENCE_CRITERIA, *SENTIMENT_CRITERIA, *WRITTEN_CRITERIA)
}

__all__ = ["CRITERIA", "Criterion", "Family"]
