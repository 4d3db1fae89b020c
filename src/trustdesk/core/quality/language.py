"""Language of a text among the supported phrase-pack languages.

lingua-language-detector covers English, Spanish, French, German, Portuguese and Tagalog. Romanized
Hindi (Hinglish) is Hindi written in Latin letters, which lingua only knows in Devanagari, so it is
recognised first by a share of Hindi function words (``markers`` in ``phrases/hi-Latn.toml``).
"""

from __future__ import annotations

import functools
import re

import regex

from trustdesk.core.quality.phrases import load_phrase_pack

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt", "hi-Latn", "tl")
HINGLISH = "hi-Latn"
# Declared codes we accept for the same pack: "hi" on an interaction means its romanized form here,
# because scoring sees text, and Devanagari text gets no phrase pack yet.
_ALIASES = {"hi": HINGLISH, "hi-latn": HINGLISH, "fil": "tl", "tl-ph": "tl"}
# Below this many words a detector guesses; measured on short chat turns like "ok" or "thanks".
MIN_WORDS_TO_DETECT = 3
# A Hinglish sentence carries roughly one Hindi function word in four; English with a stray "ji" does not.
HINGLISH_MARKER_SHARE = 0.2

_WORD = regex.compile(r"\p{L}+")
# The letters of ASCII text are A-Z and a-z; the stdlib engine finds them at about half the cost.
_ASCII_WORD = re.compile(r"[A-Za-z]+")


def canonical_language(code: str | None) -> str | None:
    """The supported code for a declared language ("hi" -> "hi-Latn", "en-GB" -> "en") or None."""
    if not code:
        return None
    lowered = code.strip().lower()
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    base = lowered.split("-")[0]
    if base in _ALIASES:
        return _ALIASES[base]
    return base if base in SUPPORTED_LANGUAGES else None


@functools.cache
def _hinglish_markers() -> frozenset[str]:
    return frozenset(load_phrase_pack(HINGLISH).markers)


# lingua's low-accuracy mode (trigrams only) takes ~0.1 ms on a sentence but guesses on a few words
# ("Where is my order?" -> German); the full models are right there and, for short texts, just as fast,
# while on long texts they cost ~5 ms. So short texts get the full models, long ones the fast mode.
SHORT_TEXT_WORDS = 12


@functools.cache
def _detector(*, is_short: bool):  # type: ignore[no-untyped-def]
    # Imported and built on first use: detection is only needed when scoring, and model loading takes ~1 s.
    from lingua import Language, LanguageDetectorBuilder

    languages = {
        Language.ENGLISH: "en",
        Language.SPANISH: "es",
        Language.FRENCH: "fr",
        Language.GERMAN: "de",
        Language.PORTUGUESE: "pt",
        Language.TAGALOG: "tl",
    }
    builder = LanguageDetectorBuilder.from_languages(*languages)
    detector = builder.build() if is_short else builder.with_low_accuracy_mode().build()
    return detector, languages


def is_hinglish(words: list[str]) -> bool:
    """Whether enough of ``words`` (casefolded) are romanized-Hindi function words."""
    if not words:
        return False
    markers = _hinglish_markers()
    hits = sum(1 for word in words if word in markers)
    return hits >= 2 and hits / len(words) >= HINGLISH_MARKER_SHARE


def detect_language(text: str) -> str | None:
    """The supported language ``text`` is written in, or None when it is too short to tell."""
    words = [word.casefold() for word in (_ASCII_WORD if text.isascii() else _WORD).findall(text)]
    if len(words) < MIN_WORDS_TO_DETECT:
        return None
    if is_hinglish(words):
        return HINGLISH
    detector, codes = _detector(is_short=len(words) < SHORT_TEXT_WORDS)
    language = detector.detect_language_of(text)
    return codes[language] if language is not None else None
