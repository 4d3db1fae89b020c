"""Shipped word lists: cue phrases per language (``data/cues/<lang>.toml``) and health vocabularies.

Loaded lazily from the package through importlib.resources and cached, never from the working directory.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

SUPPORTED_LANGUAGES = ("en", "es", "fr", "de", "pt")
_DATA = "trustdesk.core.privacy.redaction.data"


_WORD_TOKEN = regex.compile(r"\w+", regex.UNICODE)


@dataclass(frozen=True)
class CueSet:
    """A compiled alternation of cue phrases, matched case-insensitively on word boundaries."""

    phrases: tuple[str, ...]
    pattern: regex.Pattern[str]
    # Case-folded first word of every phrase; None when some phrase does not start with a word character.
    first_words: frozenset[str] | None = None

    def occurs_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None

    def may_occur_among(self, words: frozenset[str]) -> bool:
        """Cheap gate: False only when no phrase can start at any of ``words`` (see ``fold_words``)."""
        return self.first_words is None or not self.first_words.isdisjoint(words)


def fold_words(text: str, pos: int = 0) -> frozenset[str]:
    """The case-folded word tokens of ``text`` from ``pos`` on, for ``CueSet.may_occur_among``."""
    # A phrase matched case-insensitively starts at a word start and its first word ends at a non-word
    # character, so its folded first word is one of these tokens. Folding the joined tokens equals folding
    # each one (case folding, unlike lower-casing, has no context rules).
    return frozenset("\n".join(_WORD_TOKEN.findall(text, pos)).casefold().split("\n"))


def first_words(phrases: tuple[str, ...]) -> frozenset[str] | None:
    """The case-folded first words of ``phrases`` (None when one of them starts with a non-word character)."""
    words = set()
    for phrase in phrases:
        match = _WORD_TOKEN.match(phrase)
        if match is None:
            return None
        words.add(match.group().casefold())
    return frozenset(words)


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
    phrases = load_cues(language).get(key, ())
    return CueSet(phrases, compile_phrases(phrases), first_words(phrases))


@cache
def health_terms(language: str) -> CueSet:
    """The curated health vocabulary of ``language`` as a compiled set."""
    raw = (resources.files(_DATA) / "health" / f"{language}.txt").read_text(encoding="utf-8")
    terms = tuple(line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#"))
    return CueSet(terms, compile_phrases(terms), first_words(terms))


def compile_phrases(phrases: tuple[str, ...]) -> regex.Pattern[str]:
    """One alternation, longest phrase first, with word boundaries that tolerate trailing punctuation."""
    ordered = sorted(phrases, key=lambda phrase: (-len(phrase), phrase))
    body = "|".join(regex.escape(phrase).replace(r"\ ", r"\s+") for phrase in ordered) or r"(?!)"
    return regex.compile(rf"(?<![\w#])(?:{body})(?![\w])", regex.IGNORECASE | regex.UNICODE)
