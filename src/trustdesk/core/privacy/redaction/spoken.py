"""Digits as people say and type them: written groups, number words, "oh" for zero, "double five".

Every digit token keeps its character span, so a value recognised in canonical form (``4111111111111111``)
maps back to the exact words that carried it ("four one one one ...").
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import regex

from trustdesk.core.privacy.redaction.lexicon import fold_words
from trustdesk.core.privacy.redaction.patterns import TextPattern

# Digit words per language; "oh"/"o" are how English speakers read zeros in card and phone numbers.
# English words are recognised in every language: agents and customers switch when reading numbers.
_ENGLISH_DIGITS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
DIGIT_WORDS_BY_LANGUAGE: dict[str, dict[str, str]] = {
    "en": _ENGLISH_DIGITS,
    "es": {
        "cero": "0",
        "uno": "1",
        "una": "1",
        "dos": "2",
        "tres": "3",
        "cuatro": "4",
        "cinco": "5",
        "seis": "6",
        "siete": "7",
        "ocho": "8",
        "nueve": "9",
    },
    "fr": {
        "zéro": "0",
        "zero": "0",
        "un": "1",
        "une": "1",
        "deux": "2",
        "trois": "3",
        "quatre": "4",
        "cinq": "5",
        "six": "6",
        "sept": "7",
        "huit": "8",
        "neuf": "9",
    },
    "de": {
        "null": "0",
        "eins": "1",
        "zwei": "2",
        "zwo": "2",
        "drei": "3",
        "vier": "4",
        "fünf": "5",
        "sechs": "6",
        "sieben": "7",
        "acht": "8",
        "neun": "9",
    },
    "pt": {
        "zero": "0",
        "um": "1",
        "uma": "1",
        "dois": "2",
        "duas": "2",
        "três": "3",
        "tres": "3",
        "quatro": "4",
        "cinco": "5",
        "seis": "6",
        "sete": "7",
        "oito": "8",
        "nove": "9",
    },
}
REPEAT_WORDS: dict[str, int] = {"double": 2, "triple": 3, "doble": 2, "doppel": 2, "dupla": 2}
# Words a speaker drops between digit groups without ending the number.
FILLER_WORDS = frozenset({"uh", "um", "er", "erm", "ah", "dash", "hyphen", "space", "then"})

_REPEAT_WORD = TextPattern(
    rf"(?<![\w'])(?:{'|'.join(REPEAT_WORDS)})(?![\w'])", regex.IGNORECASE | regex.UNICODE
)
_SEPARATOR_GAP = TextPattern(r"[\s\-.()\u00a0,]*")
_LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Placeholders and pseudonyms written by this package: never re-read as data.
REDACTION_MARK = TextPattern(r"\[[A-Z_]+(?::[0-9a-f]{8})?\]|\*{3,}\w{0,4}")


class DigitToken(NamedTuple):
    """One written digit group or one spoken digit word, with its span in the text."""

    start: int
    end: int
    digits: str
    is_spoken: bool


class DigitRun(NamedTuple):
    """Digit tokens that read as one number: only separators, fillers or line ends between them.

    Build it with ``DigitRun.of(tokens)``: span, digits and spoken flag are derived once, since every
    recognizer reads them.
    """

    tokens: tuple[DigitToken, ...]
    start: int
    end: int
    digits: str
    has_spoken: bool

    @classmethod
    def of(cls, tokens: tuple[DigitToken, ...]) -> DigitRun:
        return cls(
            tokens,
            tokens[0].start,
            tokens[-1].end,
            "".join([token.digits for token in tokens]),
            any(token.is_spoken for token in tokens),
        )


class DigitScan(NamedTuple):
    """The digit runs of one text, and the repeat word ("double") left waiting for a digit at its end."""

    runs: tuple[DigitRun, ...]
    pending_repeat: int


def find_digit_runs(text: str, *, language: str = "en") -> list[DigitRun]:
    """Maximal runs of written or spoken digits, in text order."""
    return list(scan_digit_runs(text, language=language).runs)


def scan_digit_runs(
    text: str, *, language: str = "en", pending_repeat: int = 1, words: frozenset[str] | None = None
) -> DigitScan:
    """Like ``find_digit_runs``, continuing after a text that ended on a repeat word (``pending_repeat``).

    Reading ``a`` and then ``b`` this way gives the runs of ``a`` joined to ``b`` by a line that is not a
    separator, so a context line and a turn can be read once each instead of once per pair. ``words`` are
    the text's folded words (``lexicon.fold_words``) when the caller already has them.
    """
    has_written_digit = _ASCII_DIGIT.search(text) is not None
    if words is None and not has_written_digit:
        words = fold_words(text)
    if words is not None and _number_words(language).isdisjoint(words):
        # No digit, repeat or filler word: the digit groups alone make the runs.
        return DigitScan(_written_runs(text), 1) if has_written_digit else DigitScan((), pending_repeat)
    digit_words = _digit_words_for(language)
    runs: list[DigitRun] = []
    current: list[DigitToken] = []
    last_end = 0
    # Only digit groups, digit words, repeat words and fillers are visited: everything else in the gap
    # between two of them ends the run, which the gap check below sees without a Python-level word loop.
    for match in _number_token_pattern(language).finditer(text):
        start = match.start()
        if current and not _is_separator_gap(text[last_end:start]):
            runs.append(DigitRun.of(tuple(current)))
            current = []
            pending_repeat = 1
        word = match.group()
        if word[0] in _ASCII_DIGITS:
            current.append(DigitToken(start, match.end(), word, False))
            pending_repeat = 1
            last_end = match.end()
            continue
        lowered = word.lower()
        digit = digit_words.get(lowered)
        # A lone "o" is a zero only inside a number already started ("four o five").
        if digit is not None and (current or lowered != "o"):
            current.append(DigitToken(start, match.end(), digit * pending_repeat, True))
            pending_repeat = 1
            last_end = match.end()
        elif lowered in REPEAT_WORDS:
            pending_repeat = REPEAT_WORDS[lowered]
            if current:
                last_end = match.end()
        elif current and lowered in FILLER_WORDS:
            last_end = match.end()
    if current:
        runs.append(DigitRun.of(tuple(current)))
        # The next text starts after a line break, which ends this run and the repeat it was waiting for.
        pending_repeat = 1
    return DigitScan(tuple(runs), pending_repeat)


def _written_runs(text: str) -> tuple[DigitRun, ...]:
    """The runs of a text whose only number tokens are written digit groups (the common case)."""
    runs: list[DigitRun] = []
    current: list[DigitToken] = []
    last_end = 0
    for match in _DIGIT_GROUP.finditer(text):
        start, end = match.span()
        if current and not _is_separator_gap(text[last_end:start]):
            runs.append(_written_run(current))
            current = []
        current.append(DigitToken(start, end, match.group(), False))
        last_end = end
    if current:
        runs.append(_written_run(current))
    return tuple(runs)


def _written_run(tokens: list[DigitToken]) -> DigitRun:
    return DigitRun(tuple(tokens), tokens[0].start, tokens[-1].end, "".join([t.digits for t in tokens]), False)


_ASCII_DIGITS = frozenset("0123456789")
_ASCII_DIGIT = re.compile("[0-9]")
_DIGIT_GROUP = re.compile("[0-9]+")


def mentions_repeat_word(text: str) -> bool:
    """Whether ``text`` says a repeat word ("double", "triple"...) as a word of its own."""
    return _REPEAT_WORD.search(text) is not None


def shift_runs(runs: tuple[DigitRun, ...], offset: int) -> tuple[DigitRun, ...]:
    """``runs`` with every span moved by ``offset`` characters (a text read after a prefix)."""
    return tuple(
        DigitRun.of(tuple(t._replace(start=t.start + offset, end=t.end + offset) for t in run.tokens))
        for run in runs
    )


@cache
def _number_token_pattern(language: str) -> TextPattern:
    words = sorted(set(_digit_words_for(language)) | set(REPEAT_WORDS) | FILLER_WORDS, key=len, reverse=True)
    alternation = "|".join(regex.escape(word) for word in words)
    return TextPattern(rf"[0-9]+|(?<![\w'])(?:{alternation})(?![\w'])", regex.IGNORECASE | regex.UNICODE)


@cache
def _number_words(language: str) -> frozenset[str]:
    """Case-folded digit, repeat and filler words: a text holding none of them has only written digits."""
    return frozenset(word.casefold() for word in (*_digit_words_for(language), *REPEAT_WORDS, *FILLER_WORDS))


@cache
def _digit_words_for(language: str) -> dict[str, str]:
    words = dict(DIGIT_WORDS_BY_LANGUAGE.get(language, {}))
    for word, digit in _ENGLISH_DIGITS.items():
        words.setdefault(word, digit)
    if language != "en":
        # "o" is "or" in Spanish and Portuguese; "um" is one in Portuguese but a filler in English.
        words.pop("o", None)
    return words


def _is_separator_gap(gap: str) -> bool:
    """Whether the text between two number tokens keeps them in one number (spaces, dashes, dots, commas).

    A line break ends a number: lines of a signature or an address block ("Portugal 30971" above
    "21 253 109 8211") are separate values.
    """
    if gap == " ":
        return True
    return len(gap) <= 6 and _SEPARATOR_GAP.fullmatch(gap) is not None and _LINE_BREAK.search(gap) is None
