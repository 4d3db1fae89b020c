"""Vendor governance rules: which documents (certifications, agreements, contracts) are expired or about
to expire, and the standard due-diligence checklist a brand keeps per vendor."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

DEFAULT_ALERT_WINDOW_DAYS = 30


class DocumentKind(str, enum.Enum):
    CERTIFICATION = "certification"
    AGREEMENT = "agreement"
    CONTRACT = "contract"


class AlertState(str, enum.Enum):
    EXPIRED = "expired"
    EXPIRING = "expiring"


@dataclass(frozen=True)
class VendorDocument:
    vendor: str
    kind: DocumentKind
    name: str
    expires_on: date | None  # None: open-ended (e.g. an NDA without an end date), never alerts


@dataclass(frozen=True)
class DocumentAlert:
    document: VendorDocument
    state: AlertState
    days_left: int  # negative once expired


def document_alerts(documents: Iterable[VendorDocument], *, today: date, within_days: int) -> list[DocumentAlert]:
    """Documents expired on or before ``today``, or expiring within ``within_days``; most urgent first.

    A document is valid through the day before its expiry date, so one expiring today is expired.
    """
    if within_days < 0:
        raise ValueError(f"within_days has value {within_days!r}. Must be >= 0.")
    alerts = []
    for document in documents:
        if document.expires_on is None:
            continue
        days_left = (document.expires_on - today).days
        if days_left <= 0:
            alerts.append(DocumentAlert(document, AlertState.EXPIRED, days_left))
        elif days_left <= within_days:
            alerts.append(DocumentAlert(document, AlertState.EXPIRING, days_left))
    return sorted(alerts, key=lambda a: (a.days_left, a.document.vendor, a.document.kind.value, a.document.name))


class ChecklistStatus(str, enum.Enum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"


# The questions a brand answers before (and each year after) trusting a BPO with customer data;
# keys are stable so evidence stays attached when the wording changes.
DUE_DILIGENCE_ITEMS = (
    ("security_questionnaire", "Information security questionnaire answered and reviewed"),
    ("certification_copies", "Copies of current certifications (ISO 27001, PCI DSS AoC) on file"),
    ("dpa_signed", "Data-processing agreement signed, with sub-processors listed"),
    ("confidentiality_agreement", "Confidentiality agreement signed by the vendor and its staff"),
    ("data_residency", "Sites and countries where data is handled confirmed against the brand's limits"),
    ("privacy_training", "Agents' privacy and ethics training records checked"),
    ("background_checks", "Background checks for agents with access to personal data"),
    ("business_continuity", "Business continuity and disaster recovery plan tested in the last year"),
    ("right_to_audit", "Right-to-audit clause in the contract"),
    ("labour_practices", "Fair labour practices reviewed (working hours, breaks, wellbeing support)"),
)
