"""PERSON: names from the interaction record (exact and fuzzy), name cue phrases and honorifics."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from functools import cache, lru_cache

import regex
from rapidfuzz import fuzz, process

from trustdesk.core.privacy.redaction.lexicon import CueSet, first_words, load_cues, phrase_set
from trustdesk.core.privacy.redaction.patterns import TextMatch, TextPattern
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all

# Letters, and apostrophes or hyphens between letters ("O'Neil", "Jean-Luc"); possessive runs of letters
# keep the scan to one step per character.
_WORD = TextPattern(r"[^\W\d_]++(?:['\-][^\W\d_]++)*+", regex.UNICODE)
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


@lru_cache(maxsize=1024)
def _name_tokens(known_names: tuple[str, ...]) -> frozenset[str]:
    """The lower-cased tokens of the record's names, built once per record rather than once per turn."""
    return frozenset(
        token.lower()
        for name in known_names
        for token in _WORD.findall(name)
        if len(token) > 1 and token.lower() not in NAME_PARTICLES
    )


def _find_record_names(view: TextView) -> Iterator[Candidate]:
    """Tokens of the record's names (exact, then fuzzy), merged into runs of adjacent name tokens."""
    name_tokens = _name_tokens(view.known_names)
    if not name_tokens or not _may_hold_name(view, name_tokens):
        return
    # The last context word is read too: a name token there vouches for a misheard one opening the turn.
    context_word = deque(_WORD.finditer(view.text, 0, view.focus_start), maxlen=1)
    words = [*context_word, *_WORD.finditer(view.text, view.focus_start)]
    originals = [match.group() for match in words]
    lowered = [word.lower() for word in originals]
    exact = [word in name_tokens for word in lowered]
    fuzzy_positions = [index for index, word in enumerate(originals) if not exact[index] and len(word) >= 4]
    similarity = _best_similarity(lowered, fuzzy_positions, name_tokens)
    accepted = [False] * len(words)
    # Only exact tokens and words close to one can be names; every other word is settled above in C.
    for index in sorted({index for index, is_exact in enumerate(exact) if is_exact} | similarity.keys()):
        word = originals[index]
        beside_name = (index > 0 and exact[index - 1]) or (index + 1 < len(words) and exact[index + 1])
        if exact[index]:
            accepted[index] = lowered[index] not in EVERYDAY_WORDS or word[0].isupper() or beside_name
        elif len(word) >= 5 or beside_name and len(word) >= 4:
            accepted[index] = similarity[index] >= (FUZZY_BESIDE_NAME if beside_name else FUZZY_ALONE)
    if context_word:
        accepted[0] = False
    yield from _merge_adjacent(view.text, words, accepted)


def _may_hold_name(view: TextView, name_tokens: frozenset[str]) -> bool:
    """Cheap gate: whether any word after ``focus_start`` is a name token or near enough to one to count."""
    # Lower-casing the joined words equals lower-casing each one: a line break is neither cased nor
    # case-ignorable, so it ends a word for the final-sigma rule just like the end of a string.
    lowered = "\n".join(_WORD.findall(view.text, view.focus_start)).lower().split("\n")
    if not name_tokens.isdisjoint(lowered):
        return True
    return any(
        process.extractOne(token, lowered, scorer=fuzz.ratio, score_cutoff=FUZZY_BESIDE_NAME) is not None
        for token in name_tokens
    )


def _best_similarity(lowered: list[str], positions: list[int], name_tokens: frozenset[str]) -> dict[int, float]:
    """Best ``fuzz.ratio`` to a name token of the words at ``positions`` that reach the lower fuzzy threshold."""
    choices = [lowered[index] for index in positions]
    best: dict[int, float] = {}
    for token in name_tokens:
        for _, score, choice in process.extract(
            token, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_BESIDE_NAME, limit=None
        ):
            index = positions[choice]
            best[index] = max(best.get(index, 0.0), score)
    return best


def _merge_adjacent(text: str, words: list[TextMatch], accepted: list[bool]) -> Iterator[Candidate]:
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
def _cue_patterns(language: str) -> tuple[CueSet, CueSet, CueSet, frozenset[str]]:
    cues = load_cues(language)
    english = load_cues("en")
    honorific_words = cues["honorifics"] + english["honorifics"]
    not_names = frozenset(cues.get("not_names", ()) + english["not_names"])
    strong = cues.get("name_cues", ()) + english["name_cues"]
    weak = cues.get("weak_name_cues", ()) + english["weak_name_cues"]
    honorifics = CueSet(honorific_words, _honorific_pattern(honorific_words), first_words(honorific_words))
    return phrase_set(strong), phrase_set(weak), honorifics, not_names


def _honorific_pattern(words: tuple[str, ...]) -> TextPattern:
    """A title followed by a word: "Mr. Lee", "Sra Ana"."""
    alternation = "|".join(regex.escape(word) for word in words)
    return TextPattern(rf"(?<![\w])(?:{alternation})\.?\s+(?=[^\W\d_])", regex.IGNORECASE | regex.UNICODE)


_WEAK_CUE_CONFIRMATION = TextPattern(r"\s*,?\s*(?:speaking|here|calling|from|with)\b", regex.IGNORECASE)


def _find_cued_names(view: TextView) -> Iterator[Candidate]:
    strong, weak, honorific, not_names = _cue_patterns(view.language)
    if not (view.has_cue_word(strong) or view.has_cue_word(weak) or view.has_cue_word(honorific)):
        return
    # islower() answers most texts at C speed: all cased characters lower case means no capital.
    is_cased_text = not view.text.islower() and any(char.isupper() for char in view.text)
    for match in view.cue_matches(strong):
        span = _name_after(view.text, match.end(), not_names, needs_capital=is_cased_text)
        if span:
            yield Candidate(span[0], span[1], "PERSON", 0.8)
    for match in view.cue_matches(honorific):
        span = _name_after(view.text, match.end(), not_names, needs_capital=is_cased_text)
        if span:
            yield Candidate(span[0], span[1], "PERSON", 0.8)
    for match in view.cue_matches(weak):
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
    last_word = ""
    for match in _WORD.finditer(text, position, min(len(text), position + 80)):
        gap = text[end if end is not None else position : match.start()]
        if gap.strip(" ,.") or "\n" in gap:
            break
        # Inside a name only the full stop of an initial or a title may stand between words ("Dr. Ana
        # Lima", "Vanessa P. Hertzog"): "Jannie, I'm" and "Chris. Take care" are two clauses.
        if start is not None and gap.strip(" ") and not (gap.strip(" ") == "." and _is_abbreviation(last_word)):
            break
        word = match.group()
        # Fillers and titles before the name are skipped: "Thanks Ms. Lee" keeps its title readable.
        if start is None and (word.lower() in {"uh", "um", "er"} or word.lower() in _TITLE_ABBREVIATIONS):
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
        last_word = word
        if len(_WORD.findall(text[start:end])) == 3:
            break
    return (start, end) if start is not None else None


# Titles written with a full stop inside a name, beyond the honorifics of the cue files.
_TITLE_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "mx", "dr", "prof", "ing", "dipl", "univ", "mag", "sr", "sra", "srta"})


def _is_abbreviation(word: str) -> bool:
    return len(word) == 1 or word.lower() in _TITLE_ABBREVIATIONS


def _is_followed_by_name(text: str, position: int) -> bool:
    following = _WORD.match(text, position + 1) if text[position : position + 1] == " " else None
    return following is not None and following.group()[0].isupper()


RECOGNIZERS = (
    Recognizer("record_names", ("PERSON",), (), _find_record_names, accept_all),
    Recognizer("cued_names", ("PERSON",), (), _find_cued_names, accept_all),
)
