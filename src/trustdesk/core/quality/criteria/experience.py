"""Experience criteria (QA-3): the customer's experience, judged by the agent's behaviour."""

from __future__ import annotations

import re

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
# Faces of despair, anger, fear, tears or sarcasm say what the words may not ("tracking hasn't moved 😩",
# "love that for me 🙃"), in any language. A plain character class: the stdlib engine scans for it faster.
_DISTRESS_EMOJI = re.compile("[😒😔😕😖😞😟😠😡😢😣😤😥😦😧😨😩😫😭🙁☹🙄🤬💔🙃😬😓😰😱🥺🥲😪😑🤦🤯😵🤡👎]")
# The same faces typed as text: ":(", ":-(", ":'(", ">:(", "=(". Each holds a "(", which most turns lack.
_SAD_EMOTICON = re.compile(r"[:=]'?-?\(")
# Intensity in any language: words typed in capitals ("NEIN. KÜNDIGEN. JETZT."), stacked exclamations
# ("sofort!!!", "seriously?!") or a count of attempts ("restart 10 baar kar liya", "tried 4 times"). Short
# capitals are acronyms (ICU, OTP, CPF), one long word a name; a doubled "??" is puzzlement as often as anger.
# The packs' languages are written in Latin script, whose capitals the stdlib engine finds at a fraction of
# ``regex``'s cost per turn; placeholders ("[ACCOUNT_NUMBER]") are not shouting.
_SHOUTED_WORD = re.compile(r"(?<![\w\[])[A-ZÀ-ÖØ-Þ]{4,}(?!\w)")
SHOUTED_WORDS = 2
_STACKED_MARKS = ("!!", "?!", "!?")
_ATTEMPTS = re.compile(r"\b(\d{1,3})\s?(?:times|x|veces|vezes|fois|mal|baar|beses)\b")
MANY_ATTEMPTS = 3
# One scan tells whether a turn holds any of these cues at all; most turns hold none.
_INTENSITY_CUE = re.compile(
    r"(?<![\w\[])[A-ZÀ-ÖØ-Þ]{4,}(?!\w)|!!|\?!|!\?|\b\d{1,3}\s?(?i:times|x|veces|vezes|fois|mal|baar|beses)\b"
)
# A wait of a week or more told in days ("15 dias", "10 days", "30 jours"); weeks and months are pack words.
_DAYS_WAITED = re.compile(r"\b(\d{1,3})\s?(?:days?|dias?|jours?|tagen?|din|araw)\b")
LONG_WAIT_DAYS = 7
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


def _is_intense(view: TranscriptView, turn: TurnView) -> bool:
    # Capitals and stacked marks are also how joy and greetings are typed ("THANK YOU SO MUCH!!", "Hi!! quick
    # question"): only a turn that is not positive, outside a bare greeting, is shouted in distress. An
    # acronym said twice ("IBAN ... IBAN") is one word.
    if _INTENSITY_CUE.search(turn.text) is None:
        return False
    if not (_is_shouted(turn.text) or _tells_many_attempts(turn.folded) or _has_stacked_marks(view, turn)):
        return False
    return customer_turn_sentiment(view, turn) <= 0 and view.find("acceptance", turn) is None


def _is_shouted(text: str) -> bool:
    return len(set(_SHOUTED_WORD.findall(text))) >= SHOUTED_WORDS


def _tells_many_attempts(folded: str) -> bool:
    return any(int(count.group(1)) >= MANY_ATTEMPTS for count in _ATTEMPTS.finditer(folded))


def _has_stacked_marks(view: TranscriptView, turn: TurnView) -> bool:
    text = turn.text
    if not any(marks in text for marks in _STACKED_MARKS):
        return False
    return any(
        any(marks in text[start:end] for marks in _STACKED_MARKS)
        and not view.matcher.is_whole("greeting", turn.folded[start:end].strip(" \t\n!¡?¿.,"))
        for start, end in sentence_spans(text)
    )


def _has_waited_long(view: TranscriptView, turn: TurnView) -> bool:
    if view.match("long_wait", turn):
        return True
    return any(int(days.group(1)) >= LONG_WAIT_DAYS for days in _DAYS_WAITED.finditer(turn.folded))


def _downplayed_distress(view: TranscriptView, turn: TurnView) -> Evidence | None:
    # Politeness can hide distress ("I'm sure it's nothing, it's only that my pension goes in there"): a wait
    # of a week or more, or a problem that puts a livelihood or health at stake, or a customer apologising
    # for bothering anyone with a problem, is owed an acknowledgement even when no feeling is named.
    if _has_waited_long(view, turn):
        return quote_turn(turn)
    cue = view.find("stakes", turn) or view.find("self_effacing", turn)
    if cue is None or not (view.match("problem_report", turn) or view.match("service_failure", turn)):
        return None
    return cue


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
    face = _DISTRESS_EMOJI.search(turn.text)
    if face is None and "(" in turn.text:
        face = _SAD_EMOTICON.search(turn.text)
    if face:
        return quote_at(turn, face.start())
    if _is_intense(view, turn):
        return quote_turn(turn)
    if turn is not problem_statement:
        return None
    downplayed = _downplayed_distress(view, turn)
    if downplayed:
        return downplayed
    sentiment = customer_turn_sentiment(view, turn)
    return quote_turn(turn) if sentiment <= DISTRESS_SENTIMENT else None


def _is_misplaced_cheer(view: TranscriptView, reply: TurnView) -> bool:
    # "Great! Before we proceed…" as the answer to a bereavement: the reply opens with cheer and nothing else,
    # once past a bare greeting ("¡Hola! ¡Perfecto! 😊").
    for start, end in sentence_spans(reply.text):
        opening = reply.folded[start:end].strip(" \t\n!¡.,")
        if not view.matcher.is_whole("greeting", opening):
            return view.matcher.is_whole("cheer", opening)
    return False


def _apology_words(turn: TurnView, position: int) -> str:
    # From the apology to the end of its sentence: "Hello, we regret the inconvenience caused." and "We
    # regret the inconvenience caused." say the same stock line.
    _, end = sentence_span(turn.text, position)
    return turn.folded[position:end]


def _is_stock_apology(view: TranscriptView, reply: TurnView, words: str) -> bool:
    """Whether the apology ``words`` of ``reply`` is said word for word in another reply too ("Sorry for the
    inconvenience." three times, whatever the customer says): a stock line, not an acknowledgement. One
    that names the feeling ("I understand your frustration") still answers it, however often it is said."""
    # A substring test rules out most replies before their apologies are cut out and compared.
    repeated = any(
        other is not reply
        and words in other.folded
        and any(
            _apology_words(other, match.start()) == words
            for match in view.matcher.find_all("empathy", other.folded)
        )
        for other in view.agent_turns
    )
    return repeated and view.matcher.find("customer_distress", words) is None


def _acknowledgement(view: TranscriptView, reply: TurnView) -> Evidence | None:
    # Most replies hold no apology at all: the search every criterion shares rules them out first.
    evidence = view.find("empathy", reply)
    if evidence is None or _is_filler_apology(view, reply):
        return None
    # An apology can be a repeated stock line only when another reply may hold one too.
    if not any(other is not reply and "empathy" in view.possible_lists(other) for other in view.agent_turns):
        return evidence
    # Lazily: the first apology is nearly always said once, and then it is the answer.
    pattern = view.matcher.categories["empathy"]
    for match in pattern.finditer(reply.folded) if pattern else ():
        if not _is_stock_apology(view, reply, _apology_words(reply, match.start())):
            return quote_at(reply, match.start())
    return None


def assess_empathy(view: TranscriptView) -> Assessment:
    """The agent's reply to the customer's frustration, worry, grief or loss acknowledges it or apologises."""
    last_agent = view.agent_turns[-1].index if view.agent_turns else -1
    # Only distress the agent could still answer counts: a complaint after the agent's last word got no turn.
    answerable = [turn for turn in view.customer_turns if turn.index < last_agent]
    problem_statement = next((t for t in answerable if len(t.text.split()) >= PROBLEM_STATEMENT_WORDS), None)
    # Read turn by turn: once an acknowledged feeling decides the case, later turns need not be read.
    distress = ((t, e) for t in answerable if (e := _distress(view, t, problem_statement)))
    first_quote: Evidence | None = None
    for turn, quote in distress:
        first_quote = first_quote or quote
        replies = [t for t in view.agent_turns if t.index > turn.index][:ACKNOWLEDGEMENT_WITHIN_REPLIES]
        if _is_misplaced_cheer(view, replies[0]):
            cheer = quote_turn(replies[0])
            return failed([quote, cheer], "the agent answered the customer's distress with cheer")
        for reply in replies:
            evidence = _acknowledgement(view, reply)
            if evidence:
                return passed([quote, evidence])
    if first_quote is None:
        return not_applicable("the customer voiced no frustration, worry or loss the agent could answer")
    return failed([first_quote], "the agent's replies never acknowledged the customer's feelings")


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
