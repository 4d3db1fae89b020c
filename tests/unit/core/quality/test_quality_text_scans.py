"""The scans that run on every turn take faster paths for common text (ASCII, Latin-1, the stdlib engine);
each must find exactly what its general definition finds, on any text."""

from __future__ import annotations

import re
import unicodedata

import regex
from hypothesis import example, given
from hypothesis import strategies as st

from trustdesk.core.quality.criteria.written import caps_words, spelling_words
from trustdesk.core.quality.language import detect_language
from trustdesk.core.quality.phrases import fold_text, text_words
from trustdesk.core.quality.transcript import sentence_span

# The definitions, written with Unicode properties in the ``regex`` engine.
CAPS_WORD = regex.compile(r"(?<![\[\w])\p{Lu}{4,}(?![\]\w])")
SPELL_WORD = regex.compile(r"(?<![\[\w@/.])\p{Ll}[\p{Ll}']+(?![\]\w@/])")
SENTENCE_END = regex.compile(r"(?<=[.!?])\s+")

# Characters where the fast paths and the definitions could part: case, accents beyond Latin-1, letters
# that are not ASCII, the separators U+001C-U+001F (whitespace to stdlib, not to ``regex``), other spaces.
_TRICKY = "aZ'_[]@/.!? 4\t\n\x1c\x1f\x85\xa0\u2028\u3000éÉßÿŁłİıǅ²ΣσДд"
_ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=127), max_size=80)
_ANY_TEXT = st.text(alphabet=st.one_of(st.sampled_from(_TRICKY), st.characters()), max_size=80)
_WORDY_TEXT = st.lists(
    st.sampled_from(["HELLO", "Refund", "card", "it's", "[CARD]", "me@x.io", "a/b", "ÉTÉ", "NOW!", "ok."]),
    max_size=12,
).map(" ".join)


@given(st.one_of(_ASCII_TEXT, _ANY_TEXT, _WORDY_TEXT))
@example("STOP SHOUTING] [CARD] AT ME_NOW please")
@example("naïve [iban] user@mail.com ok/then don't")
def test_caps_and_spelling_words_are_those_of_the_unicode_definitions(text):
    assert caps_words(text) == CAPS_WORD.findall(text)
    assert spelling_words(text) == SPELL_WORD.findall(text)


@given(st.one_of(_ASCII_TEXT, _ANY_TEXT, _WORDY_TEXT), st.integers(min_value=0, max_value=80))
@example("Done.\x1cNext one? Yes.\u2028Bye", 8)
@example("Hi.   there. Bye!", 4)
def test_sentence_span_splits_where_the_unicode_definition_does(text, position):
    position = min(position, len(text))
    start = 0
    for boundary in SENTENCE_END.finditer(text):
        if boundary.end() > position:
            break
        start = boundary.end()
    following = SENTENCE_END.search(text, position)
    assert sentence_span(text, position) == (start, following.start() if following else len(text))


def _fold_by_definition(text: str) -> str:
    # Each Latin letter U+00C0-U+024F that decomposes to an ASCII base letter becomes that letter.
    def base(char: str) -> str:
        decomposed = unicodedata.normalize("NFKD", char)[0]
        is_folded = "\u00c0" <= char <= "\u024f" and decomposed != char and decomposed.isascii()
        return decomposed if is_folded else char

    stripped = "".join(base(char) for char in text)
    return stripped.lower() if len(stripped.lower()) == len(text) else stripped


@given(st.one_of(_ANY_TEXT, st.text(alphabet=st.characters(max_codepoint=0x24F), max_size=80)))
def test_fold_text_strips_accents_and_lowers_any_text(text):
    assert fold_text(text) == _fold_by_definition(text)


def test_too_few_letters_are_too_short_to_tell_ascii_or_not():
    # Words are runs of letters: digits and signs between them neither count nor join them.
    assert detect_language("ok 12 -- ?? yes") is None
    assert detect_language("ça 12 -- ?? été") is None


@given(st.one_of(_ASCII_TEXT, _ANY_TEXT, _WORDY_TEXT))
@example("it's_ok, [CARD] 4-5 x\x1fy")
def test_text_words_are_the_runs_of_word_characters(text):
    assert text_words(text) == frozenset(re.findall(r"\w+", text))
