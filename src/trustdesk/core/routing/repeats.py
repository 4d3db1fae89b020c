"""customer_repeat after hand-offs, with and without a packet.

Definition: a hand-off has a customer repeat when, in the receiving conversation, the customer
(a) supplies again a data kind already given or verified before the hand-off (a redaction placeholder such
as ``[DATE_OF_BIRTH]`` whose label is in the packet's verified data kinds), or (b) says a sentence whose
content-word Jaccard similarity with one of the packet's issue statements is at least 0.5. The reference
packet is always built from the pre-hand-off history, whether or not the receiver was shown it, so both
groups are measured against the same yardstick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from trustdesk.core.model import Speaker, Turn
from trustdesk.core.routing.handoff import PLACEHOLDER, HandoffPacket, build_handoff_packet, split_sentences

WORD = regex.compile(r"[\p{L}\p{N}']+")
ISSUE_SIMILARITY = 0.5
# A restated issue needs some substance; "yes please" must not match "yes I need a refund please".
MIN_CONTENT_WORDS = 3
STOPWORDS = frozenset(
    "a an the i i'm im me my we you your it its is are was were be been to of and or in on at for with "
    "this that have has had do does did not no yes so but just can could would will please hi hello "
    "thanks thank".split()
)


@dataclass(frozen=True)
class HandoffObservation:
    """One hand-off: history before it, the receiver's conversation after it, whether a packet was shown."""

    before: tuple[Turn, ...]
    after: tuple[Turn, ...]
    had_packet: bool


@dataclass(frozen=True)
class RepeatRate:
    handoffs: int
    repeats: int

    @property
    def rate(self) -> float | None:
        return self.repeats / self.handoffs if self.handoffs else None


@dataclass(frozen=True)
class RepeatComparison:
    with_packet: RepeatRate
    without_packet: RepeatRate


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of a sentence without stopwords or placeholders."""
    return frozenset(
        word for word in WORD.findall(PLACEHOLDER.sub(" ", text).lower()) if word not in STOPWORDS
    )


def has_customer_repeat(packet: HandoffPacket, after: Sequence[Turn]) -> bool:
    """True when the customer repeats, after the hand-off, a data kind or issue statement the packet holds."""
    known_kinds = packet.verified_data_kinds
    issue_words = [content_words(item.text) for item in packet.issue]
    for turn in after:
        if turn.speaker is not Speaker.CUSTOMER:
            continue
        if known_kinds.intersection(PLACEHOLDER.findall(turn.text)):
            return True
        for sentence in split_sentences(turn.text):
            words = content_words(sentence)
            if len(words) < MIN_CONTENT_WORDS:
                continue
            if any(_jaccard(words, issue) >= ISSUE_SIMILARITY for issue in issue_words):
                return True
    return False


def compare_repeat_rates(observations: Sequence[HandoffObservation]) -> RepeatComparison:
    """customer_repeat rate of hand-offs with a packet against those without."""
    counts = {True: [0, 0], False: [0, 0]}
    for observation in observations:
        packet = build_handoff_packet(observation.before)
        counts[observation.had_packet][0] += 1
        counts[observation.had_packet][1] += has_customer_repeat(packet, observation.after)
    return RepeatComparison(with_packet=RepeatRate(*counts[True]), without_packet=RepeatRate(*counts[False]))


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    union = left | right
    return len(left & right) / len(union) if union else 0.0


# The receiving agent's opening shows they had the packet: it refers to the colleague's or the case's notes.
NOTES_CUE = regex.compile(r"\b(?:notes?|notas|anotaç(?:ão|ões))\b", regex.IGNORECASE)


def receiver_cites_notes(after: Sequence[Turn]) -> bool:
    """True when the receiver's opening refers to hand-off notes (the stand-in for "had the packet").

    The opening is every agent turn up to the customer's first reply to the agent, so a recording
    disclosure before the greeting, or the customer's own first e-mail, does not hide it.
    """
    agent_spoke = False
    for turn in after:
        if turn.speaker is Speaker.AGENT:
            agent_spoke = True
            if NOTES_CUE.search(turn.text):
                return True
        elif turn.speaker is Speaker.CUSTOMER and agent_spoke:
            return False
    return False
