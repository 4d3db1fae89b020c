"""CONTRACTS.md names the redaction labels and criterion ids; the code must offer exactly those."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from trustdesk.core.privacy.redaction import LABELS
from trustdesk.core.quality import default_scorecard

CONTRACTS = Path(__file__).resolve().parents[3] / "shared" / "CONTRACTS.md"
CONTRACT_LABELS = ("PERSON", "EMAIL", "PHONE", "CARD", "CVV", "CARD_EXPIRY", "NATIONAL_ID", "IBAN", "BANK_ACCOUNT",
                   "IP_ADDRESS", "ADDRESS", "DATE_OF_BIRTH", "ACCOUNT_NUMBER", "HEALTH")
CONTRACT_CRITERIA = ("recording_disclosure", "consent_before_collection", "sensitive_readback", "outsourcing_disclosure",
                     "purpose_overreach", "greeting", "closing", "empathy", "customer_repeat", "over_scripted",
                     "language_match", "resolution")


def test_redaction_labels_are_the_contract_labels():
    assert set(LABELS) == set(CONTRACT_LABELS)


def test_default_scorecard_has_every_contract_criterion():
    ids = {item.id for section in default_scorecard().sections for item in section.criteria}
    assert set(CONTRACT_CRITERIA) <= ids


def test_the_lists_above_match_contracts_md_when_it_is_beside_the_checkout():
    if not CONTRACTS.exists():
        pytest.skip("the shared CONTRACTS.md sits beside the checkout on the team's machines only")
    text = CONTRACTS.read_text(encoding="utf-8")
    labels_paragraph = text[text.index("Labels:"):text.index("The raw value never appears")]
    assert set(re.findall(r"[A-Z_]{2,}", labels_paragraph)) == set(CONTRACT_LABELS)
    criteria_paragraph = text[text.index("Built-in criterion ids:"):text.index("## 4.")]
    assert set(re.findall(r"[a-z]+(?:_[a-z]+)*", criteria_paragraph.split(":", 1)[1])) == set(CONTRACT_CRITERIA)
