"""PERSON: names from the interaction record (exact and fuzzy), name cue phrases and honorifics."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Collection, Iterator
from functools import cache, lru_cache
from typing import NamedTuple

import regex
from rapidfuzz import fuzz, process

from trustdesk.core.privacy.redaction.lexicon import (
    CueSet,
    first_words,
    fold_words,
    load_cues,
    phrase_set,
)
from trustdesk.core.privacy.redaction.patterns import (
    TWIN_ALPHABET,
    TextMatch,
    TextPattern,
    reads_as_twin,
    twin_source,
)
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
    # One scan over the names joined by line breaks, which no token crosses and which end a word for
    # the final-sigma rule of lower-casing just like the end of a string.
    tokens = _WORD.findall("\n".join(known_names))
    lowered = "\n".join(tokens).lower().split("\n")
    return frozenset(
        low for token, low in zip(tokens, lowered) if len(token) > 1 and low not in NAME_PARTICLES
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


@lru_cache(maxsize=1024)
def _folded_parts(name_tokens: frozenset[str]) -> tuple[frozenset[str], ...]:
    """Each name token cut as ``fold_words`` cuts text: a word of a text that lower-cases to the token (a
    run of letters, apostrophes and hyphens) leaves all of its parts among the text's folded words, since
    case folding a lower-cased string folds the string itself."""
    # A lower-case ASCII word is its own only folded word.
    return tuple(
        frozenset((token,)) if token.isascii() and token.isalpha() else fold_words(token)
        for token in name_tokens
    )


def _may_hold_name(view: TextView, name_tokens: frozenset[str]) -> bool:
    """Cheap gate: whether any word after ``focus_start`` is a name token or near enough to one to count."""
    folded = view.folded_focus_words
    if any(parts <= folded for parts in _folded_parts(name_tokens)):
        return True
    text = view.text
    # In ASCII text without apostrophes and hyphens every word is a run of letters, and lower-cased it is
    # one of the folded words; the others (numbers) only add choices, never take one away.
    if text.isascii() and "'" not in text and "-" not in text:
        choices: Collection[str] = folded
    else:
        # Lower-casing the joined words equals lower-casing each one: a line break is neither cased nor
        # case-ignorable, so it ends a word for the final-sigma rule just like the end of a string.
        choices = "\n".join(_WORD.findall(text, view.focus_start)).lower().split("\n")
    # With no name token among the words, only the first word may stand beside one (the context's last
    # word), and every other word needs the similarity of a word alone.
    cutoff = FUZZY_BESIDE_NAME if view.focus_start else FUZZY_ALONE
    return any(
        process.extractOne(token, choices, scorer=fuzz.ratio, score_cutoff=cutoff) is not None
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


# Titles written with a full stop inside a name, beyond the honorifics of the cue files.
_TITLE_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "mx", "dr", "prof", "ing", "dipl", "univ", "mag", "sr", "sra", "srta"})
# Fillers and titles ``_name_after`` steps over before a name.
_SKIPPED_BEFORE_NAME = frozenset({"uh", "um", "er"}) | _TITLE_ABBREVIATIONS
# Where a name that ``_name_after`` reads with ``needs_capital`` may open, in text of ``TWIN_ALPHABET``
# (where a character is upper case exactly when it is in \p{Lu}): a capital after gap characters and the
# words skipped before a name (its window left aside).
_CAPITAL_AFTER_GAP = re.compile(
    twin_source(rf"(?:[ ,.]|(?i:{'|'.join(sorted(_SKIPPED_BEFORE_NAME, key=len, reverse=True))}))*\p{{Lu}}")
)
_CONFIRMATION_WORDS = frozenset({"speaking", "here", "calling", "from", "with"})
_WEAK_CUE_CONFIRMATION = TextPattern(
    rf"\s*,?\s*(?:{'|'.join(sorted(_CONFIRMATION_WORDS))})\b", regex.IGNORECASE
)


class _CueReading(NamedTuple):
    """The cue sets of one language, and what answers most texts before their patterns are read."""

    strong: CueSet
    weak: CueSet
    honorific: CueSet
    not_names: frozenset[str]
    # Every first word of the three sets; None when some phrase starts with no word.
    first_words: frozenset[str] | None
    # Each set's pattern as the ``re`` engine reads it on ``TWIN_ALPHABET`` text, its phrases as one trie
    # of letter classes: the engine rejects a branch on its first character, which it does not for
    # case-insensitive letters, so a match tried at a word costs a few steps instead of one per phrase.
    strong_twin: re.Pattern[str]
    weak_twin: re.Pattern[str]
    honorific_twin: re.Pattern[str]


@cache
def _cue_reading(language: str) -> _CueReading:
    strong, weak, honorific, not_names = _cue_patterns(language)
    sets = (strong, weak, honorific)
    words: frozenset[str] | None = frozenset()
    for cues in sets:
        words = None if words is None or cues.first_words is None else words | cues.first_words
    phrase_pattern = r"(?<![\w#]){}(?![\w])"
    honorific_source = r"(?<![\w]){}\.?\s+(?=[^\W\d_])".format(_phrase_trie(honorific.phrases))
    return _CueReading(
        strong,
        weak,
        honorific,
        not_names,
        words,
        re.compile(twin_source(phrase_pattern.format(_phrase_trie(strong.phrases)))),
        re.compile(twin_source(phrase_pattern.format(_phrase_trie(weak.phrases)))),
        re.compile(twin_source(honorific_source)),
    )


def _phrase_trie(phrases: tuple[str, ...]) -> str:
    """One alternation of ``phrases`` shaped as a trie, matching on ``TWIN_ALPHABET`` text what
    ``compile_phrases`` and ``_honorific_pattern`` match there: letters as classes of the characters
    ``re`` matches case-insensitively, a space as ``\\s+``. The characters leaving a node are pairwise
    exclusive, so at most one path goes on from each node, and the longest phrase on it is tried first,
    as in those alternations, where a longer phrase comes first or only a longer one leads to a match."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_source(trie)


def _trie_source(node: dict[str, dict]) -> str:
    # The end of a phrase, keyed "", is tried after the longer phrases that go on from it.
    branches = [_char_source(char) + _trie_source(child) for char, child in node.items() if char]
    if "" in node:
        branches.append("")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@cache
def _char_source(char: str) -> str:
    if char == " ":
        return r"\s+"
    cases = [other for other in TWIN_ALPHABET if re.fullmatch(re.escape(char), other, re.IGNORECASE)]
    if len(cases) == 1:
        return re.escape(cases[0])
    return "[" + "".join(map(re.escape, cases)) + "]" if cases else "(?!)"


def has_capital(text: str) -> bool:
    """Whether a character of ``text`` is upper case. On ``TWIN_ALPHABET`` text exactly the upper-case
    characters change when lower-cased, which a comparison answers at C speed."""
    if text.isascii() or reads_as_twin(text):
        return text.lower() != text
    return any(char.isupper() for char in text)


def _find_cued_names(view: TextView) -> Iterator[Candidate]:
    reading = _cue_reading(view.language)
    if reading.first_words is None:
        present = None
    else:
        present = reading.first_words.intersection(view.folded_words)
        if not present:
            return
    text, not_names = view.text, reading.not_names
    # islower() answers most texts at C speed: all cased characters lower case means no capital.
    is_cased_text = not text.islower() and has_capital(text)
    on_twin_alphabet = text.isascii() or reads_as_twin(text)
    capital_gate = _CAPITAL_AFTER_GAP if is_cased_text and on_twin_alphabet else None
    # Phrases are matched at the words they start with (``TextView.cue_matches``), whatever their number.
    starts = view.word_starts if on_twin_alphabet and present is not None else None
    for end in _cue_ends(view, reading.strong, reading.strong_twin, starts, present):
        span = _name_after_cue(text, end, not_names, is_cased_text, capital_gate)
        if span:
            yield Candidate(span[0], span[1], "PERSON", 0.8)
    for end in _cue_ends(view, reading.honorific, reading.honorific_twin, starts, present):
        span = _name_after_cue(text, end, not_names, is_cased_text, capital_gate)
        if span:
            yield Candidate(span[0], span[1], "PERSON", 0.8)
    if is_cased_text:
        for end in _cue_ends(view, reading.weak, reading.weak_twin, starts, present):
            span = _name_after_cue(text, end, not_names, True, capital_gate)
            if span:
                yield Candidate(span[0], span[1], "PERSON", 0.75)
    # Without a capital in the text (none is upper case) a weak cue needs a confirming word after the name
    # ("this is ana speaking"). Case folding keeps these words apart on ``TWIN_ALPHABET``.
    elif not on_twin_alphabet or not _CONFIRMATION_WORDS.isdisjoint(view.folded_words):
        for end in _cue_ends(view, reading.weak, reading.weak_twin, starts, present):
            span = _name_after(text, end, not_names, needs_capital=False)
            if span and _WEAK_CUE_CONFIRMATION.match(text, span[1]):
                yield Candidate(span[0], span[1], "PERSON", 0.75)


def _cue_ends(
    view: TextView,
    cues: CueSet,
    twin_pattern: re.Pattern[str],
    starts: dict[str, list[int]] | None,
    present: frozenset[str] | None,
) -> list[int]:
    """Where the phrases of ``cues`` that ``view.cue_matches`` finds end. Given the text's word starts
    (``TextView.word_starts``, the text being of ``TWIN_ALPHABET``) and its ``present`` first words, the
    phrases are tried with ``twin_pattern`` at their first words, leftmost first and never overlapping."""
    if starts is None or present is None or cues.first_words is None:
        return [match.end() for match in view.cue_matches(cues)]
    words = cues.first_words.intersection(present)
    if not words:
        return []
    if len(words) == 1:
        positions = starts[next(iter(words))]
    else:
        positions = []
        for word in words:
            positions += starts[word]
        positions.sort()
    ends = []
    end = view.focus_start
    for start in positions:
        if start >= end and (match := twin_pattern.match(view.text, start)) is not None:
            end = match.end()
            ends.append(end)
    return ends


def _name_after_cue(
    text: str,
    position: int,
    not_names: frozenset[str],
    needs_capital: bool,
    capital_gate: re.Pattern[str] | None,
) -> tuple[int, int] | None:
    """``_name_after``, answered first by ``capital_gate`` when given: most cues have no capital after."""
    if capital_gate is not None and capital_gate.match(text, position) is None:
        return None
    return _name_after(text, position, not_names, needs_capital=needs_capital)


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
        if start is None and word.lower() in _SKIPPED_BEFORE_NAME:
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


def _is_abbreviation(word: str) -> bool:
    return len(word) == 1 or word.lower() in _TITLE_ABBREVIATIONS


def _is_followed_by_name(text: str, position: int) -> bool:
    following = _WORD.match(text, position + 1) if text[position : position + 1] == " " else None
    return following is not None and following.group()[0].isupper()


RECOGNIZERS = (
    Recognizer("record_names", ("PERSON",), (), _find_record_names, accept_all),
    Recognizer("cued_names", ("PERSON",), (), _find_cued_names, accept_all),
)
