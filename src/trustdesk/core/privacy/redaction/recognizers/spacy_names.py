"""Optional PERSON recognizer over a spaCy pipeline the caller has already loaded (never downloaded here).

The core stays free of spaCy: the pipeline arrives as a callable returning a doc with ``ents``; the edge
decides whether one is installed (``trustdesk redact --spacy-pipeline NAME``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView

# spaCy models trained on OntoNotes and WikiNER name people PERSON and PER respectively.
PERSON_ENTITY_LABELS = frozenset({"PERSON", "PER"})


def make_spacy_person_recognizer(nlp: Callable[[str], Any], *, languages: tuple[str, ...] = ()) -> Recognizer:
    """A registry entry that proposes the pipeline's person entities (no digits, never a lone title)."""

    def find_people(view: TextView) -> Iterator[Candidate]:
        for entity in nlp(view.text).ents:
            value = entity.text
            if (
                entity.label_ in PERSON_ENTITY_LABELS
                and not any(char.isdigit() for char in value)
                and len(value) > 1
            ):
                yield Candidate(entity.start_char, entity.end_char, "PERSON", 0.7)

    return Recognizer("spacy_person", ("PERSON",), languages, find_people, _has_letters)


def _has_letters(view: TextView, candidate: Candidate) -> bool:
    return any(char.isalpha() for char in view.text[candidate.start : candidate.end])
