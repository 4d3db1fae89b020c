"""PERSON in free text without the record's names: a first-name lexicon read against capitalisation.

A run of capitalised words on one line is a name when it starts with a known first name ("Teresa
Kreutzmann", "Vanessa P. Hertzog", "Willemine ten Pas"); a known first name alone counts too ("Catherine
is…", "Hi Vinicio"). First names that are everyday words ("May", "Will", "Grace") start a name only when a
surname-shaped word follows them ("Grace Hopper"), and function words, greetings, weekdays and months never
belong to a name. Once a name is found, its words are names wherever else they appear capitalised in the
same text ("starring Adamska", "everyone calls me Vanessa").

The first names come from the ``gender-guesser`` package's data file (about 45,000 first names from
Europe, the Americas, Asia and Africa, with per-country frequencies); it is read once, on first use, through
importlib.resources, so importing this module stays cheap. Text with no upper-case letter (speech
transcripts) is left to the cue and record-name recognizers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from importlib import resources

import regex

from trustdesk.core.privacy.redaction.patterns import TextPattern
from trustdesk.core.privacy.redaction.recognizers.persons import NAME_PARTICLES
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all

_DATA = "trustdesk.core.privacy.redaction.data"
# gender-guesser's nam_dict.txt: a gender code in columns 0-1, the name in columns 3-28 ("+" joins the
# parts of a compound name), per-country frequencies after; "#" lines are comments, "=" lines list
# spelling equivalences that repeat names listed on their own lines.
_NAME_COLUMNS = slice(3, 29)
# The weakest PERSON evidence: any other label's span over the same words wins (a street named after a
# person, "Cañada Aurelia Alcántara 67", is an address); overlapping PERSON spans are merged.
LEXICON_SCORE = 0.5
REPEATED_SCORE = 0.45
# Longest name run kept: first name, two middle names or initials, surname.
MAX_NAME_WORDS = 4

_CAPITALISED = r"\p{Lu}(?:\p{Ll}[\p{L}\p{M}]*+|['’]\p{Lu}\p{Ll}[\p{L}\p{M}]*+)(?:-\p{Lu}\p{Ll}[\p{L}\p{M}]*+)?"
_INITIAL = r"\p{Lu}\.?"
_PARTICLE = "|".join(sorted(NAME_PARTICLES | {"ten", "bin", "ibn", "al", "el"}, key=len, reverse=True))
# A run of name-shaped words separated by single spaces, on one line; initials and particles only between
# capitalised words. Every repetition starts with a space and a distinct first character class, and the
# quantifier is possessive, so the scan is linear.
_NAME_RUN = TextPattern(
    rf"(?<![\w'’\-.@])(?:{_CAPITALISED})"
    rf"(?:[ ](?:{_CAPITALISED}|(?:{_INITIAL}|(?:{_PARTICLE}))(?=[ ]\p{{Lu}}))(?![\w@]))*+",
    regex.UNICODE,
)
_NAME_WORD = TextPattern(rf"(?<![\w'’\-.@]){_CAPITALISED}(?![\w@])", regex.UNICODE)


@cache
def first_names() -> frozenset[str]:
    """Case-folded first names of the lexicon (each part of a compound name counts on its own)."""
    raw = (resources.files("gender_guesser") / "data" / "nam_dict.txt").read_text(encoding="utf-8")
    names = set()
    for line in raw.splitlines():
        if line[:1] in {"#", "="} or len(line) < _NAME_COLUMNS.start + 2:
            continue
        for part in line[_NAME_COLUMNS].replace("+", " ").replace("-", " ").split():
            if len(part) > 1:
                names.add(part.casefold())
    return frozenset(names)


@cache
def _gate_names() -> frozenset[str]:
    """The first names that can start a name, as ``lexicon.fold_words`` cuts words: a name word is letters
    only, except a capital, an apostrophe and a capitalised rest ("O'Neil"), which that cut splits; such
    names are answered by their part after the apostrophe (a superset of the texts that can hold one)."""
    never = never_names()
    return frozenset(
        name.replace("’", "'").rsplit("'", 1)[-1]
        for name in first_names()
        if len(name) > 1 and name not in never
    )



@cache
def _word_list(file_name: str) -> frozenset[str]:
    raw = (resources.files(_DATA) / "names" / file_name).read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    )


def common_words() -> frozenset[str]:
    """Everyday words that are also first names: they need a surname after them to count."""
    return _word_list("common_words.txt")


def never_names() -> frozenset[str]:
    """Function words, greetings, weekdays, months and place prefixes: never part of a name."""
    return _word_list("never_names.txt")


def not_person_tails() -> frozenset[str]:
    """Organisation and street words: a run holding one is not a person's name."""
    return _word_list("not_person_tails.txt")


def _names_an_organisation_or_street(words: list[tuple[int, int, str]]) -> bool:
    tails = not_person_tails()
    for _, _, word in words:
        folded = word.casefold().rstrip(".")
        if folded in tails or folded.endswith("s") and folded[:-1] in tails:
            return True
    return False


def _find_lexicon_names(view: TextView) -> Iterator[Candidate]:
    text = view.text
    # islower() answers at C speed for lower-case transcripts, which hold no capitalised name; a name
    # starts at a lexicon first name, and most texts hold none among their words.
    if text.islower():
        return
    present = _gate_names().intersection(view.folded_focus_words)
    if not present or not any(char.isupper() for char in text):
        return
    found: list[tuple[int, int]] = []
    for run in _NAME_RUN.finditer(text, view.focus_start):
        word = run.group()
        # A run of one word without an apostrophe is a name only when that word is a first name.
        if " " in word or "'" in word or "’" in word or word.casefold() in present:
            found.extend(_names_in_run(text, run.start(), run.end()))
    if not found:
        return
    yield from (Candidate(start, end, "PERSON", LEXICON_SCORE) for start, end in found)
    yield from _repeated_mentions(view, found)


def _names_in_run(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The names inside one run of capitalised words: each starts at a first name and takes the
    name-shaped words after it."""
    names, everyday, never = first_names(), common_words(), never_names()
    pieces = _run_words(text, start, end)
    # Most runs are one capitalised word opening a sentence, and only a first name starts a name.
    if not any(_starts_name(word, names, never) for word in pieces):
        return
    words = list(_with_offsets(pieces, start))
    if _names_an_organisation_or_street(words):
        return
    index = 0
    while index < len(words):
        folded = words[index][2].casefold()
        if not _starts_name(words[index][2], names, never):
            index += 1
            continue
        last = index
        for following in range(index + 1, min(len(words), index + MAX_NAME_WORDS)):
            word = words[following][2]
            if word.casefold() in never and word.casefold() not in NAME_PARTICLES:
                break
            last = following
        # Initials and particles only count between name words; trailing ones belong to what follows.
        while last > index and not _is_name_word(words[last][2]):
            last -= 1
        if folded in everyday and (last == index or words[index + 1][2].casefold() in names):
            index += 1
            continue
        yield words[index][0], words[last][1]
        index = last + 1


def _starts_name(word: str, names: frozenset[str], never: frozenset[str]) -> bool:
    folded = word.casefold()
    return len(folded) > 1 and word[0].isupper() and folded in names and folded not in never


def _run_words(text: str, start: int, end: int) -> list[str]:
    """The words of a run found by ``_NAME_RUN``: its words are separated by single spaces."""
    return text[start:end].split(" ")


def _with_offsets(words: list[str], start: int) -> Iterator[tuple[int, int, str]]:
    for word in words:
        yield start, start + len(word), word
        start += len(word) + 1


def _is_name_word(word: str) -> bool:
    """A capitalised word, not an initial ("P.") and not a particle ("van")."""
    return len(word) > 1 and word[0].isupper() and not word.endswith(".")


def _repeated_mentions(view: TextView, found: list[tuple[int, int]]) -> Iterator[Candidate]:
    """Other capitalised occurrences of the words of names already found in this text."""
    text = view.text
    everyday, never = common_words(), never_names()
    found_words = [word for start, end in found for word in _run_words(text, start, end)]
    mentioned = {
        word
        for word in found_words
        if _is_name_word(word) and word.casefold() not in everyday and word.casefold() not in never
    }
    # Each mention is a whole word, so one outside the names found makes the word occur more often in
    # the text than among them; most texts name each person once and skip the scan.
    if all(text.count(word, view.focus_start) <= found_words.count(word) for word in mentioned):
        return
    # One pass over the capitalised words and a binary search among the found spans keep this linear.
    covered = sorted(found)
    starts = [start for start, _ in covered]
    for match in _NAME_WORD.finditer(text, view.focus_start):
        if match.group() not in mentioned:
            continue
        index = bisect_right(starts, match.start()) - 1
        if index < 0 or covered[index][1] <= match.start():
            yield Candidate(match.start(), match.end(), "PERSON", REPEATED_SCORE)


RECOGNIZERS = (Recognizer("lexicon_names", ("PERSON",), (), _find_lexicon_names, accept_all),)
