"""Shipped word lists: cue phrases per language (``data/cues/<lang>.toml``) and health vocabularies.

Loaded lazily from the package through importlib.resources and cached, never from the working directory.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

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

    def occurs_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None

    def may_occur_among(self, words: frozenset[str]) -> bool:
        """Cheap gate: False only when no phrase can start at any of ``words`` (see ``fold_words``)."""
        return self.first_words is None or not self.first_words.isdisjoint(words)

    def starts_among(self, starts: dict[str, list[int]]) -> list[int]:
        """Where a phrase can start in a text with these word starts (``word_starts``), in text order: at a
        word that is the first word of a phrase. A phrase starts at a word start of its first word (see
        ``fold_words``), so the pattern matched at these positions alone finds every match of a search.
        Requires ``first_words``."""
        assert self.first_words is not None
        # Most sets have no first word in a given text, and the disjointness test builds no set.
        if self.first_words.isdisjoint(starts):
            return []
        present = self.first_words.intersection(starts)
        if len(present) == 1:
            return starts[next(iter(present))]
        return sorted(position for word in present for position in starts[word])


def fold_words(text: str, pos: int = 0) -> frozenset[str]:
    """The case-folded word tokens of ``text`` from ``pos`` on, for ``CueSet.may_occur_among``."""
    # A phrase matched case-insensitively starts at a word start, and its first token (letters or digits)
    # ends where the phrase turns to the other class or to a non-word character, or where the phrase ends
    # (followed by a non-word character, or by the digits a window ends on), so its folded first token is
    # one of these tokens. Case folding maps letters to letters and marks and leaves every other
    # character alone (and, unlike lower-casing, has no context rules), so cutting the folded text gives
    # the folded tokens of the text.
    return frozenset(_WORD_TOKEN.findall((text[pos:] if pos else text).casefold()))


# Longer texts are scanned by each phrase set's pattern: indexing every word from Python costs more there.
WORD_STARTS_MAX_CHARS = 4096


def word_starts(text: str) -> dict[str, list[int]] | None:
    """Where each case-folded word token of ``text`` starts (the tokens of ``fold_words``), in text order.

    None for a text longer than ``WORD_STARTS_MAX_CHARS``, and when case folding changes the text's length
    ("ß" folds to "ss"): folded offsets would not be offsets into ``text``.
    """
    if len(text) > WORD_STARTS_MAX_CHARS:
        return None
    folded = text.casefold()
    if len(folded) != len(text):
        return None
    starts: dict[str, list[int]] = {}
    for match in _WORD_TOKEN.finditer(folded):
        starts.setdefault(match.group(), []).append(match.start())
    return starts


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
            "phone_line",
            "phone_label",
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
    return CueSet(phrases, compile_phrases(phrases), first_words(phrases))


def compile_phrases(phrases: tuple[str, ...]) -> TextPattern:
    """One alternation, longest phrase first, with word boundaries that tolerate trailing punctuation."""
    ordered = sorted(phrases, key=lambda phrase: (-len(phrase), phrase))
    body = "|".join(regex.escape(phrase).replace(r"\ ", r"\s+") for phrase in ordered) or r"(?!)"
    return TextPattern(rf"(?<![\w#])(?:{body})(?![\w])", regex.IGNORECASE | regex.UNICODE)
