"""Experience criteria (QA-3): the customer's experience, judged by the agent's behaviour."""

from __future__ import annotations

import regex
from rapidfuzz import fuzz

from trustdesk.core.model import Speaker
from trustdesk.core.quality.criteria.base import Criterion, Family
from trustdesk.core.quality.language import HINGLISH
from trustdesk.core.quality.results import Assessment, Evidence, failed, not_applicable, passed
from trustdesk.core.quality.transcript import TranscriptView, TurnView, quote_turn

# The closing is said in the agent's last turns; the very last may be a bare "bye".
CLOSING_WITHIN_LAST_AGENT_TURNS = 2
# Near-identical replies: token-sort similarity at or above this is the same canned text reworded
# by a placeholder or two (tuned on the evaluation set: paraphrases score 40-70).
SCRIPTED_SIMILARITY = 88
# Replies shorter than this many words ("Okay.", "One moment") repeat naturally.
SCRIPTED_MIN_WORDS = 6
# Labels a customer mentions without "giving" them again: names of people come up in conversation.
REPEAT_IGNORED_LABELS = frozenset({"PERSON"})
# Code-mixed languages are mixed with English; an English reply to them is still understood.
_ENGLISH_MIXED = frozenset({HINGLISH, "tl"})
_CLOCK_TIME = regex.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|h|uhr)\b|\b\d{1,2}:\d{2}\b|\b\d+\s?(?:hrs|h)\b")
_WORD = regex.compile(r"\p{L}{4,}")


def assess_greeting(view: TranscriptView) -> Assessment:
    """The agent's first turn greets the customer."""
    agent_turns = view.agent_turns
    if not agent_turns:
        return not_applicable("the agent did not speak")
    evidence = view.find("greeting", agent_turns[0])
    return (
        passed([evidence])
        if evidence
        else failed([quote_turn(agent_turns[0])], "first agent turn has no greeting")
    )


def assess_closing(view: TranscriptView) -> Assessment:
    """One of the agent's last turns closes the conversation (offer of more help, farewell, thanks)."""
    agent_turns = view.agent_turns
    if not agent_turns:
        return not_applicable("the agent did not speak")
    last = agent_turns[-CLOSING_WITHIN_LAST_AGENT_TURNS:]
    for turn in reversed(last):
        evidence = view.find("closing", turn)
        if evidence:
            return passed([evidence])
    return failed([quote_turn(last[-1])], "no closing in the agent's last turns")


def _is_filler_apology(view: TranscriptView, turn: TurnView) -> bool:
    # "Sorry, could you repeat the number?" / "Pardon, pouvez-vous…": a bare apology word opening a
    # question asks the customer to repeat; it acknowledges nothing.
    match = view.match("empathy", turn)
    return (
        match is not None
        and match.start() == 0
        and turn.folded[match.end() : match.end() + 1] == ","
        and turn.text.rstrip().endswith("?")
    )


def assess_empathy(view: TranscriptView) -> Assessment:
    """After the customer voices frustration or a failure, the agent acknowledges it or apologises."""
    distress = next(((t, e) for t in view.customer_turns if (e := view.find("customer_distress", t))), None)
    if distress is None:
        return not_applicable("the customer voiced no frustration or failure")
    turn, quote = distress
    for reply in view.agent_turns:
        if reply.index > turn.index:
            evidence = view.find("empathy", reply)
            if evidence and not _is_filler_apology(view, reply):
                return passed([quote, evidence])
    return failed([quote], "the agent never acknowledged the customer's frustration")


def assess_customer_repeat(view: TranscriptView) -> Assessment:
    """The customer did not have to give the same data or explanation again."""
    complaint = next((e for t in view.customer_turns if (e := view.find("already_said", t))), None)
    if complaint:
        return failed([complaint], "the customer says they already gave this")
    first_turn_of_label: dict[str, TurnView] = {}
    for turn in view.customer_turns:
        for label in sorted(turn.labels - REPEAT_IGNORED_LABELS):
            earlier = first_turn_of_label.get(label)
            if earlier is not None:
                return failed([quote_turn(earlier), quote_turn(turn)], f"the customer gave {label} twice")
            first_turn_of_label[label] = turn
    return passed(reason="no data kind was given twice and the customer never said they had to repeat")


def _content_words(turn: TurnView) -> set[str]:
    return set(_WORD.findall(turn.folded))


def assess_over_scripted(view: TranscriptView) -> Assessment:
    """Replies engage with the customer: no repeated canned replies, no stock lines ignoring the question."""
    # A reply answers a customer turn; the opening greeting (or an email's first line) answers nothing.
    replies = [t for t in view.agent_turns if t.index > 0 and view.turns[t.index - 1].speaker is Speaker.CUSTOMER]
    if len(replies) < 2:
        return not_applicable("fewer than two agent replies to compare")
    long_replies = [t for t in replies if len(t.text.split()) >= SCRIPTED_MIN_WORDS]
    for position, first in enumerate(long_replies):
        for second in long_replies[position + 1 :]:
            # The cutoff lets rapidfuzz give up early on dissimilar pairs (it returns 0 below it).
            similarity = fuzz.token_sort_ratio(first.folded, second.folded, score_cutoff=SCRIPTED_SIMILARITY)
            if similarity >= SCRIPTED_SIMILARITY:
                return failed([quote_turn(first), quote_turn(second)], "the agent sent the same reply twice")
    ignoring: list[Evidence] = []
    for reply in replies:
        canned = view.find("canned", reply)
        asked = view.turns[reply.index - 1]
        if canned and not (_content_words(reply) & _content_words(asked)):
            ignoring.append(canned)
    if len(ignoring) >= 2:
        return failed(ignoring, "stock lines that do not take up anything the customer said")
    return passed(reason="replies differ and take up the customer's words")


def is_language_compatible(customer: str, agent: str) -> bool:
    """Whether an agent writing ``agent`` answers a customer writing ``customer`` in their language."""
    if customer == agent:
        return True
    pair = {customer, agent}
    return bool(pair & _ENGLISH_MIXED) and pair <= _ENGLISH_MIXED | {"en"}


def assess_language_match(view: TranscriptView) -> Assessment:
    """The agent answers in the customer's language (English counts for Hinglish/Taglish customers)."""
    customer, agent = view.customer_language, view.agent_language
    if customer is None or agent is None:
        return not_applicable("too little text to tell the customer's or the agent's language")
    if is_language_compatible(customer, agent):
        return passed(reason=f"customer {customer}, agent {agent}")
    replies = [t for t in view.agent_turns if t.index > view.customer_turns[0].index]
    return failed([quote_turn(t) for t in replies[:1]], f"customer wrote {customer}, agent answered {agent}")


def _next_step(view: TranscriptView, turn: TurnView) -> Evidence | None:
    owner = view.find("next_step_owner", turn)
    if owner and (view.match("time_marker", turn) or _CLOCK_TIME.search(turn.folded)):
        return owner
    return None


def assess_resolution(view: TranscriptView) -> Assessment:
    """The issue was resolved, or a concrete next step with an owner and a time was given."""
    if not view.customer_turns:
        return not_applicable("no customer turns")
    for turn in reversed(view.turns):
        if turn.speaker is Speaker.SYSTEM:
            continue
        evidence = view.find("resolution_done", turn)
        if evidence:
            return passed([evidence])
        if turn.speaker is Speaker.AGENT:
            step = _next_step(view, turn)
            if step:
                return passed([step], "next step with an owner and a time")
    return failed(reason="neither a resolution nor a next step with owner and time")


EXPERIENCE_CRITERIA: tuple[Criterion, ...] = (
    Criterion("greeting", Family.EXPERIENCE, "The agent greets the customer", assess_greeting),
    Criterion("closing", Family.EXPERIENCE, "The agent closes the conversation", assess_closing),
    Criterion("empathy", Family.EXPERIENCE, "Frustration acknowledged, apology where due", assess_empathy),
    Criterion(
        "customer_repeat",
        Family.EXPERIENCE,
        "The customer did not have to repeat themselves",
        assess_customer_repeat,
    ),
    Criterion(
        "over_scripted",
        Family.EXPERIENCE,
        "Replies are not canned text ignoring the customer",
        assess_over_scripted,
    ),
    Criterion(
        "language_match",
        Family.EXPERIENCE,
        "The agent answers in the customer's language",
        assess_language_match,
    ),
    Criterion(
        "resolution", Family.EXPERIENCE, "Resolved, or a next step with owner and time", assess_resolution
    ),
)
