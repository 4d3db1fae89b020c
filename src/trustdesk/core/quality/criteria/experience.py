"""Experience criteria (QA-3): the customer's experience, judged by the agent's behaviour."""

from __future__ import annotations

import regex
from rapidfuzz import fuzz

from trustdesk.core.model import Speaker
from trustdesk.core.quality.criteria.base import Criterion, Family
from trustdesk.core.quality.language import HINGLISH
from trustdesk.core.quality.results import Assessment, Evidence, failed, not_applicable, passed
from trustdesk.core.quality.sentiment import customer_turn_sentiment
from trustdesk.core.quality.transcript import TranscriptView, TurnView, quote_at, quote_turn, sentence_span

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
# A customer turn at least this negative (VADER compound, or the pack lexicon's score) voices distress
# even without a complaint phrase. Sentiment is read only in the turn where the customer tells their
# problem (their first turn of a few words, not a bare "hi"): that is where an acknowledgement is due.
DISTRESS_SENTIMENT = -0.5
PROBLEM_STATEMENT_WORDS = 4
# Clock times in the seven languages: "5pm", "17:30", "17h", "17 Uhr", "5 baje", "alas-singko", "a las 5".
_CLOCK_TIME = regex.compile(
    r"\b\d{1,2}(?:[:.h]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.|h|uhr|baje|hrs)(?!\w)"
    r"|\b\d{1,2}:\d{2}\b|\b\d+\s?(?:hrs|h)\b"
    r"|\balas[- ]\w+|\ba las \d{1,2}\b"
)
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
    # "Sorry, could you repeat the number?" / "Pardon, pouvez-vous…": a one-sentence question opened by a
    # bare apology word asks the customer to repeat; it acknowledges nothing. A second acknowledgement
    # ("Nossa, sinto muito…") or a further sentence makes it a real one.
    if not turn.text.rstrip().endswith("?") or sentence_span(turn.text, 0)[1] < len(turn.text.rstrip()):
        return False
    matches = view.matcher.find_all("empathy", turn.folded)
    return (
        len(matches) == 1
        and matches[0].start() == 0
        and turn.folded[matches[0].end() : matches[0].end() + 1] == ","
    )


def _distress(view: TranscriptView, turn: TurnView, problem_statement: TurnView | None) -> Evidence | None:
    found = view.find("customer_distress", turn) or view.find("problem_report", turn)
    if found or turn is not problem_statement:
        return found
    sentiment = customer_turn_sentiment(view, turn)
    return quote_turn(turn) if sentiment <= DISTRESS_SENTIMENT else None


def assess_empathy(view: TranscriptView) -> Assessment:
    """After the customer voices frustration or a failure, the agent acknowledges it or apologises."""
    last_agent = view.agent_turns[-1].index if view.agent_turns else -1
    # Only distress the agent could still answer counts: a complaint after the agent's last word got no turn.
    answerable = [turn for turn in view.customer_turns if turn.index < last_agent]
    problem_statement = next((t for t in answerable if len(t.text.split()) >= PROBLEM_STATEMENT_WORDS), None)
    distress = next(((t, e) for t in answerable if (e := _distress(view, t, problem_statement))), None)
    if distress is None:
        return not_applicable("the customer voiced no frustration or failure the agent could answer")
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
    if "next_step_owner" not in view.possible_lists(turn):
        return None
    if not (view.match("time_marker", turn) or _CLOCK_TIME.search(turn.folded)):
        return None
    for owner in view.matcher.find_all("next_step_owner", turn.folded):
        start, end = sentence_span(turn.text, owner.start())
        # "Someone will call you tomorrow" names a time but no one to hold to it.
        if view.matcher.find("vague_owner", turn.folded[start:end]) is None:
            return quote_at(turn, owner.start())
    return None


def _resolved(view: TranscriptView, turn: TurnView) -> Evidence | None:
    # "That worked" from the customer, "it's sorted" from the agent, or a fix the agent reports done
    # ("I've waived half of it", "Ich habe die Mahnung storniert", "je vous ai envoyé un lien").
    evidence = view.find_affirmed("resolution_done", turn, unless="negation")
    if evidence or turn.speaker is not Speaker.AGENT:
        return evidence
    return view.find_together("done_marker", "resolving_action", turn, unless="negation")


def assess_resolution(view: TranscriptView) -> Assessment:
    """The issue was resolved, or a concrete next step with an owner and a time was given."""
    if not view.customer_turns:
        return not_applicable("no customer turns")
    # The latest word on the issue counts: read backwards, a fix or a dated promise passes, while a customer
    # saying it still fails (after their first turn, which states the problem) undoes any earlier fix.
    first_customer = view.customer_turns[0].index
    for turn in reversed(view.turns):
        if turn.speaker is Speaker.SYSTEM:
            continue
        evidence = _resolved(view, turn)
        if evidence:
            return passed([evidence])
        if turn.speaker is Speaker.AGENT:
            step = _next_step(view, turn)
            if step:
                return passed([step], "next step with an owner and a time")
        elif turn.index > first_customer:
            problem = view.find("problem_report", turn)
            if problem:
                return failed([problem], "the customer says the problem is still there")
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
