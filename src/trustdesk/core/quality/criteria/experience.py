"""Experience criteria (QA-3): the customer's experience, judged by the agent's behaviour."""

from __future__ import annotations

import regex
from rapidfuzz import fuzz

from trustdesk.core.model import Speaker
from trustdesk.core.quality.criteria.base import Criterion, Family
from trustdesk.core.quality.language import HINGLISH
from trustdesk.core.quality.phrases import fold_text
from trustdesk.core.quality.results import Assessment, Evidence, failed, not_applicable, passed
from trustdesk.core.quality.sentiment import customer_turn_sentiment
from trustdesk.core.quality.transcript import (
    TranscriptView,
    TurnView,
    quote_at,
    quote_turn,
    sentence_span,
    sentence_spans,
)

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
# The agent acknowledges a feeling in the reply to it or the next (after a quick "order number?"); a
# "sorry" three replies on, while refusing something else, answers something else.
ACKNOWLEDGEMENT_WITHIN_REPLIES = 2
# Faces of despair, anger or tears say what the words may not ("tracking hasn't moved 😩"), in any language.
_DISTRESS_EMOJI = regex.compile("[😒😔😕😖😞😟😠😡😢😣😤😥😦😧😨😩😫😭🙁☹🙄🤬💔]")
# An answer the customer can accept states something: a bare "Okay." or "Thanks, got it." answers nothing.
ANSWER_MIN_WORDS = 6
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
    # A feeling, not a fault: "my wifi drops every evening" reports a problem calmly and is owed a fix, not
    # an acknowledgement; "this is the third time", "I'm freaking out" or "😩" voice how the customer feels.
    found = view.find("customer_distress", turn) or view.find("service_failure", turn)
    if found:
        return found
    # A fault said with an exclamation ("you took it twice!!") is said in anger; calmly, it reports a fact.
    if "!" in turn.text:
        emphatic = view.find("problem_report", turn)
        if emphatic:
            return emphatic
    emoji = _DISTRESS_EMOJI.search(turn.text)
    if emoji:
        return quote_at(turn, emoji.start())
    if turn is not problem_statement:
        return None
    sentiment = customer_turn_sentiment(view, turn)
    return quote_turn(turn) if sentiment <= DISTRESS_SENTIMENT else None


def _is_misplaced_cheer(view: TranscriptView, reply: TurnView) -> bool:
    # "Great! Before we proceed…" as the answer to a bereavement: the reply opens with cheer and nothing else.
    _, end = sentence_span(reply.text, 0)
    opening = reply.folded[:end].strip(" \t\n!¡.,")
    return view.matcher.is_whole("cheer", opening)


def assess_empathy(view: TranscriptView) -> Assessment:
    """The agent's reply to the customer's frustration, worry, grief or loss acknowledges it or apologises."""
    last_agent = view.agent_turns[-1].index if view.agent_turns else -1
    # Only distress the agent could still answer counts: a complaint after the agent's last word got no turn.
    answerable = [turn for turn in view.customer_turns if turn.index < last_agent]
    problem_statement = next((t for t in answerable if len(t.text.split()) >= PROBLEM_STATEMENT_WORDS), None)
    distress = [(t, e) for t in answerable if (e := _distress(view, t, problem_statement))]
    if not distress:
        return not_applicable("the customer voiced no frustration, worry or loss the agent could answer")
    for turn, quote in distress:
        replies = [t for t in view.agent_turns if t.index > turn.index][:ACKNOWLEDGEMENT_WITHIN_REPLIES]
        if _is_misplaced_cheer(view, replies[0]):
            cheer = quote_turn(replies[0])
            return failed([quote, cheer], "the agent answered the customer's distress with cheer")
        for reply in replies:
            evidence = view.find("empathy", reply)
            if evidence and not _is_filler_apology(view, reply):
                return passed([quote, evidence])
    return failed([distress[0][1]], "the agent's replies never acknowledged the customer's feelings")


def assess_customer_repeat(view: TranscriptView) -> Assessment:
    """The customer did not have to give the same data or explanation again."""
    complaint = next((e for t in view.customer_turns if (e := view.find("already_said", t))), None)
    if complaint:
        return failed([complaint], "the customer says they already gave this")
    first_turn_of_label: dict[str, TurnView] = {}
    # What a bot collected before the hand-off (a system turn) was given already.
    given = [t for t in view.turns if t.speaker is Speaker.CUSTOMER or t.speaker is Speaker.SYSTEM]
    for turn in given:
        for label in sorted(turn.labels - REPEAT_IGNORED_LABELS):
            earlier = first_turn_of_label.setdefault(label, turn)
            if earlier is not turn and turn.speaker is Speaker.CUSTOMER:
                return failed([quote_turn(earlier), quote_turn(turn)], f"the customer gave {label} twice")
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


def _promises_nothing(view: TranscriptView, sentence: str) -> bool:
    # "Your request has been registered and will be processed", "le cas a été transmis au service concerné":
    # a fixing verb in a sentence that reports only progress, or hands the case to nobody in particular.
    folded = fold_text(sentence)
    return (
        view.matcher.find("vague_promise", folded) is not None
        or view.matcher.find("vague_owner", folded) is not None
    )


def _is_statement_of_fact(view: TranscriptView, evidence: Evidence | None) -> bool:
    # "Is it cancelled?" asks; "it's cancelled" tells.
    if evidence is None or evidence.quote.rstrip().endswith("?"):
        return False
    return not _promises_nothing(view, evidence.quote)


def _resolved(view: TranscriptView, turn: TurnView) -> Evidence | None:
    # "That worked" from the customer, "it's sorted" from the agent, a fix the agent reports done ("I've
    # waived half of it", "Ich habe die Mahnung storniert") or does as they speak ("je vous rembourse les
    # quarante euros", "the line is cancelled effective today", "der Vertrag ist zum Monatsende gekündigt").
    evidence = view.find_affirmed("resolution_done", turn, unless="negation")
    if turn.speaker is not Speaker.AGENT:
        # "I sent it an hour ago, it's in the tweet" tells what the customer did, not that it is fixed.
        return evidence if view.find("already_said", turn) is None else None
    if _is_statement_of_fact(view, evidence):
        return evidence
    evidence = view.find_together("done_marker", "resolving_action", turn, unless="negation")
    return evidence if _is_statement_of_fact(view, evidence) else None


def _answer_statement(view: TranscriptView, turn: TurnView) -> Evidence | None:
    """The first statement of an agent turn that answers something: not a question, a bare "okay" or a
    farewell, not a promise without a date ("we will contact you") nor progress without an outcome."""
    statements = [
        (start, end)
        for start, end in sentence_spans(turn.text)
        if not turn.text[start:end].rstrip().endswith("?")
        and view.matcher.find("closing", turn.folded[start:end]) is None
    ]
    if sum(len(turn.text[start:end].split()) for start, end in statements) < ANSWER_MIN_WORDS:
        return None
    if any(_promises_nothing(view, turn.text[start:end]) for start, end in sentence_spans(turn.text)):
        return None
    is_dated = view.match("time_marker", turn) or _CLOCK_TIME.search(turn.folded)
    if view.match("next_step_owner", turn) and not is_dated:
        return None
    return quote_at(turn, statements[0][0])


def _accepted_answer(view: TranscriptView, turn: TurnView) -> list[Evidence] | None:
    """The agent's answer just before customer ``turn`` and the customer taking it ("it arrives Monday
    before 6" - "ok great, thanks"): the answer to their question, complete by the customer's word."""
    # A question, a complaint, giving data ("Sure, it's [EMAIL]") or giving up ("fine, whatever") is not
    # taking the answer.
    if "?" in turn.text or turn.labels:
        return None
    if any(view.find(category, turn) for category in ("customer_distress", "already_said", "resignation")):
        return None
    acceptance = view.find_affirmed("acceptance", turn, unless="negation")  # not "that's not good"
    previous = next((t for t in reversed(view.turns[: turn.index]) if t.speaker is not Speaker.SYSTEM), None)
    if acceptance is None or previous is None or previous.speaker is not Speaker.AGENT:
        return None
    answer = _answer_statement(view, previous)
    return [answer, acceptance] if answer else None


def assess_resolution(view: TranscriptView) -> Assessment:
    """The issue was resolved or the question answered, or a concrete next step with an owner and a time
    was given."""
    if not view.customer_turns:
        return not_applicable("no customer turns")
    # The latest word on the issue counts: read backwards, a fix or a dated promise passes, while a customer
    # saying it still fails (after their first turn, which states the problem) undoes any earlier fix. The
    # customer's first turn tells the problem: "I sent you the invoice" there is history, not a fix.
    first_customer = view.customer_turns[0].index
    for turn in reversed(view.turns):
        if turn.speaker is Speaker.SYSTEM or turn.index == first_customer:
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
            accepted = _accepted_answer(view, turn)
            if accepted:
                return passed(accepted, "the customer accepted the agent's answer")
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
