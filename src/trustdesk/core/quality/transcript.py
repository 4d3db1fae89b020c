"""A read-only view of one interaction prepared once for all criteria: folded text, data labels, phrases."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import regex

from trustdesk.core.model import Channel, Interaction, Speaker
from trustdesk.core.quality.language import SUPPORTED_LANGUAGES, canonical_language, detect_language
from trustdesk.core.quality.phrases import (
    CATEGORIES,
    compile_phrases,
    fold_text,
    load_phrase_pack,
    phrase_key,
    text_words,
)
from trustdesk.core.quality.results import Evidence

# Placeholders the redaction step leaves in the text, e.g. "[CARD]" (CONTRACTS.md section 2 labels).
_PLACEHOLDER = regex.compile(r"\[([A-Z][A-Z_]+)\]")
_SENTENCE_END = regex.compile(r"(?<=[.!?])\s+")
# A turn this short that names a kind of data is a request on its own ("Acme. Account number.").
TELEGRAPHIC_REQUEST_WORDS = 5
# Quotes are for a reviewer's eye: long enough to judge, short enough for a table cell.
MAX_QUOTE_CHARS = 200
# Open-ended phrases ("apologi*") are indexed by their first four letters (the shortest stem in the packs);
# a shorter stem gets its list searched in every text.
STEM_KEY_CHARS = 4
_WORD_STEM = re.compile(rf"(?<!\w)\w{{{STEM_KEY_CHARS}}}")


@dataclass(frozen=True)
class TurnView:
    index: int
    speaker: Speaker
    text: str
    folded: str
    labels: frozenset[str]


@dataclass(frozen=True)
class PhraseIndex:
    """Which phrase lists can match a text, told from its words alone: a set lookup spares most searches.

    A list is named by its category, or by ``data_request_key(label)`` for a data label's request words.
    """

    by_word: dict[str, frozenset[str]]
    by_stem: dict[str, frozenset[str]]
    everywhere: frozenset[str]

    def names_in(self, folded: str) -> frozenset[str]:
        """Names of the lists that may match ``folded`` text (a superset of those that do)."""
        # Set intersections run in C; only the few key words a text holds are visited in Python.
        found = set(self.everywhere)
        for word in text_words(folded) & self.words:
            found.update(self.by_word[word])
        for stem in self.stems.intersection(_WORD_STEM.findall(folded)):
            found.update(self.by_stem[stem])
        return frozenset(found)

    @functools.cached_property
    def words(self) -> frozenset[str]:
        return frozenset(self.by_word)

    @functools.cached_property
    def stems(self) -> frozenset[str]:
        return frozenset(self.by_stem)


def data_request_key(label: str) -> str:
    """The ``PhraseIndex`` name of the request words for data ``label``."""
    return f"data_request:{label}"


def index_phrases(lists: dict[str, tuple[str, ...]]) -> PhraseIndex:
    """Index named phrase lists by the word (or word beginning) each phrase needs in a matching text."""
    by_word: dict[str, set[str]] = {}
    by_stem: dict[str, set[str]] = {}
    everywhere: set[str] = set()
    for name, phrases in lists.items():
        for phrase in phrases:
            key = phrase_key(phrase)
            if key is None or (key[1] and len(key[0]) < STEM_KEY_CHARS):
                everywhere.add(name)
            elif key[1]:
                by_stem.setdefault(key[0][:STEM_KEY_CHARS], set()).add(name)
            else:
                by_word.setdefault(key[0], set()).add(name)
    return PhraseIndex(
        by_word={word: frozenset(names) for word, names in by_word.items()},
        by_stem={stem: frozenset(names) for stem, names in by_stem.items()},
        everywhere=frozenset(everywhere),
    )


@dataclass(frozen=True)
class PhraseMatcher:
    """Compiled phrase alternations for a set of languages, one per category and data label."""

    languages: tuple[str, ...]
    categories: dict[str, re.Pattern[str] | None]
    data_requests: dict[str, re.Pattern[str] | None]
    index: PhraseIndex
    data_request_names: frozenset[str]

    def find(self, category: str, folded: str) -> re.Match[str] | None:
        pattern = self.categories[category]
        return pattern.search(folded) if pattern is not None else None

    def requested_labels(self, folded: str, possible: frozenset[str]) -> tuple[str, ...]:
        """Data labels whose request words occur in ``folded`` (sorted), searching only ``possible`` lists."""
        if possible.isdisjoint(self.data_request_names):
            return ()
        return tuple(
            label
            for label, pattern in self.data_requests.items()
            if pattern is not None and data_request_key(label) in possible and pattern.search(folded)
        )

    def possible_lists(self, folded: str) -> frozenset[str]:
        """Names of the phrase lists that may match ``folded``; the others cannot."""
        return self.index.names_in(folded)


@functools.cache
def phrase_matcher(languages: tuple[str, ...]) -> PhraseMatcher:
    """The matcher over the union of the given languages' packs (cached per language set)."""
    packs = [load_phrase_pack(language) for language in languages]
    fillers = tuple(sorted({word for pack in packs for word in pack.fillers}))
    labels = sorted({label for pack in packs for label in pack.data_requests})
    lists = {
        **{category: tuple(p for pack in packs for p in pack.phrases[category]) for category in CATEGORIES},
        **{
            data_request_key(label): tuple(p for pack in packs for p in pack.data_requests.get(label, ()))
            for label in labels
        },
    }
    return PhraseMatcher(
        languages=languages,
        categories={
            category: compile_phrases(
                tuple(p for pack in packs for p in pack.phrases[category]), fillers=fillers
            )
            for category in CATEGORIES
        },
        data_requests={
            label: compile_phrases(
                tuple(p for pack in packs for p in pack.data_requests.get(label, ())), fillers=fillers
            )
            for label in labels
        },
        index=index_phrases(lists),
        data_request_names=frozenset(data_request_key(label) for label in labels),
    )


@dataclass(frozen=True)
class TranscriptView:
    interaction: Interaction
    turns: tuple[TurnView, ...]
    language: str | None
    customer_language: str | None
    agent_language: str | None
    matcher: PhraseMatcher
    # Per turn index, the phrase lists its words allow (``PhraseMatcher.possible_lists``), filled on first
    # use: most searches end there, and some turns are never searched at all.
    _possible: dict[int, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    # Per-view memo of phrase searches: several criteria ask the same (category, turn) question.
    _found: dict[tuple[str, int], Evidence | None] = field(default_factory=dict, compare=False, repr=False)
    _requests: dict[str, list[tuple[TurnView, tuple[str, ...]]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def channel(self) -> Channel:
        return self.interaction.channel

    @property
    def is_written(self) -> bool:
        return self.interaction.channel is not Channel.VOICE

    @functools.cached_property
    def agent_turns(self) -> tuple[TurnView, ...]:
        return tuple(turn for turn in self.turns if turn.speaker is Speaker.AGENT)

    @functools.cached_property
    def customer_turns(self) -> tuple[TurnView, ...]:
        return tuple(turn for turn in self.turns if turn.speaker is Speaker.CUSTOMER)

    def possible_lists(self, turn: TurnView) -> frozenset[str]:
        """The phrase lists that may match ``turn``; the others cannot."""
        possible = self._possible.get(turn.index)
        if possible is None:
            possible = self._possible[turn.index] = self.matcher.possible_lists(turn.folded)
        return possible

    def match(self, category: str, turn: TurnView) -> re.Match[str] | None:
        """The first ``category`` phrase in ``turn`` (folded text), if any."""
        if category not in self.possible_lists(turn):
            return None
        return self.matcher.find(category, turn.folded)

    def find(self, category: str, turn: TurnView) -> Evidence | None:
        """Evidence quoting the sentence of ``turn`` where a ``category`` phrase occurs, if any."""
        key = (category, turn.index)
        if key not in self._found:
            match = self.match(category, turn)
            self._found[key] = quote_at(turn, match.start()) if match else None
        return self._found[key]

    def data_requests(self) -> list[tuple[TurnView, tuple[str, ...]]]:
        """Agent turns that ask for personal data, with the labels asked for.

        A turn asks when it names a kind of data and is a question or a request ("please", "could you"),
        or when the customer's next turn supplies data of that kind ("Your card number." -> "[CARD]").
        """
        if "all" not in self._requests:
            self._requests["all"] = self._find_data_requests()
        return self._requests["all"]

    def _find_data_requests(self) -> list[tuple[TurnView, tuple[str, ...]]]:
        requests: list[tuple[TurnView, tuple[str, ...]]] = []
        for position, turn in enumerate(self.turns):
            if turn.speaker is not Speaker.AGENT:
                continue
            named = self.matcher.requested_labels(turn.folded, self.possible_lists(turn))
            if not named:
                continue
            reply = next((t for t in self.turns[position + 1 :] if t.speaker is Speaker.CUSTOMER), None)
            supplied = reply.labels if reply else frozenset()
            is_request = (
                "?" in turn.text
                or len(turn.text.split()) <= TELEGRAPHIC_REQUEST_WORDS
                or self.match("request_cue", turn) is not None
            )
            asked = tuple(label for label in named if is_request or label in supplied)
            if asked:
                requests.append((turn, asked))
        return requests


def quote_at(turn: TurnView, position: int) -> Evidence:
    """Evidence quoting the sentence of ``turn`` that contains character ``position``."""
    start = 0
    for boundary in _SENTENCE_END.finditer(turn.text):
        if boundary.end() > position:
            break
        start = boundary.end()
    following = _SENTENCE_END.search(turn.text, position)
    end = following.start() if following else len(turn.text)
    return Evidence(turn=turn.index, quote=turn.text[start:end][:MAX_QUOTE_CHARS])


def quote_turn(turn: TurnView) -> Evidence:
    """Evidence quoting the beginning of ``turn``."""
    return Evidence(turn=turn.index, quote=turn.text[:MAX_QUOTE_CHARS])


def _turn_labels(interaction: Interaction, index: int, text: str) -> frozenset[str]:
    found = set(_PLACEHOLDER.findall(text))
    if index < len(interaction.entities):
        found.update(entity.label for entity in interaction.entities[index])
    return frozenset(found)


# Detection time grows with text length while accuracy stops improving after a few sentences. The
# sample is the end of what the speaker said: an agent may greet in the customer's language from a
# script and then answer in another, and the answers are what language_match is about.
DETECTION_SAMPLE_CHARS = 200


def _speaker_language(turns: tuple[TurnView, ...], speaker: Speaker) -> str | None:
    text = " ".join(turn.text for turn in turns if turn.speaker is speaker)
    sample = _PLACEHOLDER.sub(" ", text)[-DETECTION_SAMPLE_CHARS:]
    # Start the sample at a word boundary so a cut word does not look like another language.
    return detect_language(sample if len(sample) < DETECTION_SAMPLE_CHARS else sample.partition(" ")[2])


def build_transcript(interaction: Interaction) -> TranscriptView:
    """Prepare ``interaction`` for the criteria: fold text, collect labels, detect languages, pick phrases."""
    turns = tuple(
        TurnView(
            index=index,
            speaker=turn.speaker,
            text=turn.text,
            folded=fold_text(turn.text),
            labels=_turn_labels(interaction, index, turn.text),
        )
        for index, turn in enumerate(interaction.turns)
    )
    customer_language = _speaker_language(turns, Speaker.CUSTOMER)
    agent_language = _speaker_language(turns, Speaker.AGENT)
    language = canonical_language(interaction.language) or customer_language or agent_language
    return TranscriptView(
        interaction=interaction,
        turns=turns,
        language=language,
        customer_language=customer_language,
        agent_language=agent_language,
        # Phrases of every pack are matched whatever the detected language: agents code-switch, short turns
        # defeat detection, and the packs' phrases rarely collide across these seven languages.
        matcher=phrase_matcher(SUPPORTED_LANGUAGES),
    )
