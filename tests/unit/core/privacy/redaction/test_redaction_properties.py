"""Hypothesis properties of detection and redaction over generated customer messages."""

import itertools

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from trustdesk.core.privacy.redaction import detect_entities, redact_text
from trustdesk.core.privacy.redaction.recognizers.contact import is_email_address
from trustdesk.core.privacy.redaction.recognizers.payment import has_issuer_prefix


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    length = draw(st.integers(min_value=13, max_value=19))
    prefix = draw(st.sampled_from(["4", "51", "55", "2221", "2720", "34", "37", "6011", "65", "3530", "62"]))
    body = prefix + "".join(
        draw(
            st.lists(
                st.sampled_from("0123456789"),
                min_size=length - len(prefix) - 1,
                max_size=length - len(prefix) - 1,
            )
        )
    )
    return body + luhn.calc_check_digit(body)


@st.composite
def written_cards(draw: st.DrawFn) -> str:
    digits = draw(card_numbers())
    separator = draw(st.sampled_from(["", " ", "-"]))
    return separator.join(digits[i : i + 4] for i in range(0, len(digits), 4))


emails = st.builds(
    "{}.{}@{}.{}".format,
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True),
    st.from_regex(r"[a-z]{2,10}", fullmatch=True),
    st.sampled_from(["com", "org", "net", "es", "de", "co.uk"]),
)
filler = st.sampled_from(
    [
        "my card is",
        "thanks",
        "and",
        "please charge",
        "the number is",
        "hi, it's",
        "email:",
        "",
        "ok so",
        "¿vale?",
    ]
)
messages = st.lists(st.one_of(filler, written_cards(), emails, st.text(max_size=12)), max_size=8).map(
    " ".join
)

_DIGIT_RUN = regex.compile(r"\d+")
_EMAIL_LIKE = regex.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+")


def _luhn_card_runs(text: str) -> list[str]:
    """Every 13-19 digit window (separators dropped) that is Luhn-valid with an issuer prefix."""
    digits = "".join(char for char in text if char.isdigit() and char.isascii())
    return [
        digits[i:j]
        for i in range(len(digits))
        for j in range(i + 13, min(len(digits), i + 19) + 1)
        if has_issuer_prefix(digits[i:j]) and luhn.is_valid(digits[i:j])
    ]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(filler, written_cards()), min_size=1, max_size=6).map(" ".join))
# Two cards side by side, the first typed as one block: read as one 17-digit card, it left a 13-digit one.
@example("2221000000000 6247 0300 0000 0000 07")
def test_redacted_output_has_no_card_number(message: str) -> None:
    redacted = redact_text(message, detect_entities(message))
    assert _luhn_card_runs(redacted) == []


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(filler, emails), min_size=1, max_size=6).map(" ".join))
def test_redacted_output_has_no_input_email(message: str) -> None:
    redacted = redact_text(message, detect_entities(message))
    for address in _EMAIL_LIKE.findall(message):
        if is_email_address(address):
            assert address not in redacted


@settings(max_examples=100, deadline=None)
@given(messages)
def test_redacting_twice_changes_nothing(message: str) -> None:
    once = redact_text(message, detect_entities(message))
    assert redact_text(once, detect_entities(once)) == once


@settings(max_examples=100, deadline=None)
@given(messages)
def test_offsets_slice_the_input(message: str) -> None:
    entities = detect_entities(message)
    assert all(0 <= e.start < e.end <= len(message) and message[e.start : e.end].strip() for e in entities)
    assert all(left.end <= right.start for left, right in itertools.pairwise(entities))
