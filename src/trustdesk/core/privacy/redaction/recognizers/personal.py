"""Context labels: dates of birth and street addresses found from cue words and layouts, health terms."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import regex

from trustdesk.core.privacy.redaction.lexicon import cue_set, first_token, health_terms, load_cues
from trustdesk.core.privacy.redaction.patterns import TextPattern
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all


@cache
def _date_pattern(language: str) -> TextPattern:
    months = "|".join(
        sorted(load_cues(language)["months"] + load_cues("en")["months"], key=len, reverse=True)
    )
    day = r"\d{1,2}(?:st|nd|rd|th|er|º)?"
    return TextPattern(
        rf"(?<![\w/.-])(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"
        rf"|{day}\.?\s+(?:of\s+|de\s+)?(?:{months})\.?(?:\s+de|,)?\s+\d{{4}}"
        rf"|(?:{months})\.?\s+{day},?\s+\d{{4}})(?![\w/])",
        regex.IGNORECASE | regex.UNICODE,
    )


def _find_birth_dates(view: TextView) -> Iterator[Candidate]:
    cues = cue_set(view.language, "date_of_birth")
    if not view.mentions(cues):
        return
    for match in _date_pattern(view.language).finditer(view.text, view.focus_start):
        if view.cue_before(cues, match.start(), 40):
            yield Candidate(match.start(), match.end(), "DATE_OF_BIRTH", 0.75)
    for run in view.focus_runs:
        if run.has_spoken and len(run.digits) in (6, 8) and view.cue_before(cues, run.start, 40):
            yield Candidate(run.start, run.end, "DATE_OF_BIRTH", 0.75)


@dataclass(frozen=True)
class _AddressLayout:
    """One address pattern and the cheap test a text must pass before the pattern runs."""

    pattern: TextPattern
    # Case-folded words one of which the layout needs as a word of its own (None: no such word).
    needs_one_of: frozenset[str] | None = None
    # Case-folded word endings one of which the layout needs (street types glued to the name).
    needs_ending: tuple[str, ...] | None = None

    def may_match(self, words: frozenset[str]) -> bool:
        if self.needs_one_of is not None and self.needs_one_of.isdisjoint(words):
            return False
        return self.needs_ending is None or any(word.endswith(self.needs_ending) for word in words)


@cache
def _address_patterns(language: str) -> tuple[_AddressLayout, ...]:
    cues = load_cues(language)
    english = load_cues("en")
    suffix_words = english["street_suffixes"] + cues.get("street_suffixes", ())
    suffixes = _alternation(suffix_words)
    german_words = load_cues("de")["street_suffixes"]
    german = _alternation(german_words)
    units = _alternation(english["unit_words"])
    word = r"[\p{Lu}\p{N}][\p{L}\p{N}'.\-]*"
    unit = rf"(?:,?\s+(?i:{units})\.?\s*[\w\-]{{1,6}})?"
    # City, state/region and postcode after the street, as far as they are written.
    tail = r"(?:,?\s*\n?\s*[\p{Lu}][\p{L}'.\-]+(?:\s[\p{Lu}][\p{L}'.\-]+){0,3}(?:,\s*[A-Z]{2})?(?:,?\s+\d{4,5}(?:-\d{4})?)?)?"
    # A suffix stands as a word of its own, maybe in the plural ("Wells Shores").
    suffix_gate = _word_gate(suffix_words)
    patterns = [
        _AddressLayout(
            TextPattern(
                rf"(?<![\w])\d{{1,6}}[A-Za-z]?\s+(?:{word}\s+){{0,4}}(?i:{suffixes})s?\b\.?{unit}{tail}",
                regex.UNICODE,
            ),
            needs_one_of=None if suffix_gate is None else suffix_gate | {word + "s" for word in suffix_gate},
        ),
    ]
    if language == "de":
        # German layout: "Hauptstraße 5", "Anna-Trapp-Weg 6/8, 10115 Berlin" (suffix glued to the name).
        # The name is taken possessively and its ending checked by lookbehind, so no word is rescanned.
        patterns.append(
            _AddressLayout(
                TextPattern(
                    rf"(?<![\w\-])[\p{{Lu}}][\p{{L}}\-]*+(?<=(?i:{german}))\s+\d{{1,4}}[a-z]?(?:[/\-]\d{{1,4}})?"
                    rf"(?:,\s*(?:\d{{4,5}}\s+)?[\p{{Lu}}][\p{{L}}\-]+(?:\s[\p{{Lu}}][\p{{L}}\-]+)?)?",
                    regex.UNICODE,
                ),
                needs_ending=tuple(sorted({word.casefold() for word in german_words})),
            )
        )
    prefixes = cues.get("street_prefixes", ())
    if prefixes:
        # Both layouts need a street-type word such as "rue" or "calle" standing as a word of its own.
        gate = _word_gate(prefixes)
        # French and Spanish layout with the number first: "85, avenue de Pineau", "12 rue Louis".
        patterns.append(
            _AddressLayout(
                TextPattern(
                    rf"(?<![\w])\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?i:{_alternation(prefixes)})\.?\s+"
                    rf"(?:[\p{{Lu}}][\p{{L}}'\-]*|d[eu]s?|la|le|l'|del)(?:\s+(?:[\p{{Lu}}][\p{{L}}'\-]*|d[eu]s?|la|le|del))*",
                    regex.UNICODE,
                ),
                needs_one_of=gate,
            )
        )
        patterns.append(
            _AddressLayout(
                TextPattern(
                    rf"(?<![\w])(?:{_alternation(prefixes)})\.?\s+(?:[\p{{L}}'.\-]+\s+){{0,5}}?(?:n[ºo°]\.?\s*)?\d{{1,5}}[a-zA-Z]?"
                    rf"(?:,\s*\d{{1,2}}[ºª°]?\s*[\p{{L}}]?)?(?:,\s*\d{{4,5}}(?:-\d{{3}})?\s+[\p{{Lu}}][\p{{L}}\-]+)?",
                    regex.UNICODE | regex.IGNORECASE,
                ),
                needs_one_of=gate,
            )
        )
    return tuple(patterns)


def _word_gate(words: tuple[str, ...]) -> frozenset[str] | None:
    """The case-folded first tokens of ``words`` (None when one of them has none)."""
    tokens = [first_token(word) for word in words]
    return None if None in tokens else frozenset(tokens)


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(regex.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _find_addresses(view: TextView) -> Iterator[Candidate]:
    # Every layout below, and every free-form address taken after a cue, carries a house number.
    if not view.focus_runs:
        return
    for layout in _address_patterns(view.language):
        if not layout.may_match(view.folded_focus_words):
            continue
        for match in layout.pattern.finditer(view.text, view.focus_start):
            end = match.end()
            while end > match.start() and view.text[end - 1] in " ,.\n":
                end -= 1
            yield Candidate(match.start(), end, "ADDRESS", 0.82)
    yield from _find_cued_addresses(view)


_CLAUSE_END = TextPattern(r"[.;!?](?:\s|$)|,?\s(?:and|but|please|thanks|thank)\b|$", regex.IGNORECASE)


def _find_cued_addresses(view: TextView) -> Iterator[Candidate]:
    """Free-form addresses after "my address is": up to the end of the clause, when it holds a number."""
    for match in view.cue_matches(cue_set(view.language, "address")):
        start = match.end()
        while start < len(view.text) and view.text[start] in " :\n\t":
            start += 1
        end_match = _CLAUSE_END.search(view.text, start, min(len(view.text), start + 100))
        end = end_match.start() if end_match else min(len(view.text), start + 100)
        value = view.text[start:end]
        if _DIGIT.search(value) and _WORD_OF_THREE.search(value):
            yield Candidate(start, end, "ADDRESS", 0.55)


_DIGIT = TextPattern(r"\d")
_WORD_OF_THREE = TextPattern(r"[^\W\d_]{3,}")


def _find_health_terms(view: TextView) -> Iterator[Candidate]:
    for match in view.cue_matches(health_terms(view.language)):
        yield Candidate(match.start(), match.end(), "HEALTH", 0.6)


RECOGNIZERS = (
    Recognizer("date_of_birth", ("DATE_OF_BIRTH",), (), _find_birth_dates, accept_all),
    Recognizer("street_address", ("ADDRESS",), (), _find_addresses, accept_all),
    Recognizer("health_terms", ("HEALTH",), (), _find_health_terms, accept_all),
)
