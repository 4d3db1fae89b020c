"""Phone numbers of any country when a word names the line, and digit runs that end at a line break."""

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneMetadata

from trustdesk.core.privacy.redaction import detect_entities
from trustdesk.core.privacy.redaction.recognizers import contact
from trustdesk.core.privacy.redaction.spoken import find_digit_runs


def found(text: str, language: str = "en") -> list[tuple[str, str]]:
    return [(text[e.start : e.end], e.label) for e in detect_entities(text, language=language)]


@pytest.mark.parametrize(
    ("text", "value", "language"),
    [
        ("They're not answering at 516 466 638", "516 466 638", "en"),  # Spain
        ("Can someone call me on 01.84.17.61.18? I have a question", "01.84.17.61.18", "en"),  # France
        ("Personal Info:\nPhone:\n60-56-85-91\n\nE-mail:", "60-56-85-91", "en"),  # Denmark
        ("Mobile: 03.93.92.16.85\n", "03.93.92.16.85", "en"),
        ("Desk: +41 (0)96 471 07 95\n", "+41 (0)96 471 07 95", "en"),  # possible, not valid
        ("Desk: +447700 921 916\n", "+447700 921 916", "en"),  # UK drama range
        ("APO AA 61487\n416 60 039 office\n", "416 60 039", "en"),
        ("085 175 7641-Office\\,3660170548-Fax", "3660170548", "en"),
        ("930.167.3943 fax\n+447700677662 mobile", "+447700677662", "en"),
        ("Mi móvil es el 78 651 450", "78 651 450", "es"),
        ("Meine Durchwahl: 0041 44 668 18 00", "0041 44 668 18 00", "de"),
        ("Mon fixe : 0032 2 123 45 67", "0032 2 123 45 67", "fr"),
    ],
)
def test_numbers_of_any_country_are_phones_when_a_word_names_the_line(
    text: str, value: str, language: str
) -> None:
    assert (value, "PHONE") in found(text, language)


@pytest.mark.parametrize(
    "text",
    [
        "We sold 516 466 638 units last year",  # no line named
        "There were 78 651 450 visitors",
        "Phone order 946892565 is late",  # the order cue wins
        "Phone me about invoice 01.84.17.61.18",
        "mobile card 4111 1111 1111 1111",  # a card stays a card
        "Phone updated on 12.05.2023",  # a date, named or not
        "Phone: 192.168.10.12",  # an IP address
        "Mobile plan 5 gives 516 466 638 minutes",  # other digits between the name and the number
        "516 466 638 offices",  # a label must be a word of its own
    ],
)
def test_line_words_do_not_make_other_numbers_phones(text: str) -> None:
    assert "PHONE" not in {label for _value, label in found(text)}


def test_a_line_name_vouches_only_for_the_next_number() -> None:
    spans = found("Phone: +1 415 555 0132 and 516 466 638 visits")
    assert ("+1 415 555 0132", "PHONE") in spans
    assert ("516 466 638", "PHONE") not in spans


def test_digit_runs_end_at_a_line_break() -> None:
    assert [run.digits for run in find_digit_runs("Portugal 30971\n21 253 109 8211")] == [
        "30971",
        "212531098211",
    ]
    assert [run.digits for run in find_digit_runs("four one\r\nfive six")] == ["41", "56"]
    assert [run.digits for run in find_digit_runs("4111 1111 (1111) 1111")] == ["4111111111111111"]


def test_a_postcode_above_a_phone_line_makes_no_card() -> None:
    spans = found(" Portugal 30971\n21 253 109 8211-Office\\,+447700 208 815-Fax")
    assert "CARD" not in {label for _value, label in spans}
    assert ("21 253 109 8211", "PHONE") in spans
    assert ("+447700 208 815", "PHONE") in spans


@pytest.mark.parametrize("text", ["call me on 01.84.17.61.18", "call me on 01.23.45.67.89"])
def test_dotted_national_numbers_are_not_read_as_dates_or_addresses(text: str) -> None:
    assert (text.removeprefix("call me on "), "PHONE") in found(text)


def _national_readings(digits: str, region: str) -> set[str]:
    """``digits`` as a national number of ``region``: as they are, or after the trunk prefix."""
    prefix = PhoneMetadata.metadata_for_region(region).national_prefix_for_parsing
    match = re.match(prefix, digits) if prefix else None
    return {digits} if match is None else {digits, digits[match.end() :]}


def _valid_national_number_somewhere(digits: str) -> bool:
    for region in phonenumbers.SUPPORTED_REGIONS:
        try:
            parsed = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        national = phonenumbers.national_significant_number(parsed)
        if phonenumbers.is_valid_number(parsed) and national in _national_readings(digits, region):
            return True
    return False


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789", min_size=7, max_size=15))
def test_any_region_check_agrees_with_phonenumbers_over_every_region(digits: str) -> None:
    # Without a plus sign or "00", digits are read as dialled inside a country, trunk prefix included.
    assert contact._is_valid_in_some_region(digits) == _valid_national_number_somewhere(digits)


def test_every_region_s_example_numbers_are_valid_somewhere_as_dialled_at_home() -> None:
    accepted = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        if example is None:
            continue
        national = "".join(
            char
            for char in phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
            if char.isdigit()
        )
        if phonenumbers.is_valid_number(phonenumbers.parse(national, region)):
            accepted += 1
            assert contact.is_phone_number_anywhere(national, has_plus=False), (region, national)
    assert accepted > 200


def test_international_numbers_need_only_a_possible_length_when_named() -> None:
    assert contact.is_phone_number_anywhere("447700921916", has_plus=True)
    assert contact.is_phone_number_anywhere("00447700921916", has_plus=False)
    assert not contact.is_phone_number_anywhere("44770", has_plus=True)
