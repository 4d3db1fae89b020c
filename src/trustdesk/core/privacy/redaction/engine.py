"""Detection over one text and over a whole interaction (answers to the previous turn, digits across turns)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trustdesk.core.model import Entity, Speaker, Turn
from trustdesk.core.privacy.redaction.lexicon import SUPPORTED_LANGUAGES, language_or_default
from trustdesk.core.privacy.redaction.patterns import compile_unicode_forms
from trustdesk.core.privacy.redaction.recognizers import (
    contact,
    free_names,
    identity,
    payment,
    personal,
    persons,
    street_lines,
)
from trustdesk.core.privacy.redaction.recognizers.contact import PHONE_DIGITS, PHONE_REGIONS, is_phone_number
from trustdesk.core.privacy.redaction.recognizers.payment import CARD_DIGITS, is_card_number
from trustdesk.core.privacy.redaction.registry import (
    Candidate,
    Recognizer,
    build_view,
    merge_same_value,
    resolve_overlaps,
    run_recognizers,
)
from trustdesk.core.privacy.redaction.spoken import (
    FILLER_WORDS,
    DigitRun,
    DigitScan,
    DigitToken,
    mentions_repeat_word,
    scan_digit_runs,
    shift_runs,
)

# Registry order is the tie-break order; checksummed recognizers first.
DEFAULT_RECOGNIZERS: tuple[Recognizer, ...] = (
    payment.RECOGNIZERS
    + identity.RECOGNIZERS
    + contact.RECOGNIZERS
    + personal.RECOGNIZERS
    + persons.RECOGNIZERS
    + free_names.RECOGNIZERS
    + street_lines.RECOGNIZERS
)
# One text larger than this is refused: a transcript or email body is far smaller, and the bound keeps
# every request's cost predictable.
MAX_TEXT_CHARS = 1_000_000
# How much of the previous turn is read as context for this one ("what is the security code?" -> "123").
CONTEXT_CHARS = 80
_CONTEXT_SEPARATOR = "\n|\n"
# Other-speaker turns this short ("okay", "mm-hm go on") do not break a number read across turns.
MAX_INTERJECTION_WORDS = 4


class TextTooLargeError(ValueError):
    """A text above ``MAX_TEXT_CHARS``."""


# Passes most recognizers' gates (cue words, digits written and spoken, a value of every label), so that
# their word lists and patterns get built.
_PREPARATION_TEXT = (
    "My name is Ana Lima, Mr. Lee speaking. Card 4111 1111 1111 1111, expiry 09/27, CVV 123. Call me on "
    "+44 20 7946 0958 or (415) 555-0132, desk 60 56 85 91, email ana.lima@example.com or ana dot lima at "
    "example dot com. "
    "IBAN GB82 WEST 1234 5698 7654 32, account number 12345678, sort code 12-34-56, SSN 123-45-6789, "
    "NI QQ 12 34 56 C. Born on 1990-04-12. I live at 12 Main Street, Apt 4, Springfield. Server "
    "192.168.0.1. I have diabetes. Four one one one double five."
)


def prepare(languages: Sequence[str] = SUPPORTED_LANGUAGES) -> None:
    """Build now what detection otherwise builds on first use: the word lists and patterns of
    ``languages`` and the ``regex`` form of every pattern. A long-running process calls this at start-up
    (it takes about a second) so that its first texts do not pay for it."""
    for language in languages:
        detect_entities(_PREPARATION_TEXT, language=language, known_names=("Ana Lima",))
    compile_unicode_forms()


def detect_entities(
    text: str,
    *,
    language: str = "en",
    known_names: tuple[str, ...] = (),
    extra_recognizers: tuple[Recognizer, ...] = (),
) -> list[Entity]:
    """Personal-data spans in ``text``: non-overlapping, sorted, offsets into ``text``."""
    return [
        Entity(c.start, c.end, c.label)
        for c in detect_candidates(
            text, language=language, known_names=known_names, extra_recognizers=extra_recognizers
        )
    ]


def detect_candidates(
    text: str,
    *,
    language: str = "en",
    known_names: tuple[str, ...] = (),
    extra_recognizers: tuple[Recognizer, ...] = (),
) -> list[Candidate]:
    """Like ``detect_entities`` but keeps each span's score (for merging with cross-turn findings)."""
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLargeError(f"text has {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    view = build_view(text, language=language_or_default(language), known_names=known_names)
    return resolve_overlaps(merge_same_value(run_recognizers(view, DEFAULT_RECOGNIZERS + extra_recognizers)))


def detect_turn_entities(
    turns: Sequence[Turn], *, language: str = "en", known_names: tuple[str, ...] = ()
) -> tuple[tuple[Entity, ...], ...]:
    """Entities per turn, offsets into each turn's text, reading each turn in the context of the one before
    and joining digits a speaker reads across consecutive turns."""
    language = language_or_default(language)
    # Each text is scanned for digits once: as a turn, as the next turn's context and for cross-turn chains.
    scans: dict[tuple[str, int], DigitScan] = {}
    per_turn = [
        _detect_with_context(turns, index, language=language, known_names=known_names, scans=scans)
        for index in range(len(turns))
    ]
    turn_runs = [_scan(scans, turn.text, language, 1).runs for turn in turns]
    for turn_index, candidate in _cross_turn_numbers(turns, turn_runs, language=language):
        per_turn[turn_index].append(candidate)
    return tuple(
        tuple(Entity(c.start, c.end, c.label) for c in resolve_overlaps(candidates))
        for candidates in per_turn
    )


def _scan(scans: dict[tuple[str, int], DigitScan], text: str, language: str, pending_repeat: int) -> DigitScan:
    key = (text, pending_repeat)
    found = scans.get(key)
    if found is None:
        found = scans[key] = scan_digit_runs(text, language=language, pending_repeat=pending_repeat)
    return found


def _detect_with_context(
    turns: Sequence[Turn],
    index: int,
    *,
    language: str,
    known_names: tuple[str, ...],
    scans: dict[tuple[str, int], DigitScan],
) -> list[Candidate]:
    """The turn read after the previous turn's tail: the tail lends its cue words, the turn alone is searched."""
    text = turns[index].text
    prefix = turns[index - 1].text[-CONTEXT_CHARS:] + _CONTEXT_SEPARATOR if index else ""
    if len(prefix) + len(text) > MAX_TEXT_CHARS:
        raise TextTooLargeError(f"text has {len(prefix) + len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    # A repeat word the context ends on ("double", then the turn says "five") doubles the turn's first digit.
    carry = _scan(scans, prefix, language, 1).pending_repeat if mentions_repeat_word(prefix) else 1
    shift = len(prefix)
    runs = shift_runs(_scan(scans, text, language, carry).runs, shift)
    view = build_view(
        prefix + text, language=language, known_names=known_names, focus_start=shift, focus_runs=runs
    )
    found = resolve_overlaps(merge_same_value(run_recognizers(view, DEFAULT_RECOGNIZERS)))
    return [Candidate(c.start - shift, c.end - shift, c.label, c.score) for c in found if c.start >= shift]


@dataclass(frozen=True)
class _PlacedToken:
    turn: int
    token: DigitToken


def find_cross_turn_numbers(turns: Sequence[Turn], *, language: str = "en") -> list[tuple[int, Candidate]]:
    """Card and phone numbers one speaker reads over consecutive turns, as ``(turn index, piece)`` pairs."""
    language = language_or_default(language)
    turn_runs = [scan_digit_runs(turn.text, language=language).runs for turn in turns]
    return _cross_turn_numbers(turns, turn_runs, language=language)


def _cross_turn_numbers(
    turns: Sequence[Turn], turn_runs: Sequence[tuple[DigitRun, ...]], *, language: str
) -> list[tuple[int, Candidate]]:
    found: list[tuple[int, Candidate]] = []
    for chain in _digit_chains(turns, turn_runs):
        found.extend(_numbers_in_chain(chain, language=language))
    return found


def _digit_chains(turns: Sequence[Turn], turn_runs: Sequence[tuple[DigitRun, ...]]) -> list[list[_PlacedToken]]:
    """Digit runs that end one turn and start the same speaker's next turn, joined into chains."""
    chains: list[list[_PlacedToken]] = []
    open_chains: dict[Speaker, list[_PlacedToken]] = {}
    for index, (turn, runs) in enumerate(zip(turns, turn_runs)):
        if not _is_interjection(turn.text):
            for speaker in [speaker for speaker in open_chains if speaker != turn.speaker]:
                chains.append(open_chains.pop(speaker))
        previous = open_chains.pop(turn.speaker, None)
        if not runs:
            if previous is not None:
                chains.append(previous)
            continue
        chain = [_PlacedToken(index, token) for token in runs[0].tokens]
        if previous is not None and _is_blank(turn.text[: runs[0].start]):
            chain = previous + chain
        elif previous is not None:
            chains.append(previous)
        if len(runs) > 1:
            chains.append(chain)
            chain = [_PlacedToken(index, token) for token in runs[-1].tokens]
        if _is_blank(turn.text[runs[-1].end :]):
            open_chains[turn.speaker] = chain
        else:
            chains.append(chain)
    chains.extend(open_chains.values())
    return [chain for chain in chains if len({placed.turn for placed in chain}) > 1]


def _is_blank(text: str) -> bool:
    return all(
        word.strip(".,;:!?-").lower() in FILLER_WORDS or not word.strip(".,;:!?-") for word in text.split()
    )


def _is_interjection(text: str) -> bool:
    return len(text.split()) <= MAX_INTERJECTION_WORDS and not any(char.isdigit() for char in text)


def _numbers_in_chain(chain: list[_PlacedToken], *, language: str) -> list[tuple[int, Candidate]]:
    regions = PHONE_REGIONS.get(language, PHONE_REGIONS["en"])
    found: list[tuple[int, Candidate]] = []
    index = 0
    while index < len(chain):
        match = _longest_number_from(chain, index, regions)
        if match is None:
            index += 1
            continue
        end_index, label, score = match
        window = chain[index:end_index]
        if len({placed.turn for placed in window}) > 1:
            for turn in sorted({placed.turn for placed in window}):
                pieces = [placed.token for placed in window if placed.turn == turn]
                found.append((turn, Candidate(pieces[0].start, pieces[-1].end, label, score)))
        index = end_index
    return found


def _longest_number_from(
    chain: list[_PlacedToken], index: int, regions: tuple[str, ...]
) -> tuple[int, str, float] | None:
    best: tuple[int, str, float] | None = None
    digits = ""
    for last in range(index, len(chain)):
        digits += chain[last].token.digits
        if len(digits) > CARD_DIGITS[1]:
            break
        if is_card_number(digits):
            best = (last + 1, "CARD", 1.0)
        elif PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1] and is_phone_number(
            digits, has_plus=False, regions=regions
        ):
            best = (last + 1, "PHONE", 0.9)
    return best
