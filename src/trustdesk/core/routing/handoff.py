"""Hand-off packet: an extractive summary of a redacted transcript for the agent who takes the case over.

Method (docs/routing.md): split each turn into sentences and keep, with its turn index, every sentence that
matches a cue family for its speaker — the customer's issue, what was tried, what was promised (with the
deadline phrase), identity checks done (with the data kinds involved), and questions left open. Nothing is
paraphrased, so every line can be checked against the transcript. Cues are English only.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from trustdesk.core.model import Speaker, Turn

SENTENCE_END = regex.compile(r"(?<=[.!?])\s+")
PLACEHOLDER = regex.compile(r"\[([A-Z][A-Z_]+)\]")

ISSUE_CUE = regex.compile(
    r"\b(i need|i want|i'd like|i would like|i(?:'m| am) (?:trying|calling|writing|having)|"
    r"my \w+ (?:is|was|has|hasn't|isn't|won't|doesn't|didn't|got)|problem|issue|can't|cannot|couldn't|won't|"
    r"doesn't work|not working|broken|wrong|charged|refund|cancel|never (?:arrived|received|came)|"
    r"still (?:haven't|waiting|not))\b",
    regex.IGNORECASE,
)
TRIED_CUE = regex.compile(
    r"\b(?:i|we)(?:'ve| have)?(?: already| just)? "
    r"(?:tried|reset|restarted|resent|sent|checked|issued|processed|"
    r"updated|refunded|cancell?ed|escalated|submitted|reissued|reinstalled|cleared|rebooted|replaced|applied|"
    r"credited|raised|opened|logged|unplugged|changed)\b",
    regex.IGNORECASE,
)
PROMISE_CUE = regex.compile(
    r"\b(?:i|we)(?:'ll| will| are going to|'re going to| shall)\b(?! need)|\byou(?:'ll| will) "
    r"(?:receive|get|see|hear|have)\b|\b(?:call|email|text|get) you back\b|\bfollow up\b",
    regex.IGNORECASE,
)
DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DUE_PHRASE = regex.compile(
    r"\b(?:within|in) \d+ (?:business |working )?(?:minutes?|hours?|days?|weeks?)\b|"
    rf"\bby (?:the )?(?:end of (?:the )?(?:day|week|month)|tomorrow|tonight|{DAY}|"
    r"\d{1,2}(?::\d{2})? ?(?:am|pm)|"
    r"\d{4}-\d{2}-\d{2})\b|"
    rf"\b(?:tomorrow|tonight|today|next (?:week|month|{DAY})|on {DAY})\b",
    regex.IGNORECASE,
)
IDENTITY_CUE = regex.compile(
    r"\b(?:verif(?:y|ied|ication)|authenticat\w*|identity|security (?:question|check)|"
    r"confirm(?:ed)? (?:your|the) (?:date of birth|account|address|postcode|zip|email|phone|name)|"
    r"thank you for confirming)\b",
    regex.IGNORECASE,
)
DEFERRAL_CUE = regex.compile(
    r"\b(?:let me check|i(?:'m| am) not sure|i don't know|(?:i'll|i will) find out|get back to you|"
    r"escalat\w*|transfer\w*|someone (?:else|from))\b",
    regex.IGNORECASE,
)
# Spoken names of identity data, mapped to the redaction labels of CONTRACTS.md section 2.
DATA_KIND_WORDS = (
    (regex.compile(r"\b(?:date of birth|birth ?date|dob|birthday)\b", regex.IGNORECASE), "DATE_OF_BIRTH"),
    (regex.compile(r"\baccount (?:number|id)\b", regex.IGNORECASE), "ACCOUNT_NUMBER"),
    (regex.compile(r"\b(?:address|postcode|zip(?: code)?)\b", regex.IGNORECASE), "ADDRESS"),
    (regex.compile(r"\be-?mail\b", regex.IGNORECASE), "EMAIL"),
    (regex.compile(r"\bphone(?: number)?\b", regex.IGNORECASE), "PHONE"),
    (regex.compile(r"\b(?:last (?:four|4)|card)\b", regex.IGNORECASE), "CARD"),
    (regex.compile(r"\bsecurity question\b", regex.IGNORECASE), "SECURITY_QUESTION"),
)


class ItemKind(str, enum.Enum):
    ISSUE = "issue"
    TRIED = "tried"
    PROMISED = "promised"
    IDENTITY_CHECK = "identity_check"
    OPEN_QUESTION = "open_question"


@dataclass(frozen=True)
class PacketItem:
    """One sentence quoted from turn ``turn``; ``due`` for promises, ``data_kinds`` for identity checks."""

    kind: ItemKind
    text: str
    turn: int
    due: str | None = None
    data_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandoffPacket:
    """Context for the receiving agent; ``data_given`` are redaction labels the customer already supplied."""

    issue: tuple[PacketItem, ...]
    tried: tuple[PacketItem, ...]
    promised: tuple[PacketItem, ...]
    identity_checks: tuple[PacketItem, ...]
    open_questions: tuple[PacketItem, ...]
    data_given: tuple[str, ...]

    @property
    def items(self) -> tuple[PacketItem, ...]:
        everything = self.issue + self.tried + self.promised + self.identity_checks + self.open_questions
        return tuple(sorted(everything, key=lambda item: item.turn))

    @property
    def verified_data_kinds(self) -> frozenset[str]:
        kinds = {kind for item in self.identity_checks for kind in item.data_kinds}
        return frozenset(kinds | set(self.data_given))


def split_sentences(text: str) -> list[str]:
    """Sentences of one turn, trimmed, empty ones dropped."""
    return [sentence.strip() for sentence in SENTENCE_END.split(text) if sentence.strip()]


def build_handoff_packet(turns: Sequence[Turn], *, max_items_per_kind: int = 3) -> HandoffPacket:
    """Extract the hand-off packet from a redacted transcript; every item keeps its source turn index."""
    issue: list[PacketItem] = []
    tried: list[PacketItem] = []
    promised: list[PacketItem] = []
    checks: list[PacketItem] = []
    data_given: set[str] = set()
    fallback_issue: PacketItem | None = None
    for index, turn in enumerate(turns):
        if turn.speaker is Speaker.CUSTOMER:
            data_given.update(PLACEHOLDER.findall(turn.text))
        for sentence in split_sentences(turn.text):
            if turn.speaker is Speaker.CUSTOMER:
                # A question only states the issue when nothing better came before it.
                if ISSUE_CUE.search(sentence) and (not sentence.endswith("?") or not issue):
                    issue.append(PacketItem(ItemKind.ISSUE, sentence, index))
                elif fallback_issue is None and len(sentence.split()) >= 4:
                    fallback_issue = PacketItem(ItemKind.ISSUE, sentence, index)
                if TRIED_CUE.search(sentence):
                    tried.append(PacketItem(ItemKind.TRIED, sentence, index))
                continue
            if IDENTITY_CUE.search(sentence):
                kinds = _data_kinds(sentence, _next_customer_text(turns, index))
                checks.append(PacketItem(ItemKind.IDENTITY_CHECK, sentence, index, data_kinds=kinds))
            elif TRIED_CUE.search(sentence) or turn.speaker is Speaker.SYSTEM:
                tried.append(PacketItem(ItemKind.TRIED, sentence, index))
            if turn.speaker is Speaker.AGENT and PROMISE_CUE.search(sentence) and not sentence.endswith("?"):
                due = DUE_PHRASE.search(sentence)
                promised.append(
                    PacketItem(ItemKind.PROMISED, sentence, index, due=due.group(0) if due else None)
                )
    if not issue and fallback_issue is not None:
        issue.append(fallback_issue)
    limit = max_items_per_kind
    return HandoffPacket(
        issue=tuple(issue[:limit]),
        tried=tuple(tried[-limit:]),
        promised=tuple(promised[-limit:]),
        identity_checks=tuple(checks[-limit:]),
        open_questions=tuple(find_open_questions(turns)[-limit:]),
        data_given=tuple(sorted(data_given)),
    )


def find_open_questions(turns: Sequence[Turn]) -> list[PacketItem]:
    """Customer questions the agent deferred or never answered, and a trailing agent question."""
    open_items: list[PacketItem] = []
    for index, turn in enumerate(turns):
        if turn.speaker is not Speaker.CUSTOMER:
            continue
        questions = [sentence for sentence in split_sentences(turn.text) if sentence.endswith("?")]
        if not questions:
            continue
        reply = _next_agent_text(turns, index)
        if reply is None or DEFERRAL_CUE.search(reply):
            open_items.extend(PacketItem(ItemKind.OPEN_QUESTION, question, index) for question in questions)
    if turns and turns[-1].speaker is Speaker.AGENT:
        last_questions = [sentence for sentence in split_sentences(turns[-1].text) if sentence.endswith("?")]
        open_items.extend(PacketItem(ItemKind.OPEN_QUESTION, q, len(turns) - 1) for q in last_questions)
    return open_items


def _next_agent_text(turns: Sequence[Turn], index: int) -> str | None:
    for turn in turns[index + 1 :]:
        if turn.speaker is Speaker.AGENT:
            return turn.text
    return None


def _next_customer_text(turns: Sequence[Turn], index: int) -> str:
    for turn in turns[index + 1 :]:
        if turn.speaker is Speaker.CUSTOMER:
            return turn.text
        if turn.speaker is Speaker.AGENT:
            return ""
    return ""


def _data_kinds(sentence: str, answer: str) -> tuple[str, ...]:
    kinds = {label for pattern, label in DATA_KIND_WORDS if pattern.search(sentence)}
    kinds.update(PLACEHOLDER.findall(answer))
    return tuple(sorted(kinds))
