from __future__ import annotations

import pytest

from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.transcript import build_transcript

OPEN = ("agent", "Thank you for calling Acme, this is Sam.")


def assess(make_interaction, criterion: str, turns, **kwargs):
    return CRITERIA[criterion].assess(build_transcript(make_interaction(turns, **kwargs)))


@pytest.mark.parametrize(
    ("turns", "channel", "expected"),
    [
        (
            [("agent", "Hello, this call may be recorded for quality purposes."), ("customer", "ok")],
            "voice",
            Outcome.PASS,
        ),
        (
            [
                OPEN,
                ("customer", "Hi"),
                ("agent", "Just so you know, calls are monitored."),
                ("customer", "Fine"),
            ],
            "voice",
            Outcome.PASS,
        ),
        (
            [OPEN, ("customer", "Hi, my order is late"), ("agent", "Let me check that.")],
            "voice",
            Outcome.FAIL,
        ),
        ([("agent", "Hola, le informo que la llamada está siendo grabada.")], "voice", Outcome.PASS),
        ([("agent", "Guten Tag, das Gespräch wird aufgezeichnet.")], "voice", Outcome.PASS),
        ([OPEN, ("customer", "Hi")], "chat", Outcome.NOT_APPLICABLE),
        # The phone system's notice before the agent picks up informs the caller, in any language.
        ([("system", "This call may be recorded for quality and training purposes."), OPEN, ("customer", "Hi")],
         "voice", Outcome.PASS),
        ([("system", "Esta llamada puede ser grabada."), ("agent", "Buenas tardes"), ("customer", "Hola")],
         "voice", Outcome.PASS),
        # Within the opening turns, but only after the customer gave personal data: too late to choose.
        (
            [
                OPEN,
                ("customer", "Hi, I need my bill"),
                ("agent", "Your date of birth, please?"),
                ("customer", "[DATE_OF_BIRTH]"),
                ("agent", "Thanks. Oh, and just so you know, this call is recorded."),
            ],
            "voice",
            Outcome.FAIL,
        ),
        # A notice after the opening turns comes too late.
        (
            [
                OPEN,
                ("customer", "a"),
                ("agent", "b"),
                ("customer", "c"),
                ("agent", "d"),
                ("customer", "e"),
                ("agent", "By the way this call is recorded."),
            ],
            "voice",
            Outcome.FAIL,
        ),
    ],
)
def test_recording_disclosure(make_interaction, turns, channel, expected):
    assert assess(make_interaction, "recording_disclosure", turns, channel=channel).outcome is expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            [
                OPEN,
                ("customer", "Where is my order?"),
                ("agent", "To locate your order, could you give me the account number?"),
                ("customer", "[ACCOUNT_NUMBER]"),
            ],
            Outcome.PASS,
        ),
        (
            [
                OPEN,
                ("customer", "Where is my order?"),
                ("agent", "What is your account number?"),
                ("customer", "[ACCOUNT_NUMBER]"),
            ],
            Outcome.FAIL,
        ),
        (
            [
                OPEN,
                ("customer", "Where is my order?"),
                ("agent", "For security, I need to verify you first."),
                ("customer", "ok"),
                ("agent", "What's your email address?"),
                ("customer", "[EMAIL]"),
            ],
            Outcome.PASS,
        ),
        (
            [OPEN, ("customer", "What are your opening hours?"), ("agent", "We are open 9 to 5.")],
            Outcome.NOT_APPLICABLE,
        ),
        (
            [
                OPEN,
                ("customer", "Hola"),
                ("agent", "¿Me da su número de cuenta?"),
                ("customer", "[ACCOUNT_NUMBER]"),
            ],
            Outcome.FAIL,
        ),
        (
            [OPEN, ("customer", "Hola"), ("agent", "Para verificar su cuenta, ¿me da su número de cliente?")],
            Outcome.PASS,
        ),
    ],
)
def test_consent_before_collection(make_interaction, turns, expected):
    assert assess(make_interaction, "consent_before_collection", turns).outcome is expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            [OPEN, ("customer", "My card is [CARD]"), ("agent", "Let me repeat: [CARD], correct?")],
            Outcome.FAIL,
        ),
        ([OPEN, ("customer", "CVV [CVV]"), ("agent", "Got it, thanks.")], Outcome.PASS),
        ([OPEN, ("customer", "It's [NATIONAL_ID]"), ("agent", "So your id is [NATIONAL_ID].")], Outcome.FAIL),
        # Contact details read back for confirmation are fine.
        ([OPEN, ("customer", "[EMAIL]"), ("agent", "I have [EMAIL], right?")], Outcome.PASS),
    ],
)
def test_sensitive_readback(make_interaction, turns, expected):
    assert assess(make_interaction, "sensitive_readback", turns).outcome is expected


def test_sensitive_readback_uses_entity_labels_too(make_interaction):
    import dataclasses

    from trustdesk.core.model import Entity

    interaction = make_interaction(
        [OPEN, ("customer", "x"), ("agent", "The number you gave ends like this.")]
    )
    labelled = dataclasses.replace(interaction, entities=((), (), (Entity(0, 4, "CARD"),)))
    assert CRITERIA["sensitive_readback"].assess(build_transcript(labelled)).outcome is Outcome.FAIL


@pytest.mark.parametrize(
    ("turns", "vendor", "expected"),
    [
        (
            [
                OPEN,
                ("customer", "Where are you located?"),
                ("agent", "I'm with Acme's service partner in Manila."),
            ],
            "manila-bpo",
            Outcome.PASS,
        ),
        (
            [OPEN, ("customer", "Are you in India?"), ("agent", "Sorry, I'm not allowed to say.")],
            "pune-bpo",
            Outcome.FAIL,
        ),
        (
            [OPEN, ("customer", "Who am I talking to, really?"), ("agent", "Let's focus on your order.")],
            "manila-bpo",
            Outcome.FAIL,
        ),
        (
            [OPEN, ("customer", "Where are you based?"), ("agent", "Right here at Acme headquarters.")],
            "in-house",
            Outcome.PASS,
        ),
        (
            [OPEN, ("customer", "Where is my order?"), ("agent", "On its way.")],
            "manila-bpo",
            Outcome.NOT_APPLICABLE,
        ),
        (
            [
                OPEN,
                ("customer", "¿Desde dónde me atiende?"),
                ("agent", "Estoy en Bogotá, en un centro de atención de nuestro socio."),
            ],
            "bogota-bpo",
            Outcome.PASS,
        ),
    ],
)
def test_outsourcing_disclosure(make_interaction, turns, vendor, expected):
    assert assess(make_interaction, "outsourcing_disclosure", turns, vendor=vendor).outcome is expected


@pytest.mark.parametrize(
    ("turns", "purpose", "expected"),
    [
        (
            [
                OPEN,
                ("customer", "Where is my parcel?"),
                ("agent", "Can you give me your social security number?"),
            ],
            "order_status",
            Outcome.FAIL,
        ),
        (
            [OPEN, ("customer", "Where is my parcel?"), ("agent", "What is the order number please?")],
            "order_status",
            Outcome.PASS,
        ),
        (
            [OPEN, ("customer", "I want a loan"), ("agent", "What is your social security number?")],
            "loan_application",
            Outcome.PASS,
        ),
        (
            [OPEN, ("customer", "Hi"), ("agent", "What's your SSN?")],
            "unknown_purpose",
            Outcome.FAIL,
        ),
        # A purpose without a policy of its own is held to the baseline one: contact data is fine.
        (
            [OPEN, ("customer", "I'm moving house"), ("agent", "Which phone number should we keep on file?")],
            "unknown_purpose",
            Outcome.PASS,
        ),
        # Naming a kind of data is not asking for it.
        (
            [OPEN, ("customer", "Do you need my passport number?"), ("agent", "No, we never need that.")],
            "order_status",
            Outcome.PASS,
        ),
        (
            [OPEN, ("customer", "Mera order kahan hai?"), ("agent", "Aapka aadhaar number bataiye.")],
            "order_status",
            Outcome.FAIL,
        ),
    ],
)
def test_purpose_overreach(make_interaction, turns, purpose, expected):
    assert assess(make_interaction, "purpose_overreach", turns, purpose=purpose).outcome is expected


def test_failures_carry_quoted_evidence(make_interaction):
    result = assess(
        make_interaction,
        "sensitive_readback",
        [OPEN, ("customer", "[CARD]"), ("agent", "Confirming [CARD].")],
    )
    assert [(e.turn, e.quote) for e in result.evidence] == [(2, "Confirming [CARD].")]
    assert "CARD" in result.reason
