"""The shortcuts that keep detection fast must never change what it finds.

Each shortcut is held to the slow path it replaces: ``re`` twins of ``regex`` patterns on the text they read,
cue phrases matched only where their first words start, and the metadata pre-check before ``phonenumbers``
parses a number.
"""

import random
import re

import phonenumbers
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.privacy.redaction import detect_entities, prepare
from trustdesk.core.privacy.redaction.lexicon import (
    SUPPORTED_LANGUAGES,
    CueSet,
    cue_set,
    health_terms,
)
from trustdesk.core.privacy.redaction.patterns import TWIN_ALPHABET, TextPattern, reads_as_twin, twin_source
from trustdesk.core.privacy.redaction.recognizers import contact, free_names, persons
from trustdesk.core.privacy.redaction.registry import build_view

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
# Letters, spaces and punctuation beyond ASCII that the twins read, some of them glued to the fragments.
beyond_ascii = st.text(alphabet=TWIN_ALPHABET[0x80:] + "aZ09 .,-'\n", max_size=6)
twin_messages = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS), beyond_ascii, noise), max_size=14
).map("".join)
messages = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS), st.text(max_size=5)), max_size=12
).map("".join)


def _build_every_language() -> None:
    for language in SUPPORTED_LANGUAGES:
        detect_entities(" ".join(FRAGMENTS), language=language, known_names=("Ana Ruiz",))


def _assert_twins_match(text: str) -> None:
    _build_every_language()
    for pattern in list(TextPattern.ALL):
        if pattern.twin is None:
            continue
        expected = [(m.span(), m.groups()) for m in pattern.unicode.finditer(text)]
        assert [(m.span(), m.groups()) for m in pattern.twin.finditer(text)] == expected, pattern.source


@settings(max_examples=150, deadline=None)
@given(ascii_messages)
def test_re_twins_find_what_the_regex_patterns_find_on_ascii_text(text: str) -> None:
    _assert_twins_match(text)


@settings(max_examples=150, deadline=None)
@given(twin_messages)
def test_re_twins_find_what_the_regex_patterns_find_on_latin_text(text: str) -> None:
    assert reads_as_twin(text)
    _assert_twins_match(text)
    _assert_twins_match(text.upper())


def test_every_twin_character_is_read_alike_by_both_engines() -> None:
    letters = [char for char in TWIN_ALPHABET if char.isalpha()]
    for char in TWIN_ALPHABET:
        for construct in (r"\w", r"\d", r"\s", r"\b", r"\p{Lu}", r"\p{Ll}", r"\p{L}", r"\p{N}", r"\p{M}"):
            for flags in (0, regex.IGNORECASE):
                expected = regex.compile(construct, flags | regex.UNICODE).search(char) is not None
                found = TextPattern(construct, flags).twin.search(char) is not None
                assert found == expected, (hex(ord(char)), construct, flags)
    for char in letters:
        same_case_regex = {other for other in letters if regex.fullmatch(regex.escape(char), other, regex.I)}
        same_case_re = {other for other in letters if re.fullmatch(re.escape(char), other, re.I)}
        assert same_case_re == same_case_regex, hex(ord(char))


def test_text_beyond_the_twin_alphabet_goes_to_the_regex_pattern() -> None:
    pattern = TextPattern(r"\p{Lu}\p{Ll}+")
    assert pattern.engine_for("Emile") is pattern.twin
    assert pattern.engine_for("Émile") is pattern.twin
    assert pattern.engine_for("Σοφία") is pattern.twin
    assert pattern.engine_for("Straße") is pattern.unicode
    assert pattern.engine_for("Σοφίας") is pattern.unicode
    assert pattern.engine_for("東京") is pattern.unicode
    assert [m.group() for m in pattern.finditer("Émile et Zoë, Łukasz")] == ["Émile", "Zoë", "Łukasz"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\p{N}\d\p{M}", r"[0-9]\d(?!)"),
        (r"[\s,]+\S", "[\\t\\n\\x0b\\x0c\\r \xa0,]+[^\\t\\n\\x0b\\x0c\\r \xa0]"),
        (r"\p{M}", "(?!)"),
    ],
)
def test_twin_source_spells_out_unicode_classes(source: str, expected: str) -> None:
    assert twin_source(source) == expected


def test_a_pattern_without_an_ascii_form_keeps_only_the_regex_engine() -> None:
    # Variable-width lookbehind: the re engine refuses it.
    assert TextPattern(r"(?<=(?i:strasse|weg))\s+\d").twin is None
    with pytest.raises(ValueError):
        twin_source(r"[\p{M}]")


# Two characters of one token: two letters or two digits (``lexicon``'s gate tokens).
_TOKEN_CHARACTER = regex.compile(r"[^\W\d_]{2}|\d{2}")


def _assert_view_reads_cues_as_a_scan_does(text: str, cues: CueSet, context: str = "") -> None:
    whole = context + text
    view = build_view(whole, language="en", focus_start=len(context))
    pattern = cues.pattern
    expected = [m.span() for m in pattern.finditer(whole, len(context))]
    assert [m.span() for m in view.cue_matches(cues)] == expected
    assert view.mentions(cues) == (pattern.search(whole) is not None)
    # Callers ask before a number or a word, never from inside one, as the engine's own tokens read them:
    # ``regex`` may know letters of a newer Unicode than ``str.isalnum`` does.
    for position in range(len(whole) + 1):
        before, after = whole[position - 1 : position], whole[position : position + 1]
        if _TOKEN_CHARACTER.fullmatch(before + after):
            continue
        expected = pattern.search(whole, max(0, position - 24), position) is not None
        assert view.cue_before(cues, position, 24) == expected, position


@settings(max_examples=150, deadline=None)
@given(messages, st.sampled_from(SUPPORTED_LANGUAGES))
def test_cue_phrases_matched_at_their_first_words_are_what_a_scan_finds(text: str, language: str) -> None:
    strong, weak, honorific, _ = persons._cue_patterns(language)
    keyed = tuple(cue_set(language, key) for key in ("card", "cvv", "address"))
    sets = (*keyed, health_terms(language), weak, honorific)
    for cues in sets:
        for phrase in cues.phrases[:8]:
            for candidate in (text + " " + phrase + " " + text, phrase.upper() + text, text + phrase + "123"):
                _assert_view_reads_cues_as_a_scan_does(candidate, cues)
        _assert_view_reads_cues_as_a_scan_does(text, cues)
        _assert_view_reads_cues_as_a_scan_does(text, cues, context=cues.phrases[0] + " " + text + "\n|\n")


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


def test_phone_pre_check_accepts_every_written_form_of_each_region_s_own_numbers() -> None:
    # National numbers as dialled at home: alone, after the trunk prefix, after the country code, both.
    accepted = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        for number_type in phonenumbers.PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is None:
                continue
            national = phonenumbers.national_significant_number(example)
            code = str(example.country_code)
            trunk = metadata.national_prefix or ""
            forms = {national, trunk + national, code + national, code + trunk + national, "1" + national}
            for digits in forms:
                try:
                    valid = phonenumbers.is_valid_number(phonenumbers.parse(digits, region))
                except phonenumbers.NumberParseException:
                    valid = False
                if valid:
                    accepted += 1
                    assert contact._may_be_valid(digits, region), (digits, region)
    assert accepted > 1000


def test_phone_pre_check_rejects_digits_that_cannot_be_a_number_of_the_region() -> None:
    # An amount read as a British number, and a run of ones as a US number: neither ends like a valid one.
    assert not contact._may_be_valid("516975346851", "GB")
    assert not contact._may_be_valid("1111111111", "US")
    assert contact._may_be_valid("4155550132", "US")
    # A longer run is no US number because its last ten digits would be one: the parser strips no such prefix.
    assert not contact._may_be_valid("508850989320", "US")



@given(st.text(alphabet="aZé9'- -_.\n", max_size=30))
def test_name_words_are_the_words_the_letter_by_letter_pattern_finds(text: str) -> None:
    letter_by_letter = regex.compile(r"[^\W\d_](?:[^\W\d_]|['\-](?=[^\W\d_]))*")
    expected = [m.span() for m in letter_by_letter.finditer(text)]
    assert [m.span() for m in persons._WORD.finditer(text)] == expected
    window = [m.span() for m in letter_by_letter.finditer(text, 1, 9)]
    assert [m.span() for m in persons._WORD.finditer(text, 1, 9)] == window


def test_prepare_compiles_the_regex_form_of_every_pattern() -> None:
    prepare(("en", "de"))
    assert all(pattern._unicode is not None for pattern in list(TextPattern.ALL))


@settings(max_examples=100, deadline=None)
@given(twin_messages, st.sampled_from(SUPPORTED_LANGUAGES))
def test_cue_tries_match_what_the_cue_patterns_match_on_twin_text(text: str, language: str) -> None:
    reading = persons._cue_reading(language)
    pairs = (
        (reading.strong_twin, reading.strong),
        (reading.weak_twin, reading.weak),
        (reading.honorific_twin, reading.honorific),
    )
    for trie, cues in pairs:
        for candidate in (text, cues.phrases[0] + " " + text, text + " " + cues.phrases[-1].upper() + " Ana"):
            expected = [m.span() for m in cues.pattern.unicode.finditer(candidate)]
            assert [m.span() for m in trie.finditer(candidate)] == expected


@settings(max_examples=150, deadline=None)
@given(ascii_messages)
def test_ascii_name_runs_are_the_name_runs_of_ascii_text(text: str) -> None:
    for candidate in (text, text.title()):
        expected = [m.span() for m in free_names._NAME_RUN.unicode.finditer(candidate)]
        assert [m.span() for m in free_names._NAME_RUN_ASCII.finditer(candidate)] == expected
