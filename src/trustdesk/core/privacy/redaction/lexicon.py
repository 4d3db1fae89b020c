"""Shipped word lists: cue phrases per language (``data/cues/<lang>.toml``) and health vocabularies.

Loaded lazily from the package through importlib.resources and cached, never from the working directory.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import regex

from trustdesk.core.privacy.redaction.patterns import TextPattern

SUPPORTED_LANGUAGES = ("en", "es", "fr", "de", "pt")
_DATA = "trustdesk.core.privacy.redaction.data"


# Gate tokens: letters and digits apart, so a cue word glued to a number ("cvv123") is still a token.
_WORD_TOKEN = TextPattern(r"[^\W\d_]+|\d+", regex.UNICODE)


# Compared by identity: each set is built once per language and key, and views memoise answers per set.
@dataclass(frozen=True, eq=False)
class CueSet:
    """A compiled alternation of cue phrases, matched case-insensitively on word boundaries."""

    phrases: tuple[str, ...]
    pattern: TextPattern
    # Case-folded first token of every phrase; None when some phrase starts with neither a letter nor a digit.
    first_words: frozenset[str] | None = None
    # Compiles a subset of the phrases the way ``pattern`` was compiled (``patterns_among``).
    compile_subset: Callable[[tuple[str, ...]], TextPattern] | None = None
    _by_first_word: dict[str, TextPattern] = field(default_factory=dict, repr=False)

    def occurs_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None

    def may_occur_among(self, words: frozenset[str]) -> bool:
        """Cheap gate: False only when no phrase can start at any of ``words`` (see ``fold_words``)."""
        return self.first_words is None or not self.first_words.isdisjoint(words)

    def patterns_among(self, words: frozenset[str]) -> tuple[TextPattern, ...]:
        """Patterns that together find every phrase occurring in a text with these folded words: one per
        first word among them, each the alternation of the phrases starting with it (the others cannot
        occur, see ``fold_words``), so a long alternation is scanned as a few short ones. Empty when no
        phrase can occur. Each is compiled on first use, at most one per first word."""
        if self.first_words is None or self.compile_subset is None:
            return (self.pattern,) if self.may_occur_among(words) else ()
        return tuple(self._pattern_for(word) for word in self.first_words.intersection(words))

    def _pattern_for(self, first_word: str) -> TextPattern:
        found = self._by_first_word.get(first_word)
        if found is None:
            chosen = tuple(phrase for phrase in self.phrases if first_token(phrase) == first_word)
            found = self._by_first_word[first_word] = self.compile_subset(chosen)
        return found


def first_match(patterns: tuple[TextPattern, ...], text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
    """The leftmost match of any of ``patterns`` (phrases of one set split by first word, ``patterns_among``).

    Phrases starting at one position all start with the word found there, so only one of the patterns
    can match at any position: the leftmost match among them is the match of the whole alternation.
    """
    best = None
    for pattern in patterns:
        match = pattern.search(text, pos, endpos)
        if match is not None and (best is None or match.start() < best.start()):
            best = match
    return best


def iter_matches(patterns: tuple[TextPattern, ...], text: str, pos: int = 0) -> Iterator[Any]:
    """The matches the whole alternation would find from ``pos`` on (non-overlapping, left to right)."""
    if len(patterns) == 1:
        yield from patterns[0].finditer(text, pos)
        return
    while (match := first_match(patterns, text, pos)) is not None:
        yield match
        pos = match.end()


def fold_words(text: str, pos: int = 0) -> frozenset[str]:
    """The case-folded word tokens of ``text`` from ``pos`` on, for ``CueSet.may_occur_among``."""
    # A phrase matched case-insensitively starts at a word start, and its first token (letters or digits)
    # ends where the phrase turns to the other class or to a non-word character, or where the phrase ends
    # (followed by a non-word character, or by the digits a window ends on), so its folded first token is
    # one of these tokens. Case folding maps letters to letters and marks and leaves every other
    # character alone (and, unlike lower-casing, has no context rules), so cutting the folded text gives
    # the folded tokens of the text.
    return frozenset(_WORD_TOKEN.findall((text[pos:] if pos else text).casefold()))


def first_words(phrases: tuple[str, ...]) -> frozenset[str] | None:
    """The case-folded first tokens of ``phrases`` (None when one starts with no letter or digit)."""
    words = [first_token(phrase) for phrase in phrases]
    return None if None in words else frozenset(words)


def first_token(phrase: str) -> str | None:
    """The case-folded token ``phrase`` starts with, as ``fold_words`` cuts it (None: no such token)."""
    match = _WORD_TOKEN.match(phrase)
    return None if match is None else match.group().casefold()


@lru_cache(maxsize=256)
def language_or_default(language: str) -> str:
    """The cue language used for ``language`` (its primary subtag; English when unsupported)."""
    primary = language.lower().split("-")[0].split("_")[0]
    return primary if primary in SUPPORTED_LANGUAGES else "en"


@cache
def load_cues(language: str) -> dict[str, tuple[str, ...]]:
    """Cue lists of one language, each merged with the English list (mixed-language calls are common)."""
    cues = _read_cue_file(language)
    if language != "en":
        english = _read_cue_file("en")
        for key in (
            "card",
            "cvv",
            "expiry",
            "date_of_birth",
            "account_number",
            "bank_account",
            "national_id",
            "phone",
        ):
            cues[key] = cues.get(key, ()) + english.get(key, ())
    return cues


def _read_cue_file(language: str) -> dict[str, tuple[str, ...]]:
    raw = (resources.files(_DATA) / "cues" / f"{language}.toml").read_text(encoding="utf-8")
    return {key: tuple(dict.fromkeys(values)) for key, values in tomllib.loads(raw).items()}


@cache
def cue_set(language: str, key: str) -> CueSet:
    """The compiled cue set ``key`` (e.g. "cvv") for ``language``."""
    return phrase_set(load_cues(language).get(key, ()))


@cache
def health_terms(language: str) -> CueSet:
    """The curated health vocabulary of ``language`` as a compiled set."""
    raw = (resources.files(_DATA) / "health" / f"{language}.txt").read_text(encoding="utf-8")
    terms = tuple(line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#"))
    return phrase_set(terms)


def phrase_set(phrases: tuple[str, ...]) -> CueSet:
    """``phrases`` compiled with ``compile_phrases``."""
    return CueSet(phrases, compile_phrases(phrases), first_words(phrases), compile_phrases)


def compile_phrases(phrases: tuple[str, ...]) -> TextPattern:
    """One alternation, longest phrase first, with word boundaries that tolerate trailing punctuation."""
    ordered = sorted(phrases, key=lambda phrase: (-len(phrase), phrase))
    body = "|".join(regex.escape(phrase).replace(r"\ ", r"\s+") for phrase in ordered) or r"(?!)"
    return TextPattern(rf"(?<![\w#])(?:{body})(?![\w])", regex.IGNORECASE | regex.UNICODE)
