"""Written-channel criteria (chat, email, social): spelling, readability, tone of the agent's text."""

from __future__ import annotations

import functools
import re

import regex

from trustdesk.core.quality.criteria.base import Criterion, Family
from trustdesk.core.quality.phrases import load_phrase_pack
from trustdesk.core.quality.results import Assessment, failed, not_applicable, passed
from trustdesk.core.quality.transcript import TranscriptView, quote_turn

# pyspellchecker ships dictionaries for these; Hinglish and Tagalog have none, so spelling is not judged.
SPELLCHECK_LANGUAGES = frozenset({"en", "es", "fr", "de", "pt"})
# One slip in a long chat is human; more than this share of misspelled words reads as careless.
MAX_MISSPELLED_SHARE = 0.03
MIN_MISSPELLED_WORDS = 2
# LIX (Björnsson): language-independent, no syllable dictionary. Above 55 is "very hard" prose.
MAX_LIX = 55.0
MIN_WORDS_FOR_READABILITY = 30
# Three or more fully capitalised words (not placeholders or acronyms) read as shouting.
SHOUTING_WORDS = 3
_CAPS_WORD = regex.compile(r"(?<![\[\w])\p{Lu}{4,}(?![\]\w])")
_SPELL_WORD = regex.compile(r"(?<![\[\w@/.])\p{Ll}[\p{Ll}']+(?![\]\w@/])")
# The same patterns for ASCII text, where \p{Lu} is A-Z, \p{Ll} is a-z and \w is [A-Za-z0-9_] in both
# engines: most turns are ASCII, and the stdlib engine scans them three times faster.
_ASCII_CAPS_WORD = re.compile(r"(?<![\[\w])[A-Z]{4,}(?![\]\w])", re.ASCII)
_ASCII_SPELL_WORD = re.compile(r"(?<![\[\w@/.])[a-z][a-z']+(?![\]\w@/])", re.ASCII)


def caps_words(text: str) -> list[str]:
    """Runs of four or more capitals in ``text`` that are neither placeholders nor parts of words."""
    return (_ASCII_CAPS_WORD if text.isascii() else _CAPS_WORD).findall(text)


def spelling_words(text: str) -> list[str]:
    """The lowercase words of ``text`` a dictionary can judge (no placeholders, addresses or paths)."""
    return (_ASCII_SPELL_WORD if text.isascii() else _SPELL_WORD).findall(text)


@functools.cache
def _spellchecker(language: str):  # type: ignore[no-untyped-def]
    # Dictionaries load from the package on first use (0.1-0.5 s each), once per language.
    from spellchecker import SpellChecker

    checker = SpellChecker(language=language)
    checker.word_frequency.load_words(load_phrase_pack(language).accepted_spellings)
    return checker


def _written_language(view: TranscriptView) -> str | None:
    # The language the agent should write in: detection on misspelled text is what we cannot trust.
    return view.language or view.agent_language


def assess_spelling(view: TranscriptView) -> Assessment:
    """Few misspelled words in the agent's written text (pyspellchecker, per language)."""
    if not view.is_written:
        return not_applicable("spoken channel: no spelling to judge")
    language = _written_language(view)
    if language not in SPELLCHECK_LANGUAGES:
        return not_applicable(f"no spelling dictionary for language {language}")
    checker = _spellchecker(language)
    words: list[tuple[int, str]] = [
        (turn.index, word) for turn in view.agent_turns for word in spelling_words(turn.text)
    ]
    if not words:
        return not_applicable("the agent wrote nothing to check")
    # Most words are in the dictionary: one set lookup each leaves pyspellchecker only the rest.
    known = checker.word_frequency.dictionary
    candidates = {word for word in {w.strip("'") for _, w in words} if word.lower() not in known}
    unknown = checker.unknown(candidates)
    misspelled = [(index, word) for index, word in words if word.strip("'") in unknown]
    if len(misspelled) >= MIN_MISSPELLED_WORDS and len(misspelled) / len(words) > MAX_MISSPELLED_SHARE:
        turns = sorted({index for index, _ in misspelled})
        return failed(
            [quote_turn(view.turns[index]) for index in turns[:3]],
            f"misspelled: {', '.join(sorted({w for _, w in misspelled})[:10])}",
        )
    return passed(reason=f"{len(misspelled)} of {len(words)} words unknown to the {language} dictionary")


def assess_readability(view: TranscriptView) -> Assessment:
    """The agent's written text is readable (LIX at most 55)."""
    if not view.is_written:
        return not_applicable("spoken channel: readability applies to written text")
    import textstat

    text = " ".join(turn.text for turn in view.agent_turns)
    if len(text.split()) < MIN_WORDS_FOR_READABILITY:
        return not_applicable(f"fewer than {MIN_WORDS_FOR_READABILITY} words written by the agent")
    lix = float(textstat.lix(text))
    if lix > MAX_LIX:
        hardest = max(
            view.agent_turns, key=lambda turn: textstat.lix(turn.text) if turn.text.split() else 0.0
        )
        return failed([quote_turn(hardest)], f"LIX {lix:.0f} > {MAX_LIX:.0f}")
    return passed(reason=f"LIX {lix:.0f}")


def assess_tone(view: TranscriptView) -> Assessment:
    """No shouting (runs of capitals, '!!!') and no blaming the customer in the agent's text."""
    if not view.is_written:
        return not_applicable("spoken channel: tone of writing applies to written text")
    for turn in view.agent_turns:
        blame = view.find("blame", turn)
        if blame:
            return failed([blame], "the agent blames the customer")
        if len(caps_words(turn.text)) >= SHOUTING_WORDS or "!!!" in turn.text:
            return failed([quote_turn(turn)], "the agent shouts (capitals or '!!!')")
    if not view.agent_turns:
        return not_applicable("the agent wrote nothing")
    return passed(reason="no shouting or blame in the agent's text")


WRITTEN_CRITERIA: tuple[Criterion, ...] = (
    Criterion("spelling", Family.WRITTEN, "Agent's writing is correctly spelled", assess_spelling),
    Criterion("readability", Family.WRITTEN, "Agent's writing is easy to read (LIX)", assess_readability),
    Criterion("tone", Family.WRITTEN, "No shouting and no blame", assess_tone),
)
