"""Context labels: dates of birth found from cue words and layouts, and health terms."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import regex

from trustdesk.core.privacy.redaction.lexicon import cue_set, health_terms, load_cues
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
    # Every date holds digits; in ASCII text each digit is in a digit run.
    if not view.focus_runs and view.text.isascii():
        return
    cues = cue_set(view.language, "date_of_birth")
    if not view.mentions(cues):
        return
    for match in _date_pattern(view.language).finditer(view.text, view.focus_start):
        if view.cue_before(cues, match.start(), 40):
            yield Candidate(match.start(), match.end(), "DATE_OF_BIRTH", 0.75)
    for run in view.focus_runs:
        if run.has_spoken and len(run.digits) in (6, 8) and view.cue_before(cues, run.start, 40):
            yield Candidate(run.start, run.end, "DATE_OF_BIRTH", 0.75)


def _find_health_terms(view: TextView) -> Iterator[Candidate]:
    for match in view.cue_matches(health_terms(view.language)):
        yield Candidate(match.start(), match.end(), "HEALTH", 0.6)


RECOGNIZERS = (
    Recognizer("date_of_birth", ("DATE_OF_BIRTH",), (), _find_birth_dates, accept_all),
    Recognizer("health_terms", ("HEALTH",), (), _find_health_terms, accept_all),
)
