from __future__ import annotations

import pytest

from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.transcript import build_transcript


def assess(make_interaction, criterion: str, agent_text: str, **kwargs):
    turns = [("customer", "Hello, I need help with my delivery please"), ("agent", agent_text)]
    return CRITERIA[criterion].assess(build_transcript(make_interaction(turns, **kwargs)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks for waiting, I have checked your delivery and it will arrive tomorrow.", Outcome.PASS),
        ("Thnaks for waitng, I have chekced your delivry and it wil arive tomorow.", Outcome.FAIL),
        # British spellings are not mistakes (fairness across varieties of English).
        ("I apologise, the colour you favour is at the centre; I have organised a cheque.", Outcome.PASS),
        ("Gracias por esperar, su pedido llegará mañana por la tarde.", Outcome.PASS),
    ],
)
def test_spelling(make_interaction, text, expected):
    language = "es" if text.startswith("Gracias") else None
    assert assess(make_interaction, "spelling", text, channel="chat", language=language).outcome is expected


def test_spelling_not_applicable_on_voice_and_without_dictionary(make_interaction):
    assert assess(make_interaction, "spelling", "Thanks for waiting today.").outcome is Outcome.NOT_APPLICABLE
    tagalog = "Salamat po sa paghihintay, darating na po ang inyong order bukas ng hapon."
    assert (
        assess(make_interaction, "spelling", tagalog, channel="chat", language="tl").outcome
        is Outcome.NOT_APPLICABLE
    )


def test_readability(make_interaction):
    plain = " ".join(
        ["Your parcel left our depot today. It will reach you tomorrow. You do not need to do anything."] * 3
    )
    dense = (
        "Notwithstanding the aforementioned circumstances, consideration of your reimbursement "
        "necessitates comprehensive verification procedures encompassing documentation, authentication "
        "and reconciliation, subsequently communicated through electronic correspondence channels, "
        "establishing satisfactory resolution expectations accordingly. "
    ) * 2
    assert assess(make_interaction, "readability", plain, channel="email").outcome is Outcome.PASS
    assert assess(make_interaction, "readability", dense, channel="email").outcome is Outcome.FAIL
    assert (
        assess(make_interaction, "readability", "Short.", channel="email").outcome is Outcome.NOT_APPLICABLE
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have checked and your order ships today.", Outcome.PASS),
        ("YOU NEED TO READ THE EMAIL FIRST.", Outcome.FAIL),
        ("If you had read the instructions this would not happen. You should have checked.", Outcome.FAIL),
        ("Your [CARD] and [CVV] were removed from the chat for safety.", Outcome.PASS),
        ("Please stop writing!!!", Outcome.FAIL),
    ],
)
def test_tone(make_interaction, text, expected):
    assert assess(make_interaction, "tone", text, channel="chat").outcome is expected
