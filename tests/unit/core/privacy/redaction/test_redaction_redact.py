import hashlib

import pytest

from trustdesk.core.model import Entity
from trustdesk.core.privacy.redaction import (
    RedactionMode,
    detect_entities,
    pseudonym_for,
    redact_text,
    text_hash,
)

TEXT = "card 4111 1111 1111 1111, cvv 123, call 415 555 0132, mail jo@example.com"


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (RedactionMode.PLACEHOLDER, "card [CARD], cvv [CVV], call [PHONE], mail [EMAIL]"),
        (RedactionMode.MASK, "card ****1111, cvv [CVV], call ****0132, mail [EMAIL]"),
    ],
)
def test_redaction_modes(mode: RedactionMode, expected: str) -> None:
    assert redact_text(TEXT, detect_entities(TEXT), mode=mode) == expected


def test_pseudonyms_are_stable_per_key_and_customer_and_ignore_spoken_form() -> None:
    written = pseudonym_for("4111 1111 1111 1111", "CARD", key=b"k1", subject_id="cust-1")
    spoken = pseudonym_for("four " + "one " * 15, "CARD", key=b"k1", subject_id="cust-1")
    assert written == spoken
    assert written != pseudonym_for("4111 1111 1111 1111", "CARD", key=b"k2", subject_id="cust-1")
    assert written != pseudonym_for("4111 1111 1111 1111", "CARD", key=b"k1", subject_id="cust-2")
    redacted = redact_text(
        TEXT, detect_entities(TEXT), mode=RedactionMode.PSEUDONYM, pseudonym_key=b"k1", subject_id="cust-1"
    )
    assert f"[CARD:{written}]" in redacted


def test_pseudonym_mode_needs_a_key() -> None:
    with pytest.raises(ValueError, match="pseudonym_key"):
        redact_text(TEXT, detect_entities(TEXT), mode=RedactionMode.PSEUDONYM)


def test_overlapping_entities_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        redact_text("abcdef", [Entity(0, 4, "PERSON"), Entity(2, 5, "PERSON")])


def test_text_hash_is_plain_sha256_without_key_and_hmac_with_key() -> None:
    assert text_hash("123") == hashlib.sha256(b"123").hexdigest()
    assert text_hash("123", key=b"secret") != text_hash("123")
    assert text_hash("123", key=b"secret") == text_hash("123", key=b"secret")
