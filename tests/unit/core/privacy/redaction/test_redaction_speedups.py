"""The shortcuts that keep detection fast must never change what it finds.

Each shortcut is held to the slow path it replaces: ``re`` twins of ``regex`` patterns on ASCII text,
cue sets scanned per first word, and the metadata pre-check before ``phonenumbers`` parses a number.
"""

import random

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.privacy.redaction import detect_entities
from trustdesk.core.privacy.redaction.lexicon import (
    SUPPORTED_LANGUAGES,
    cue_set,
    fold_words,
    health_terms,
    iter_matches,
)
from trustdesk.core.privacy.redaction.patterns import TextPattern, ascii_source
from trustdesk.core.privacy.redaction.recognizers import contact

# Pieces of customer messages that the patterns look for, and the characters between them.
FRAGMENTS = [
    "my name is", "Mr.", "Ana Ruiz", "card", "cvv", "4111 1111 1111 1111", "09/27", "12 Main Street",
    "Apt 4", "Suite 757", "PSC 1234, Box 5678 APO AE 09876", "the corner of", "and", "Koskikatu 25",
    "john dot smith at example dot com", "a@b.co", "192.168.0.1", "fe80::1", "GB82 WEST 1234 5698 7654 32",
    "QQ 12 34 56 C", "ABCDE1234F", "12345678Z", "born on", "1990-04-12", "March 3, 1980", "diabetes",
    "insulin", "four one one", "double five", "uh", "oh", "rue de la Paix", "calle Mayor 5", "order",
    "account number", "sort code", "+44 20 7946 0958", "(415) 555-0132", "NHS", "Hi Jannie,", "this is",
]
SEPARATORS = [" ", " ", ", ", ". ", "\n", "-", "/", ":", "'", "\t", "\x1c", "  ", ""]
noise = st.text(alphabet="aZ09 .,-'@\n", max_size=6)
ascii_messages = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS), noise), max_size=14
).map("".join)
messages = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS), st.text(max_size=5)), max_size=12
).map("".join)


def _build_every_language() -> None:
    for language in SUPPORTED_LANGUAGES:
        detect_entities(" ".join(FRAGMENTS), language=language, known_names=("Ana Ruiz",))


@settings(max_examples=150, deadline=None)
@given(ascii_messages)
def test_re_twins_find_what_the_regex_patterns_find_on_ascii_text(text: str) -> None:
    _build_every_language()
    for pattern in list(TextPattern.ALL):
        if pattern.ascii is None:
            continue
        expected = [(m.span(), m.groups()) for m in pattern.unicode.finditer(text)]
        assert [(m.span(), m.groups()) for m in pattern.ascii.finditer(text)] == expected, pattern.source


def test_non_ascii_text_always_goes_to_the_regex_pattern() -> None:
    pattern = TextPattern(r"\p{Lu}\p{Ll}+")
    assert pattern.engine_for("Émile") is pattern.unicode
    assert pattern.engine_for("Emile") is pattern.ascii
    assert [m.group() for m in pattern.finditer("Émile et Zoë")] == ["Émile", "Zoë"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\p{Lu}[\p{L}\p{M}'\-]*+", r"[A-Z][A-Za-z'\-]*+"),
        (r"[\s,]+\S", "[\\t\\n\\x0b\\x0c\\r ,]+[^\\t\\n\\x0b\\x0c\\r ]"),
        (r"\p{M}", "(?!)"),
    ],
)
def test_ascii_source_spells_out_unicode_classes(source: str, expected: str) -> None:
    assert ascii_source(source) == expected


def test_a_pattern_without_an_ascii_form_keeps_only_the_regex_engine() -> None:
    # Variable-width lookbehind: the re engine refuses it.
    assert TextPattern(r"(?<=(?i:strasse|weg))\s+\d").ascii is None
    with pytest.raises(ValueError):
        ascii_source(r"[\p{M}]")


@settings(max_examples=150, deadline=None)
@given(messages, st.sampled_from(SUPPORTED_LANGUAGES))
def test_cue_sets_scanned_per_first_word_match_the_whole_alternation(text: str, language: str) -> None:
    words = fold_words(text)
    for cues in (*(cue_set(language, key) for key in ("card", "cvv", "address")), health_terms(language)):
        for phrase in cues.phrases[:15]:
            for candidate in (text + " " + phrase + " " + text, phrase.upper() + text):
                expected = [m.span() for m in cues.pattern.finditer(candidate)]
                patterns = cues.patterns_among(fold_words(candidate))
                found = [m.span() for m in iter_matches(patterns, candidate)]
                assert found == expected
        assert [m.span() for m in iter_matches(cues.patterns_among(words), text)] == [
            m.span() for m in cues.pattern.finditer(text)
        ]


def _example_numbers() -> list[tuple[str, str | None]]:
    """National and international digit strings of every region's example numbers, some digits changed."""
    rng = random.Random(7)
    regions = sorted({region for regions in contact.PHONE_REGIONS.values() for region in regions})
    numbers: list[tuple[str, str | None]] = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for number_type in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is None:
                continue
            national_format = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
            national = "".join(char for char in national_format if char.isdigit())
            international = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)[1:]
            for digits in (national, international, "00" + international):
                changed = list(digits)
                changed[rng.randrange(len(changed))] = str(rng.randrange(10))
                for candidate in (digits, "".join(changed)):
                    numbers.append(("+" + candidate, None))
                    numbers.append((candidate, rng.choice(regions)))
    return numbers


def test_phone_pre_check_never_rejects_a_number_phonenumbers_accepts() -> None:
    accepted = 0
    for number, region in _example_numbers():
        try:
            valid = phonenumbers.is_valid_number(phonenumbers.parse(number, region))
        except phonenumbers.NumberParseException:
            valid = False
        if valid:
            accepted += 1
            assert contact._may_be_valid(number, region), (number, region)
    assert accepted > 500


def test_phone_pre_check_rejects_digits_that_cannot_be_a_number_of_the_region() -> None:
    # An amount read as a British number, and a run of ones as a US number: neither ends like a valid one.
    assert not contact._may_be_valid("516975346851", "GB")
    assert not contact._may_be_valid("1111111111", "US")
    assert contact._may_be_valid("4155550132", "US")
