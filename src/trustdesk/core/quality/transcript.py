"""A read-only view of one interaction prepared once for all criteria: folded text, data labels, phrases."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from trustdesk.core.model import Channel, Interaction, Speaker
from trustdesk.core.quality.language import SUPPORTED_LANGUAGES, canonical_language, detect_language
from trustdesk.core.quality.phrases import (
    CATEGORIES,
    PATTERN_CATEGORIES,
    compile_phrases,
    fold_text,
    load_phrase_pack,
    phrase_key,
    text_words,
)
from trustdesk.core.quality.results import Evidence

# Placeholders the redaction step leaves in the text, e.g. "[CARD]" (CONTRACTS.md section 2 labels).
# These two run on every turn, where the stdlib engine's lower cost per call matters. ``regex``'s \s, which
# the sentence split used to be written with, leaves out the separators U+001C-U+001F that stdlib's \s has.
_PLACEHOLDER = re.compile(r"\[([A-Z][A-Z_]+)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[^\S\x1c-\x1f]+")
# A turn this short that names a kind of data is a request on its own ("Acme. Account number.").
TELEGRAPHIC_REQUEST_WORDS = 5
# A customer reply of at most this many words besides placeholders is an answer to the agent's question
# ("Sure, it's [EMAIL]."), so the question asked for that data even unnamed ("How can we reach you?").
ANSWER_ONLY_WORDS = 4
# How far before a fixing verb its perfect marker may stand: "Ich habe die Mahnung storniert" puts the
# participle last, a few words on; further away the two belong to different clauses.
MARKER_WINDOW_CHARS = 60
# How far before a phrase a negation still denies it: "not", "ainda não", "noch nicht" stand right before.
NEGATION_WINDOW_CHARS = 12
# A request kind that names part of a broader one, which it replaces when both are named.
NARROWER_KINDS = {"CARD_LAST_FOUR": "CARD"}
# A location question without a stock phrase: a question with a "where" word and the addressee close
# together ("wo sitzt ihr?", "vous êtes où ?", "aap log kahan ho?", "nasaan po ba kayo?").
WHERE_TO_ADDRESSEE_WORDS = 3
# Without a question mark, the "where" word must open the sentence, after at most a word like "so" or "btw".
WHERE_OPENS_QUESTION_WORDS = 2
# Quotes are for a reviewer's eye: long enough to judge, short enough for a table cell.
MAX_QUOTE_CHARS = 200
# Open-ended phrases ("apologi*") are indexed by their first four letters (the shortest stem in the packs);
# a shorter stem gets its list searched in every text.
STEM_KEY_CHARS = 4


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
        found = set(self.everywhere)
        by_word, by_stem = self.by_word, self.by_stem
        # One pass over the text's words finds both keys: an indexed stem is a word's first letters. Two
        # dictionary lookups a word cost less than a second regex scan of the text for the stems.
        for word in text_words(folded):
            names = by_word.get(word)
            if names:
                found |= names
            if len(word) >= STEM_KEY_CHARS:
                names = by_stem.get(word[:STEM_KEY_CHARS])
                if names:
                    found |= names
        return frozenset(found)


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
    patterns: dict[str, tuple[re.Pattern[str], ...]]

    def find(self, category: str, folded: str) -> re.Match[str] | None:
        pattern = self.categories[category]
        return pattern.search(folded) if pattern is not None else None

    def find_all(self, category: str, folded: str) -> list[re.Match[str]]:
        pattern = self.categories[category]
        return list(pattern.finditer(folded)) if pattern is not None else []

    def is_whole(self, category: str, text: str) -> bool:
        """Whether ``text`` (folded) is, as a whole, one phrase of ``category``."""
        pattern = self.categories[category]
        return pattern is not None and pattern.fullmatch(text.strip()) is not None

    def requested_labels(self, folded: str, possible: frozenset[str]) -> tuple[str, ...]:
        """Data labels whose request words occur in ``folded`` (sorted), searching only ``possible`` lists."""
        if possible.isdisjoint(self.data_request_names):
            return ()
        return tuple(
            label for label, key, pattern in self._request_lists if key in possible and pattern.search(folded)
        )

    @functools.cached_property
    def _request_lists(self) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
        # Each label with its index name, built once: this runs for every agent turn of every interaction.
        return tuple(
            (label, data_request_key(label), pattern)
            for label, pattern in self.data_requests.items()
            if pattern is not None
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
        patterns={
            category: tuple(re.compile(pattern) for pack in packs for pattern in pack.patterns[category])
            for category in PATTERN_CATEGORIES
        },
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
    _remembered: dict[tuple[str, int], float] = field(default_factory=dict, compare=False, repr=False)

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

    def find_location_question(self, turn: TurnView) -> Evidence | None:
        """Evidence of a customer asking who or where the agent is: a stock phrase ("call center"), or a
        question with a "where" word near a word for the addressee."""
        found = self.find("location_question", turn)
        if found:
            return found
        possible = self.possible_lists(turn)
        if "where_word" not in possible or "addressee" not in possible:
            return None
        for start, end in sentence_spans(turn.text):
            folded = turn.folded[start:end]
            is_question = "?" in folded
            addressees = [m.start() for m in self.matcher.find_all("addressee", folded)]
            for where in self.matcher.find_all("where_word", folded):
                # Chat drops the question mark ("also where is your team, it's 3am here"); a sentence
                # opening with the "where" word asks all the same.
                if not (is_question or _words_between(folded, 0, where.start()) < WHERE_OPENS_QUESTION_WORDS):
                    continue
                gaps = (_words_between(folded, where.start(), addressee) for addressee in addressees)
                if any(gap <= WHERE_TO_ADDRESSEE_WORDS for gap in gaps):
                    return quote_at(turn, start + where.start())
        return None

    def find_affirmed(self, category: str, turn: TurnView, *, unless: str) -> Evidence | None:
        """Evidence of a ``category`` phrase in ``turn`` that an ``unless`` phrase just before it does not
        deny ("it works now", not "it still doesn't work"; "funcionou", not "não funcionou")."""
        if category not in self.possible_lists(turn):
            return None
        check_denial = unless in self.possible_lists(turn)
        for match in self.matcher.find_all(category, turn.folded):
            sentence_start, _ = sentence_span(turn.text, match.start())
            before = turn.folded[max(sentence_start, match.start() - NEGATION_WINDOW_CHARS) : match.start()]
            if not (check_denial and self.matcher.find(unless, before)):
                return quote_at(turn, match.start())
        return None

    def find_together(self, marker: str, action: str, turn: TurnView, *, unless: str) -> Evidence | None:
        """Evidence of an ``action`` phrase near a ``marker`` phrase in one sentence of ``turn``, with no
        ``unless`` phrase between them ("I've refunded", "refund kar diya", not "I have not refunded")."""
        possible = self.possible_lists(turn)
        if marker not in possible or action not in possible:
            return None
        check_denial = unless in possible
        for match in self.matcher.find_all(action, turn.folded):
            sentence_start, sentence_end = sentence_span(turn.text, match.start())
            before = turn.folded[max(sentence_start, match.start() - MARKER_WINDOW_CHARS) : match.start()]
            after = turn.folded[match.end() : min(sentence_end, match.end() + MARKER_WINDOW_CHARS)]
            # Markers precede the verb in most of the packs' languages and follow it in Hindi ("kar diya").
            found_before = self.matcher.find(marker, before)
            found_after = None if found_before else self.matcher.find(marker, after)
            if found_before:
                between = before[found_before.start() :]
            elif found_after:
                between = after[: found_after.end()]
            else:
                continue
            if check_denial and self.matcher.find(unless, between):
                continue
            return quote_at(turn, match.start())
        return None

    def data_requests(self) -> list[tuple[TurnView, tuple[str, ...]]]:
        """Agent turns that ask for personal data, with the labels asked for.

        A turn asks when it names a kind of data and is a question or a request ("please", "could you"),
        or when the customer's next turn supplies data of that kind ("Your card number." -> "[CARD]").
        A question or request after the opening that the customer answers with little more than data
        asked for that data, named or not ("How can we reach you?" -> "[PHONE]").
        """
        if "all" not in self._requests:
            self._requests["all"] = self._find_data_requests()
        return self._requests["all"]

    def _find_data_requests(self) -> list[tuple[TurnView, tuple[str, ...]]]:
        requests: list[tuple[TurnView, tuple[str, ...]]] = []
        reply: TurnView | None = None  # the next customer turn, walking backwards
        for turn in reversed(self.turns):
            if turn.speaker is Speaker.CUSTOMER:
                reply = turn
                continue
            if turn.speaker is not Speaker.AGENT:
                continue
            supplied = reply.labels if reply else frozenset()
            # Most agent turns name no data and get none back: one search of the whole turn rules them out.
            if not supplied and not self.matcher.requested_labels(turn.folded, self.possible_lists(turn)):
                continue
            asked, named, is_request = self._asked_in(turn, supplied)
            # "How can we reach you?" -> "[PHONE]": a request naming no data asked for what the answer holds.
            if not named and supplied and is_request and turn is not self.agent_turns[0]:
                if self._is_answer_only(reply):
                    asked += sorted(supplied)
            if asked:
                requests.append((turn, tuple(asked)))
        return requests[::-1]

    def _asked_in(self, turn: TurnView, supplied: frozenset[str]) -> tuple[list[str], bool, bool]:
        """(labels ``turn`` asks for, whether it names any data, whether it is a question or request).

        A data name is asked for when its own sentence is a question, carries a request cue or is
        telegraphic ("Account number."), or when the customer's reply supplies that kind: "Das mit dem
        Geburtstag verstehe ich. Nennen Sie mir bitte Ihren Namen?" asks for the name, not a birth date.
        """
        possible = self.possible_lists(turn)
        is_turn_request = len(turn.text.split()) <= TELEGRAPHIC_REQUEST_WORDS
        asked: list[str] = []
        named = False
        for start, end in sentence_spans(turn.text):
            sentence, folded = turn.text[start:end], turn.folded[start:end]
            # Naming data the turn itself holds ("so the card is [CARD]?") reads it back; it asks for nothing.
            labels = [
                label
                for label in narrowest_kinds(self.matcher.requested_labels(folded, possible))
                if label not in turn.labels
            ]
            if not labels and is_turn_request:
                continue
            is_request = (
                is_turn_request
                or "?" in sentence
                or len(sentence.split()) <= TELEGRAPHIC_REQUEST_WORDS
                or ("request_cue" in possible and self.matcher.find("request_cue", folded) is not None)
            )
            is_turn_request |= is_request
            named |= bool(labels)
            asked += [label for label in labels if (is_request or label in supplied) and label not in asked]
        return asked, named, is_turn_request

    def _is_answer_only(self, reply: TurnView | None) -> bool:
        return reply is not None and _words_besides_data(self.interaction, reply) <= ANSWER_ONLY_WORDS

    def remember(self, key: tuple[str, int], compute: Callable[[], float]) -> float:
        """``compute()`` once per view and key: several criteria read the same measure of a turn."""
        if key not in self._remembered:
            self._remembered[key] = compute()
        return self._remembered[key]


def narrowest_kinds(labels: tuple[str, ...]) -> tuple[str, ...]:
    """``labels`` without a kind that a narrower named kind stands for ("the last four digits of the card
    number" asks for CARD_LAST_FOUR, not the CARD it mentions)."""
    covered = {NARROWER_KINDS[label] for label in labels if label in NARROWER_KINDS}
    return tuple(label for label in labels if label not in covered)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of each sentence of ``text``, in order."""
    spans, start = [], 0
    for boundary in _SENTENCE_END.finditer(text):
        spans.append((start, boundary.start()))
        start = boundary.end()
    spans.append((start, len(text)))
    return spans


def sentence_span(text: str, position: int) -> tuple[int, int]:
    """Start and end of the sentence of ``text`` that contains character ``position``."""
    start = 0
    # One scan finds both ends: the sentence ends at the first boundary that starts at or after ``position``.
    boundaries = _SENTENCE_END.finditer(text)
    for boundary in boundaries:
        if boundary.end() > position:
            # A ``position`` inside this run of spaces belongs to the sentence that ends at the next boundary.
            following = boundary if boundary.start() >= position else next(boundaries, None)
            return start, following.start() if following else len(text)
        start = boundary.end()
    return start, len(text)


def quote_at(turn: TurnView, position: int) -> Evidence:
    """Evidence quoting the sentence of ``turn`` that contains character ``position``."""
    start, end = sentence_span(turn.text, position)
    return Evidence(turn=turn.index, quote=turn.text[start:end][:MAX_QUOTE_CHARS])


def quote_turn(turn: TurnView) -> Evidence:
    """Evidence quoting the beginning of ``turn``."""
    return Evidence(turn=turn.index, quote=turn.text[:MAX_QUOTE_CHARS])


def _words_between(text: str, first: int, second: int) -> int:
    low, high = sorted((first, second))
    return len(text[low:high].split())


def _turn_labels(interaction: Interaction, index: int, text: str) -> frozenset[str]:
    # Most turns hold no placeholder; a substring test spares them the regex scan.
    found = set(_PLACEHOLDER.findall(text)) if "[" in text else set()
    if index < len(interaction.entities):
        found.update(entity.label for entity in interaction.entities[index])
    return frozenset(found)


def _words_besides_data(interaction: Interaction, turn: TurnView) -> int:
    """Words of ``turn`` besides the personal data in it (placeholders and entity spans removed)."""
    text = turn.text
    entities = interaction.entities[turn.index] if turn.index < len(interaction.entities) else ()
    for entity in sorted(entities, key=lambda e: e.start, reverse=True):
        text = text[: entity.start] + " " + text[entity.end :]
    return len(_PLACEHOLDER.sub(" ", text).split())


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
