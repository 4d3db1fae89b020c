"""The recognizer registry: small typed parts, each a label, its languages, a candidate finder and a validator."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from trustdesk.core.privacy.redaction.lexicon import CueSet, fold_words, word_starts
from trustdesk.core.privacy.redaction.patterns import TextMatch
from trustdesk.core.privacy.redaction.spoken import REDACTION_MARK, DigitRun, find_digit_runs, scan_digit_runs

LABELS = (
    "PERSON",
    "EMAIL",
    "PHONE",
    "CARD",
    "CVV",
    "CARD_EXPIRY",
    "NATIONAL_ID",
    "IBAN",
    "BANK_ACCOUNT",
    "IP_ADDRESS",
    "ADDRESS",
    "DATE_OF_BIRTH",
    "ACCOUNT_NUMBER",
    "HEALTH",
)


class Candidate(NamedTuple):
    """A span a recognizer proposes; ``score`` orders overlapping proposals (checksums beat cues)."""

    start: int
    end: int
    label: str
    score: float


_NOT_READ = object()
# Beyond this many places where a phrase set's first words start, one scan by its pattern costs less.
MAX_MATCHED_STARTS = 8


class TextView:
    """One text as every recognizer sees it, with the costly shared parts computed once, on first use.

    Text before ``focus_start`` is context only (the tail of the previous turn): its cue words count for
    spans after it, but recognizers propose no span that starts inside it.
    """

    __slots__ = (
        "text",
        "language",
        "known_names",
        "focus_runs",
        "protected",
        "focus_start",
        "_digit_runs",
        "_folded_words",
        "_folded_focus_words",
        "_word_starts",
        "_mentions",
        "_cue_starts",
    )

    def __init__(
        self,
        text: str,
        language: str,
        known_names: tuple[str, ...],
        focus_runs: tuple[DigitRun, ...],
        protected: tuple[tuple[int, int], ...],
        focus_start: int = 0,
        folded_focus_words: frozenset[str] | None = None,
        starts: dict[str, list[int]] | None | object = _NOT_READ,
    ) -> None:
        self.text = text
        self.language = language
        self.known_names = known_names
        # The digit runs that start at or after ``focus_start``.
        self.focus_runs = focus_runs
        self.protected = protected
        self.focus_start = focus_start
        self._digit_runs: tuple[DigitRun, ...] | None = None
        self._folded_words: frozenset[str] | None = None
        self._folded_focus_words = folded_focus_words
        self._word_starts = starts
        self._mentions: dict[CueSet, bool] = {}
        self._cue_starts: dict[CueSet, list[int] | None | object] = {}

    @property
    def digit_runs(self) -> tuple[DigitRun, ...]:
        """Every digit run, the context's too; the context is scanned only when a recognizer asks."""
        if self._digit_runs is None:
            if not self.focus_start:
                self._digit_runs = self.focus_runs
            else:
                context = self.text[: self.focus_start]
                self._digit_runs = tuple(find_digit_runs(context, language=self.language)) + self.focus_runs
        return self._digit_runs

    @property
    def folded_words(self) -> frozenset[str]:
        """Case-folded word tokens of the whole text (gates for cue phrases, see ``lexicon.fold_words``)."""
        if self._folded_words is None:
            if not self.focus_start:
                self._folded_words = self.folded_focus_words
            else:
                # The context ends on a line break, so no word runs across ``focus_start``.
                self._folded_words = fold_words(self.text[: self.focus_start]) | self.folded_focus_words
        return self._folded_words

    @property
    def folded_focus_words(self) -> frozenset[str]:
        """Case-folded word tokens from ``focus_start`` on."""
        if self._folded_focus_words is None:
            self._folded_focus_words = fold_words(self.text, self.focus_start)
        return self._folded_focus_words

    @property
    def word_starts(self) -> dict[str, list[int]] | None:
        """Where each folded word of the whole text starts (``lexicon.word_starts``), read on first use."""
        if self._word_starts is _NOT_READ:
            self._word_starts = word_starts(self.text)
        return self._word_starts  # type: ignore[return-value]

    def _starts_of(self, cues: CueSet) -> list[int] | None:
        """Where a phrase of ``cues`` can start (``CueSet.starts_among``); None when a search of the text
        answers instead: a phrase without a first word, a text without word starts (``word_starts``), or
        more candidate positions than matching at each from Python is worth."""
        found = self._cue_starts.get(cues, _NOT_READ)
        if found is _NOT_READ:
            starts = self.word_starts
            if starts is None or cues.first_words is None:
                found = None
            else:
                found = cues.starts_among(starts)
                if len(found) > MAX_MATCHED_STARTS:
                    found = None
            self._cue_starts[cues] = found
        return found  # type: ignore[return-value]

    def has_cue_word(self, cues: CueSet) -> bool:
        """Whether a word that starts a phrase of ``cues`` occurs in the text, context included (a gate that
        reads no pattern)."""
        # The folded words are the tokens whose starts ``_starts_of`` lists, so no position is needed.
        return cues.may_occur_among(self.folded_words)

    def cue_matches(self, cues: CueSet) -> Iterator[TextMatch]:
        """The phrases of ``cues`` from ``focus_start`` on, as one scan of the whole set would find them."""
        starts = self._starts_of(cues)
        if starts is None:
            if not cues.may_occur_among(self.folded_words):
                return iter(())
            return cues.pattern.finditer(self.text, self.focus_start)
        return self._matches_at(cues, starts)

    def _matches_at(self, cues: CueSet, starts: list[int]) -> Iterator[TextMatch]:
        # Leftmost first and never overlapping, as a scan finds them.
        end = self.focus_start
        for start in starts[bisect_left(starts, end) :]:
            if start >= end and (match := cues.pattern.match(self.text, start)) is not None:
                yield match
                end = match.end()

    def mentions(self, cues: CueSet) -> bool:
        """Whether a phrase of ``cues`` occurs anywhere in the text (context included); answered once."""
        if not cues.may_occur_among(self.folded_words):
            return False
        found = self._mentions.get(cues)
        if found is None:
            found = self._mentions[cues] = self._cue_between(cues, 0, len(self.text))
        return found

    def cue_before(self, cues: CueSet, position: int, width: int = 48) -> bool:
        """Whether a phrase of ``cues`` ends within ``width`` characters before ``position``.

        The phrase must start on a word boundary of the whole text (a window edge inside "discard" is no
        "card"); it may touch ``position`` ("cvv123"). Texts without any cue word are answered without a
        pattern.
        """
        return self._cue_between(cues, max(0, position - width), position)

    def _cue_between(self, cues: CueSet, start: int, end: int) -> bool:
        """Whether a phrase of ``cues`` starts at or after ``start`` and ends by ``end`` (the text read as if
        it ended there)."""
        # Most texts hold no word a phrase of the set starts with: the word sets answer at C speed.
        if not cues.may_occur_among(self.folded_words):
            return False
        starts = self._starts_of(cues)
        if starts is None:
            return cues.pattern.search(self.text, start, end) is not None
        # Most sets have no first word in the text, or none in the window.
        first = bisect_left(starts, start)
        if first == len(starts) or starts[first] >= end:
            return False
        pattern, text = cues.pattern, self.text
        last = bisect_left(starts, end)
        return any(pattern.match(text, position, end) is not None for position in starts[first:last])

    def occurs_in_focus(self, fragment: str) -> bool:
        """Whether ``fragment`` appears at or after ``focus_start`` (a cheap gate before a pattern)."""
        return self.text.find(fragment, self.focus_start) >= 0

    def is_protected(self, start: int, end: int) -> bool:
        """Whether the span touches a placeholder this package already wrote (so redaction is idempotent)."""
        return any(start < stop and begin < end for begin, stop in self.protected)


def build_view(
    text: str,
    *,
    language: str,
    known_names: tuple[str, ...] = (),
    focus_start: int = 0,
    focus_runs: tuple[DigitRun, ...] | None = None,
) -> TextView:
    """Compute the shared per-text parts recognizers read (``focus_runs`` when the caller already has them).

    Runs given by the caller must be the runs of the whole text that start at ``focus_start``.
    """
    # Placeholders start with "[" and masks with "*": most texts hold neither and skip the pattern.
    if "[" in text or "*" in text:
        protected = tuple((match.start(), match.end()) for match in REDACTION_MARK.finditer(text))
    else:
        protected = ()
    folded_focus_words = None
    starts: dict[str, list[int]] | None | object = _NOT_READ
    if focus_runs is None:
        if not focus_start:
            # One pass over the words gives both the word set and where cue phrases can start.
            starts = word_starts(text)
            folded_focus_words = fold_words(text) if starts is None else frozenset(starts)
        else:
            folded_focus_words = fold_words(text, focus_start)
        scan = scan_digit_runs(text, language=language, words=folded_focus_words if not focus_start else None)
        focus_runs = tuple(run for run in scan.runs if run.start >= focus_start)
    return TextView(
        text, language, known_names, focus_runs, protected, focus_start, folded_focus_words, starts
    )


@dataclass(frozen=True)
class Recognizer:
    """One detector. ``languages`` empty means every language."""

    name: str
    labels: tuple[str, ...]
    languages: tuple[str, ...]
    find_candidates: Callable[[TextView], Iterable[Candidate]]
    validate: Callable[[TextView, Candidate], bool]

    def supports(self, language: str) -> bool:
        return not self.languages or language in self.languages


def run_recognizers(view: TextView, recognizers: Iterable[Recognizer]) -> list[Candidate]:
    """Every validated candidate of the recognizers that support the view's language, in registry order."""
    found: list[Candidate] = []
    protected = view.protected
    for recognizer in recognizers:
        if recognizer.languages and view.language not in recognizer.languages:
            continue
        validate = None if recognizer.validate is accept_all else recognizer.validate
        for candidate in recognizer.find_candidates(view):
            if protected and view.is_protected(candidate.start, candidate.end):
                continue
            if validate is None or validate(view, candidate):
                found.append(candidate)
    return found


def accept_all(view: TextView, candidate: Candidate) -> bool:
    """Validator for finders that already validate while they search (checksums over digit windows)."""
    return True


# Labels whose overlapping proposals describe one value seen by several recognizers (a record name token,
# a cue and the first-name lexicon each covering part of "Maurice Le Merle"): they are joined, not ranked.
MERGED_LABELS = frozenset({"PERSON"})


def merge_same_value(candidates: list[Candidate]) -> list[Candidate]:
    """Join overlapping candidates of a ``MERGED_LABELS`` label into their union (best score kept)."""
    if len(candidates) < 2:
        return candidates
    result: list[Candidate] = []
    open_by_label: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        if candidate.label not in MERGED_LABELS:
            result.append(candidate)
            continue
        current = open_by_label.get(candidate.label)
        if current is not None and candidate.start < current.end:
            open_by_label[candidate.label] = Candidate(
                current.start, max(current.end, candidate.end), current.label, max(current.score, candidate.score)
            )
            continue
        if current is not None:
            result.append(current)
        open_by_label[candidate.label] = candidate
    result.extend(open_by_label.values())
    return result


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the best non-overlapping spans (higher score, then longer, then earlier), sorted by start."""
    ordered = sorted(candidates, key=lambda c: (c.start, c.end))
    if len(ordered) < 2:
        return ordered
    kept: list[Candidate] = []
    # Overlaps only compete inside a cluster of chained overlapping spans; clusters stay small, so the
    # pairwise choice inside each keeps the whole step linear in the number of candidates.
    cluster: list[Candidate] = []
    cluster_end = -1
    for candidate in ordered:
        if cluster and candidate.start >= cluster_end:
            kept.extend(_best_of_cluster(cluster))
            cluster = []
        cluster.append(candidate)
        cluster_end = max(cluster_end, candidate.end) if len(cluster) > 1 else candidate.end
    kept.extend(_best_of_cluster(cluster))
    return kept


def _best_of_cluster(cluster: list[Candidate]) -> list[Candidate]:
    if len(cluster) <= 1:
        return cluster
    chosen: list[Candidate] = []
    for candidate in sorted(cluster, key=lambda c: (-c.score, -(c.end - c.start), c.start, c.label)):
        if all(candidate.end <= other.start or other.end <= candidate.start for other in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: (c.start, c.end))
