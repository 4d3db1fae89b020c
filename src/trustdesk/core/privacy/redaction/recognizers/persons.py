"""PERSON: names from the interaction record (exact and fuzzy), name cue phrases and honorifics."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import regex
from rapidfuzz import fuzz

from trustdesk.core.privacy.redaction.lexicon import compile_phrases, load_cues
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all

_WORD = regex.compile(r"[^\W\d_](?:[^\W\d_]|['\-](?=[^\W\d_]))*", regex.UNICODE)
# Lower-case particles inside a name ("Auguste de Bonneau", "Rebecca van der Dussen").
NAME_PARTICLES = frozenset(
    {
        "de",
        "da",
        "do",
        "das",
        "dos",
        "del",
        "della",
        "di",
        "du",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "y",
        "e",
    }
)
# Similarity (0-100) for a misheard or mistyped name token; lower when it sits next to an exact name token.
FUZZY_ALONE = 88
FUZZY_BESIDE_NAME = 75
# Name tokens that are also everyday words count only capitalised or beside another name token.
EVERYDAY_WORDS = frozenset(
    {
        "will",
        "may",
        "bill",
        "mark",
        "rose",
        "grace",
        "hope",
        "joy",
        "faith",
        "june",
        "april",
        "amber",
        "summer",
        "art",
        "frank",
        "guy",
        "ray",
        "jack",
        "sue",
        "pat",
        "chase",
        "hunter",
        "king",
        "young",
        "white",
        "black",
        "brown",
        "green",
        "long",
        "little",
        "price",
        "rich",
        "wood",
        "bell",
        "page",
        "hall",
        "lane",
        "cook",
        "baker",
        "rice",
        "bush",
        "park",
        "case",
        "day",
        "love",
        "miles",
        "cash",
        "gay",
        "penny",
        "dawn",
        "ivy",
    }
)


def _find_record_names(view: TextView) -> Iterator[Candidate]:
    """Tokens of the record's names (exact, then fuzzy), merged into runs of adjacent name tokens."""
    name_tokens = {
        token.lower()
        for name in view.known_names
        for token in _WORD.findall(name)
        if len(token) > 1 and token.lower() not in NAME_PARTICLES
    }
    if not name_tokens:
        return
    words = list(_WORD.finditer(view.text))
    exact = [match.group().lower() in name_tokens for match in words]
    accepted: list[bool] = []
    for index, match in enumerate(words):
        word = match.group()
        lowered = word.lower()
        beside_name = (index > 0 and exact[index - 1]) or (index + 1 < len(words) and exact[index + 1])
        if exact[index]:
            accepted.append(lowered not in EVERYDAY_WORDS or word[0].isupper() or beside_name)
            continue
        if len(word) < 4 or not beside_name and len(word) < 5:
            accepted.append(False)
            continue
        threshold = FUZZY_BESIDE_NAME if beside_name else FUZZY_ALONE
        accepted.append(any(fuzz.ratio(lowered, token) >= threshold for token in name_tokens))
    yield from _merge_adjacent(view.text, words, accepted)


def _merge_adjacent(text: str, words: list[regex.Match[str]], accepted: list[bool]) -> Iterator[Candidate]:
    start = end = None
    for match, is_name in zip(words, accepted):
        if is_name and start is not None and text[end : match.start()].strip(" .") == "":
            end = match.end()
            continue
        if start is not None:
            yield Candidate(start, end, "PERSON", 0.85)
            start = end = None
        if is_name:
            start, end = match.start(), match.end()
    if start is not None:
        yield Candidate(start, end, "PERSON", 0.85)


@cache
def _cue_patterns(
    language: str,
) -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str], frozenset[str]]:
    cues = load_cues(language)
    english = load_cues("en")
    honorifics = "|".join(regex.escape(word) for word in cues["honorifics"] + english["honorifics"])
    honorific = regex.compile(
        rf"(?<![\w])(?:{honorifics})\.?\s+(?=[^\W\d_])", regex.IGNORECASE | regex.UNICODE
    )
    not_names = frozenset(cues.get("not_names", ()) + english["not_names"])
    return (
        compile_phrases(cues.get("name_cues", ()) + english["name_cues"]),
        compile_phrases(cues.get("weak_name_cues", ()) + english["weak_name_cues"]),
        honorific,
        not_names,
    )


_WEAK_CUE_CONFIRMATION = regex.compile(r"\s*,?\s*(?:speaking|here|calling|from|with)\b", regex.IGNORECASE)


def _find_cued_names(view: TextView) -> Iterator[Candidate]:
    strong, weak, honorific, not_names = _cue_patterns(view.language)
    is_cased_text = any(char.isupper() for char in view.text)
    for match in strong.finditer(view.text):
        span = _name_after(view.text, match.end(), not_names, needs_capital=is_cased_text)
        if span:
            yield Candidate(span[0], span[1], "PERSON", 0.8)
    for match in honorific.finditer(view.text):
        span = _name_after(view.text, match.end(), not_names, needs_capital=is_cased_text)
        if span:
            yield Candidate(span[0], span[1], "PERSON", 0.8)
    for match in weak.finditer(view.text):
        span = _name_after(view.text, match.end(), not_names, needs_capital=True)
        if span is None and not is_cased_text:
            span = _name_after(view.text, match.end(), not_names, needs_capital=False)
            if span and not _WEAK_CUE_CONFIRMATION.match(view.text, span[1]):
                span = None
        if span:
            yield Candidate(span[0], span[1], "PERSON", 0.75)


def _name_after(
    text: str, position: int, not_names: frozenset[str], *, needs_capital: bool
) -> tuple[int, int] | None:
    """Up to three name-like words right after ``position`` (fillers such as "uh" skipped before them)."""
    start = end = None
    for match in _WORD.finditer(text, position, min(len(text), position + 80)):
        gap = text[end if end is not None else position : match.start()]
        if gap.strip(" ,.") or "\n" in gap:
            break
        word = match.group()
        if start is None and word.lower() in {"uh", "um", "er"}:
            position = match.end()
            continue
        if start is not None and word.lower() in NAME_PARTICLES and _is_followed_by_name(text, match.end()):
            end = match.end()
            continue
        if word.lower() in not_names or (needs_capital and not word[0].isupper()):
            break
        if start is None:
            start = match.start()
        end = match.end()
        if len(_WORD.findall(text[start:end])) == 3:
            break
    return (start, end) if start is not None else None


def _is_followed_by_name(text: str, position: int) -> bool:
    following = _WORD.match(text, position + 1) if text[position : position + 1] == " " else None
    return following is not None and following.group()[0].isupper()


RECOGNIZERS = (
    Recognizer("record_names", ("PERSON",), (), _find_record_names, accept_all),
    Recognizer("cued_names", ("PERSON",), (), _find_cued_names, accept_all),
)
