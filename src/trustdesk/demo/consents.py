"""The demo customers' consent decisions: most agreed to quality analytics when they signed up, a few refused.

Recorded through the consent service before any interaction is ingested, so the ingest pipeline scores
exactly the interactions of customers who agreed, as it would in production.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from random import Random

from trustdesk.core.privacy.consent import ConsentDecision, ConsentPurpose
from trustdesk.demo.operation import Operation
from trustdesk.services.consent import ConsentRecord

# Shares observed in opt-in programmes are in this range; the rest keep the policy default (not allowed).
QUALITY_ANALYTICS_SHARE = 0.88
CALL_RECORDING_SHARE = 0.93
MARKETING_SHARE = 0.35

SIGNUP_WORDING = {
    ConsentPurpose.QUALITY_ANALYTICS: "We review and score our service conversations to improve quality. "
                                      "May we include yours?",
    ConsentPurpose.CALL_RECORDING: "Calls may be recorded for quality and training. Do you agree?",
    ConsentPurpose.MARKETING: "May we send you offers about our products?",
}
SIGNUP_SHARES = {
    ConsentPurpose.QUALITY_ANALYTICS: QUALITY_ANALYTICS_SHARE,
    ConsentPurpose.CALL_RECORDING: CALL_RECORDING_SHARE,
    ConsentPurpose.MARKETING: MARKETING_SHARE,
}


@dataclass(frozen=True)
class DemoConsent:
    brand: str
    record: ConsentRecord


def demo_consents(operation: Operation, seed: int) -> list[DemoConsent]:
    """Seeded sign-up decisions, each before the first day of the operation."""
    rng = Random(f"consents-{seed}")
    opening = datetime.combine(operation.start, time(9), tzinfo=timezone.utc)
    decisions = []
    for customer in operation.customers:
        signed_up = opening - timedelta(days=rng.randrange(1, 700), minutes=rng.randrange(600))
        channel = rng.choice(("web", "app", "ivr"))
        for purpose, share in SIGNUP_SHARES.items():
            granted = rng.random() < share
            decisions.append(DemoConsent(brand=customer.brand, record=ConsentRecord(
                customer_external_id=customer.external_id, country=customer.country, purpose=purpose,
                decision=ConsentDecision.GRANTED if granted else ConsentDecision.WITHDRAWN,
                at=signed_up, channel=channel, wording=SIGNUP_WORDING[purpose],
            )))
    return decisions
