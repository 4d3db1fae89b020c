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

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from importlib import resources

import regex

from trustdesk.core.privacy.redaction.patterns import TextPattern
from trustdesk.core.privacy.redaction.recognizers.persons import NAME_PARTICLES, has_capital
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

_AFTER_CAPITAL = r"(?:\p{Ll}[\p{L}\p{M}]*+|['’]\p{Lu}\p{Ll}[\p{L}\p{M}]*+)(?:-\p{Lu}\p{Ll}[\p{L}\p{M}]*+)?"
_CAPITALISED = r"\p{Lu}" + _AFTER_CAPITAL
# A name's first word, its capital read before the look back: a pattern that opens on a character class
# lets both engines skip from capital to capital at C speed instead of trying every position.
_OPENING_WORD = r"\p{Lu}(?<![\w'’\-.@]\p{Lu})" + _AFTER_CAPITAL
_INITIAL = r"\p{Lu}\.?"
_PARTICLE = "|".join(sorted(NAME_PARTICLES | {"ten", "bin", "ibn", "al", "el"}, key=len, reverse=True))
# A run of name-shaped words separated by single spaces, on one line; initials and particles only between
# capitalised words. Every repetition starts with a space and a distinct first character class, and the
# quantifier is possessive, so the scan is linear.
_NAME_RUN = TextPattern(
    rf"{_OPENING_WORD}"
    rf"(?:[ ](?:{_CAPITALISED}|(?:{_INITIAL}|(?:{_PARTICLE}))(?=[ ]\p{{Lu}}))(?![\w@]))*+",
    regex.UNICODE,
)
_NAME_WORD = TextPattern(rf"{_OPENING_WORD}(?![\w@])", regex.UNICODE)


def _ascii_form(source: str) -> re.Pattern[str]:
    """``source`` as the ``re`` engine reads it on ASCII text, its letter classes cut to ASCII letters: the
    scan tests each character against a small class instead of the alphabet-wide class of the twin."""
    for letters, ascii_letters in ((r"[\p{L}\p{M}]", "[A-Za-z]"), (r"\p{Lu}", "[A-Z]"), (r"\p{Ll}", "[a-z]")):
        source = source.replace(letters, ascii_letters)
    return re.compile(source)


_NAME_RUN_ASCII = _ascii_form(_NAME_RUN.source)
_NAME_WORD_ASCII = _ascii_form(_NAME_WORD.source)


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


def _is_organisation_or_street_word(folded: str) -> bool:
    tails = not_person_tails()
    folded = folded.rstrip(".")
    return folded in tails or folded.endswith("s") and folded[:-1] in tails


@cache
def _name_openers() -> frozenset[str]:
    """The case-folded words that may start a name (``_names_in_run``) when capitalised."""
    never = never_names()
    return frozenset(name for name in first_names() if len(name) > 1 and name not in never)


@cache
def _names_alone() -> frozenset[str]:
    """The words that are a name on their own: what ``_names_in_run`` finds in a run of one word."""
    everyday = common_words()
    return frozenset(
        name for name in _name_openers() if name not in everyday and not _is_organisation_or_street_word(name)
    )


@cache
def _never_repeated() -> frozenset[str]:
    """Words of a name found that ``_repeated_mentions`` does not look for elsewhere."""
    return common_words() | never_names()


def _find_lexicon_names(view: TextView) -> Iterator[Candidate]:
    text = view.text
    # islower() answers at C speed for lower-case transcripts, which hold no capitalised name; a name
    # starts at a lexicon first name, and most texts hold none among their words.
    if text.islower():
        return
    present = _gate_names().intersection(view.folded_focus_words)
    if not present or not has_capital(text):
        return
    found: list[tuple[int, int]] = []
    names_alone = _names_alone()
    for run in (_NAME_RUN_ASCII if text.isascii() else _NAME_RUN).finditer(text, view.focus_start):
        word = run.group()
        if " " in word or "'" in word or "’" in word:
            found.extend(_names_in_run(text, run.start(), run.end()))
        # Most runs are one word, a name only when that word is a first name (answered without splitting).
        elif (folded := word.casefold()) in present and folded in names_alone:
            found.append(run.span())
    if not found:
        return
    for start, end in found:
        yield Candidate(start, end, "PERSON", LEXICON_SCORE)
    yield from _repeated_mentions(view, found)


def _names_in_run(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names inside one run of capitalised words: each starts at a first name and takes the
    name-shaped words after it."""
    run = text[start:end]
    # The words of a run are separated by single spaces, and case folding makes no space.
    folded_words = run.casefold().split(" ")
    # Only a first name starts a name, and most runs hold none.
    if _name_openers().isdisjoint(folded_words) or any(map(_is_organisation_or_street_word, folded_words)):
        return []
    words = run.split(" ")
    offsets = []
    for word in words:
        offsets.append(start)
        start += len(word) + 1
    names, everyday, never = first_names(), common_words(), never_names()
    found = []
    index = 0
    while index < len(words):
        folded = folded_words[index]
        if not (len(folded) > 1 and words[index][0].isupper() and folded in names and folded not in never):
            index += 1
            continue
        last = index
        for following in range(index + 1, min(len(words), index + MAX_NAME_WORDS)):
            if folded_words[following] in never and folded_words[following] not in NAME_PARTICLES:
                break
            last = following
        # Initials and particles only count between name words; trailing ones belong to what follows.
        while last > index and not _is_name_word(words[last]):
            last -= 1
        if folded in everyday and (last == index or folded_words[index + 1] in names):
            index += 1
            continue
        found.append((offsets[index], offsets[last] + len(words[last])))
        index = last + 1
    return found


def _is_name_word(word: str) -> bool:
    """A capitalised word, not an initial ("P.") and not a particle ("van")."""
    return len(word) > 1 and word[0].isupper() and not word.endswith(".")


def _repeated_mentions(view: TextView, found: list[tuple[int, int]]) -> Iterator[Candidate]:
    """Other capitalised occurrences of the words of names already found in this text."""
    text = view.text
    found_words = " ".join([text[start:end] for start, end in found]).split(" ")
    never_repeated = _never_repeated()
    mentioned = {
        word for word in found_words if _is_name_word(word) and word.casefold() not in never_repeated
    }
    # Each mention is a whole word, so one outside the names found makes the word occur more often in
    # the text than among them; most texts name each person once and skip the scan.
    if all(text.count(word, view.focus_start) <= found_words.count(word) for word in mentioned):
        return
    # One pass over the capitalised words and a binary search among the found spans keep this linear.
    covered = sorted(found)
    starts = [start for start, _ in covered]
    for match in (_NAME_WORD_ASCII if text.isascii() else _NAME_WORD).finditer(text, view.focus_start):
        if match.group() not in mentioned:
            continue
        index = bisect_right(starts, match.start()) - 1
        if index < 0 or covered[index][1] <= match.start():
            yield Candidate(match.start(), match.end(), "PERSON", REPEATED_SCORE)


RECOGNIZERS = (Recognizer("lexicon_names", ("PERSON",), (), _find_lexicon_names, accept_all),)
