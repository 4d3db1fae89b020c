"""Transcripts: the turns of one contact, rendered from its plan, the agent's conduct and a phrasebook.

Each contact rolls the agent's tendencies (disclose the recording, state why data is needed, show
empathy, read a card back ...), so the same agent is usually but not always consistent.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from random import Random

from trustdesk.core.model import IN_HOUSE_VENDOR, Channel
from trustdesk.demo.cards import group_card_number
from trustdesk.demo.locales import format_money, load_locales, make_address, make_email, make_phone
from trustdesk.demo.phrasebook import load_phrasebook
from trustdesk.demo.schedule import ContactKind, ContactPlan, Ending
from trustdesk.demo.spoken import name_day, speak_date, speak_digits, speak_email, speak_phone, write_date

AGENT, CUSTOMER = "agent", "customer"
# Turns per contact (low, high) by channel; email turns are whole messages.
_TURN_TARGETS = {Channel.VOICE: (22, 34), Channel.CHAT: (15, 24), Channel.SOCIAL: (8, 14)}
# What each purpose needs to collect beyond identity, and how often.
_PURPOSE_DATA = {
    "billing": (("card", 0.35), ("email", 0.2)),
    "order_status": (("address", 0.5),),
    "technical_support": (("phone", 0.4),),
    "account_change": (("change", 1.0),),
    "complaint": (("email", 0.3), ("phone", 0.2)),
    "cancellation": (("email", 0.4),),
    "fraud_report": (("card", 1.0), ("phone", 0.3)),
}


@dataclass(frozen=True)
class ContactFacts:
    """What happened in a contact, which the survey answer follows."""

    resolved: bool
    escalated: bool
    empathic: bool
    scripted: bool
    customer_repeated: bool
    closed_properly: bool


@dataclass(frozen=True)
class Transcript:
    turns: list[dict]
    hold_seconds: int
    talk_seconds: float
    facts: ContactFacts


class Dialogue:
    """Collects the lines of one contact, then lays them out in time."""

    def __init__(self, plan: ContactPlan, values: dict[str, str], rng: Random) -> None:
        self.plan = plan
        self.values = values
        self.rng = rng
        self.book = load_phrasebook(plan.language)
        self.lines: list[tuple[str, str]] = []
        self.hold_after: dict[int, int] = {}
        self.spoken = plan.channel is Channel.VOICE
        conduct = plan.agent.conduct
        roll = rng.random
        self.discloses = roll() < conduct.discloses_recording
        self.states_purpose = roll() < conduct.states_purpose_before_asking
        self.empathic = roll() < conduct.shows_empathy
        self.scripted = roll() < conduct.sounds_scripted
        self.reads_back = roll() < conduct.reads_back_card
        self.truthful = roll() < conduct.answers_location_truthfully
        self.closes = roll() < conduct.closes_properly
        # Notes travel less well between vendors than within one, so cross-vendor hand-offs lose context more.
        crosses_vendor = plan.previous_agent is not None and plan.previous_agent.vendor != plan.agent.vendor
        self.reads_notes = roll() < conduct.reads_handoff_notes * (0.6 if crosses_vendor else 1.0)
        self.customer_repeated = False

    def phrase(self, key: str, **extra: str) -> str:
        values = {**self.values, **extra} if extra else self.values
        return self.book.say(key, self.rng, values)

    def add(self, speaker: str, *keys: str, **extra: str) -> None:
        text = self.phrase(keys[0], **extra)
        for key in keys[1:]:
            piece = self.phrase(key, **extra)
            # A sentence continued after a comma ("As I told your colleague, there's ...") starts lower-case.
            if text.endswith(",") and not piece.startswith("I "):
                piece = piece[0].lower() + piece[1:]
            text += " " + piece
        self.lines.append((speaker, text))

    def add_fresh(self, speaker: str, key: str) -> None:
        """Add a line for ``key`` that this speaker has not said yet, when the phrasebook has one."""
        said = {text for who, text in self.lines if who == speaker}
        text = self.phrase(key)
        for _ in range(3):
            if text not in said:
                break
            text = self.phrase(key)
        self.lines.append((speaker, text))

    def add_text(self, speaker: str, text: str) -> None:
        self.lines.append((speaker, text))

    def acknowledge(self) -> None:
        """The agent's reaction to a problem: empathy, an over-scripted line, or a flat okay."""
        if self.scripted:
            self.add(AGENT, "agent.scripted")
        elif self.empathic:
            self.add(AGENT, "agent.empathy")
        else:
            self.add(AGENT, "agent.flat_ack")

    def value_of(self, field: str) -> str:
        """A personal value as the customer gives it: spoken digit by digit on a call, typed elsewhere."""
        customer, rng, language = self.plan.customer, self.rng, self.plan.language
        if field == "dob":
            return speak_date(customer.date_of_birth, language, rng) if self.spoken \
                else write_date(customer.date_of_birth, customer.country, rng)
        if field == "account":
            return speak_digits(customer.account_number, language, rng, group=3) if self.spoken \
                else customer.account_number
        if field == "email":
            return speak_email(customer.email, language) if self.spoken else customer.email
        if field == "phone":
            return speak_phone(customer.phone, language, rng) if self.spoken else customer.phone
        if field == "card":
            number = customer.card.number
            if self.spoken:
                return speak_digits(number, language, rng)
            return group_card_number(number) if rng.random() < 0.6 else number
        if field == "cvv":
            return speak_digits(customer.card.cvv, language, rng) if self.spoken else customer.card.cvv
        if field == "address":
            return customer.address
        raise ValueError(f"no personal field {field!r} to give")

    def collect(self, field: str) -> None:
        """The agent asks for ``field`` (explaining why, or not) and the customer gives it."""
        table = "agent.ask_with_purpose" if self.states_purpose else "agent.ask_bare"
        self.add(AGENT, f"{table}.{field}")
        self.add(CUSTOMER, f"customer.give.{field}", value=self.value_of(field))
        if field == "card":
            self.after_card()
        else:
            self.add(AGENT, "agent.thanks_value")

    def after_card(self) -> None:
        if self.reads_back:
            number = self.plan.customer.card.number
            card = speak_digits(number, self.plan.language, self.rng) if self.spoken else group_card_number(number)
            self.add(AGENT, "agent.readback_card", card=card)
            self.add(CUSTOMER, "customer.confirm_yes")
        else:
            self.add(AGENT, "agent.no_readback")
        if self.plan.purpose == "billing" and self.rng.random() < 0.5:
            self.collect("cvv")

    def collect_change(self) -> None:
        """An account change: the customer gives the new address, email or phone."""
        locale = load_locales()[self.plan.customer.country]
        kind = self.rng.choice(("address", "address", "email", "phone"))
        if kind == "address":
            value = make_address(locale, self.rng)
        elif kind == "email":
            new_email = make_email(self.plan.customer.first_name, self.plan.customer.last_name, self.rng)
            value = speak_email(new_email, self.plan.language) if self.spoken else new_email
        else:
            phone = make_phone(locale, self.rng)
            value = speak_phone(phone, self.plan.language, self.rng) if self.spoken else phone
        key = f"customer.change.{kind}"
        if key not in self.book.keys():
            key = "customer.detail.account_change"
        self.add(CUSTOMER, key, value=value)
        self.add(AGENT, "agent.thanks_value")


def _opening(dialogue: Dialogue) -> None:
    plan = dialogue.plan
    purpose = plan.purpose
    if plan.kind is ContactKind.HANDOFF:
        if dialogue.spoken and dialogue.discloses:
            dialogue.add(AGENT, "agent.recording_disclosure")
        if dialogue.reads_notes:
            dialogue.add(AGENT, "agent.handoff_notes")
            dialogue.add(CUSTOMER, "customer.notes_thanks")
        else:
            dialogue.add(AGENT, "agent.handoff_blank")
            dialogue.add(CUSTOMER, "customer.repeat_preface", f"customer.opening.{purpose}")
            dialogue.customer_repeated = True
        return
    greeting = {Channel.VOICE: "agent.greeting_voice", Channel.CHAT: "agent.greeting_chat",
                Channel.SOCIAL: "agent.greeting_social"}[plan.channel]
    if plan.channel is Channel.SOCIAL:
        dialogue.add(CUSTOMER, f"customer.opening.{purpose}")
        dialogue.add(AGENT, greeting)
    elif dialogue.spoken and dialogue.discloses:
        dialogue.add(AGENT, greeting, "agent.recording_disclosure")
    else:
        dialogue.add(AGENT, greeting)
    if plan.kind is ContactKind.REPEAT:
        dialogue.add(CUSTOMER, "customer.repeat_contact")
        dialogue.add(AGENT, "agent.repeat_contact_ack")
        dialogue.add(CUSTOMER, f"customer.opening.{purpose}")
    elif plan.channel is not Channel.SOCIAL:
        dialogue.add(CUSTOMER, f"customer.opening.{purpose}")


def _middle(dialogue: Dialogue) -> None:
    plan, rng = dialogue.plan, dialogue.rng
    dialogue.acknowledge()
    if plan.kind is not ContactKind.HANDOFF:
        dialogue.collect("account")
        if plan.channel is not Channel.SOCIAL:
            dialogue.collect("dob")
    dialogue.add(CUSTOMER, f"customer.detail.{plan.purpose}")
    dialogue.add(AGENT, "agent.probe")
    dialogue.add(CUSTOMER, "customer.frustrated" if rng.random() < 0.4 else f"customer.detail.{plan.purpose}")
    if dialogue.scripted and rng.random() < 0.6:
        dialogue.add(AGENT, "agent.scripted")
        dialogue.add(CUSTOMER, "customer.ack")
    if rng.random() < 0.14:
        dialogue.add(CUSTOMER, "customer.location_question")
        in_house = plan.agent.vendor == IN_HOUSE_VENDOR
        key = "agent.location_in_house" if in_house else "agent.location_truthful"
        dialogue.add(AGENT, key if in_house or dialogue.truthful else "agent.location_evasive")
    if rng.random() < 0.05:
        dialogue.add(CUSTOMER, "customer.health")
        dialogue.add(AGENT, "agent.health_ack" if dialogue.empathic else "agent.flat_ack")
    dialogue.add(AGENT, f"agent.investigate.{plan.purpose}")
    for field, chance in _PURPOSE_DATA[plan.purpose]:
        if rng.random() < chance:
            if field == "change":
                dialogue.collect_change()
            else:
                dialogue.collect(field)
    if plan.hold_seconds:
        dialogue.add(AGENT, "agent.hold")
        dialogue.hold_after[len(dialogue.lines) - 1] = plan.hold_seconds
        dialogue.add(AGENT, "agent.back_from_hold")


def _pad(dialogue: Dialogue, target: int, reserved: int) -> None:
    """Back-and-forth checking until the contact reaches its planned length, avoiding parroted lines."""
    detail = f"customer.detail.{dialogue.plan.purpose}"
    while len(dialogue.lines) + reserved < target:
        if dialogue.rng.random() < 0.65:
            dialogue.add_fresh(AGENT, "agent.checking")
            dialogue.add(CUSTOMER, "customer.ack")
        else:
            dialogue.add_fresh(AGENT, "agent.probe")
            dialogue.add_fresh(CUSTOMER, detail)


def _ending(dialogue: Dialogue) -> None:
    plan, rng = dialogue.plan, dialogue.rng
    if plan.ending is Ending.TRANSFERRED:
        dialogue.add(AGENT, "agent.transfer")
        dialogue.add(CUSTOMER, "customer.ack")
        return
    if plan.ending is Ending.ESCALATED:
        if rng.random() < 0.6:
            dialogue.add(CUSTOMER, "customer.supervisor_request")
        dialogue.add(AGENT, "agent.escalate")
        dialogue.add(CUSTOMER, "customer.ack")
    elif plan.ending is Ending.RESOLVED:
        dialogue.add(AGENT, f"agent.resolve.{plan.purpose}")
        dialogue.add(CUSTOMER, "customer.resolved_thanks")
    else:
        dialogue.add(AGENT, f"agent.unresolved.{plan.purpose}", "agent.followup_promise")
        dialogue.add(CUSTOMER, "customer.unresolved_bye")
    dialogue.add(AGENT, "agent.anything_else")
    dialogue.add(CUSTOMER, "customer.no_more")
    closing = "agent.closing_voice" if dialogue.spoken else "agent.closing_text"
    dialogue.add(AGENT, closing if dialogue.closes else "agent.flat_ack")


def _email(dialogue: Dialogue) -> None:
    """Email contacts: whole messages, signed, with the data typed into them."""
    plan, rng = dialogue.plan, dialogue.rng
    purpose = plan.purpose
    sign_off = dialogue.phrase("customer.sign_off")
    first = dialogue.phrase("customer.repeat_contact") + " " if plan.kind is ContactKind.REPEAT else ""
    account = dialogue.phrase("customer.give.account", value=plan.customer.account_number)
    card = ""
    if purpose == "fraud_report" and rng.random() < 0.3:  # customers do email card numbers
        card = " " + dialogue.phrase("customer.give.card", value=plan.customer.card.number)
    dialogue.add_text(CUSTOMER, f"{first}{dialogue.phrase(f'customer.opening.{purpose}')} "
                                f"{dialogue.phrase(f'customer.detail.{purpose}')} {account}{card}\n\n{sign_off}")
    signature = dialogue.phrase("agent.closing_email")
    if plan.kind is ContactKind.HANDOFF and not dialogue.reads_notes:
        dialogue.add_text(AGENT, f"{dialogue.phrase('agent.greeting_email')} "
                                 f"{dialogue.phrase('agent.handoff_blank')}\n\n{signature}")
        dialogue.add_text(CUSTOMER, f"{dialogue.phrase('customer.repeat_preface')} "
                                    f"{dialogue.phrase(f'customer.opening.{purpose}')}\n\n{sign_off}")
        dialogue.customer_repeated = True
    reaction = dialogue.phrase("agent.scripted" if dialogue.scripted else
                               "agent.empathy" if dialogue.empathic else "agent.flat_ack")
    table = "agent.ask_with_purpose" if dialogue.states_purpose else "agent.ask_bare"
    notes_read = plan.kind is ContactKind.HANDOFF and dialogue.reads_notes
    greeting = dialogue.phrase("agent.handoff_notes" if notes_read else "agent.greeting_email")
    dialogue.add_text(AGENT, f"{greeting} {reaction} "
                             f"{dialogue.phrase(f'agent.investigate.{purpose}')} {dialogue.phrase(f'{table}.dob')}"
                             f"\n\n{signature}")
    dialogue.add_text(CUSTOMER, f"{dialogue.phrase('customer.give.dob', value=dialogue.value_of('dob'))}"
                                f"\n\n{sign_off}")
    outcome = {Ending.RESOLVED: f"agent.resolve.{purpose}", Ending.ESCALATED: "agent.escalate",
               Ending.TRANSFERRED: "agent.transfer", Ending.UNRESOLVED: f"agent.unresolved.{purpose}"}[plan.ending]
    closing = dialogue.phrase("agent.anything_else") if dialogue.closes else ""
    dialogue.add_text(AGENT, f"{dialogue.phrase(outcome)} {closing}\n\n{signature}".replace(" \n", "\n"))


def lay_out(dialogue: Dialogue, talk_seconds: float) -> list[dict]:
    """Offsets for each line: speaking or typing time plus pauses, stretched to the planned length."""
    rng = dialogue.rng
    channel = dialogue.plan.channel
    random = rng.random
    if channel is Channel.VOICE:  # about 2.6 words a second, and a short pause between speakers
        natural = [(text.count(" ") + 1) / 2.6 + 0.3 + 1.2 * random() for _, text in dialogue.lines]
    else:  # agents type faster than customers, and each side waits to read the other
        natural = [(text.count(" ") + 1) / (1.2 if speaker == AGENT else 0.6) + 4.0 + 26.0 * random()
                   for speaker, text in dialogue.lines]
    scale = talk_seconds / sum(natural)
    turns, offset = [], 0.0
    for index, ((speaker, text), seconds) in enumerate(zip(dialogue.lines, natural, strict=True)):
        turns.append({"speaker": speaker, "text": text, "offset_seconds": round(offset, 1)})
        offset += seconds * scale + dialogue.hold_after.get(index, 0)
    return turns


def render_transcript(plan: ContactPlan, values: dict[str, str], rng: Random) -> Transcript:
    """The turns of the contact in ``plan``; ``values`` fills the phrase placeholders."""
    dialogue = Dialogue(plan, values, rng)
    if plan.channel is Channel.EMAIL:
        _email(dialogue)
    else:
        low, high = _TURN_TARGETS[plan.channel]
        _opening(dialogue)
        _middle(dialogue)
        reserved = 4 if plan.ending is Ending.TRANSFERRED else 6
        _pad(dialogue, rng.randint(low, high), reserved)
        _ending(dialogue)
    turns = lay_out(dialogue, plan.duration_seconds)
    facts = ContactFacts(
        resolved=plan.ending is Ending.RESOLVED,
        escalated=plan.ending is Ending.ESCALATED,
        empathic=dialogue.empathic and not dialogue.scripted,
        scripted=dialogue.scripted,
        customer_repeated=dialogue.customer_repeated,
        closed_properly=dialogue.closes,
    )
    return Transcript(turns, sum(dialogue.hold_after.values()), plan.duration_seconds, facts)


def placeholder_values(plan: ContactPlan, brand_name: str, site_city: str, site_country: str,
                       seed: int) -> dict[str, str]:
    """Values for the phrase placeholders; amounts, dates and orders stay the same across a case's contacts."""
    customer = plan.customer
    locale = load_locales()[customer.country]
    book = load_phrasebook(plan.language)
    # Seeded by the case (string seeds hash the same in every process), so every contact cites the same facts.
    rng = Random(f"{seed}:{plan.case_id}")
    incident_day = plan.case_opened_at.date() - timedelta(days=rng.randint(1, 25))
    return {
        "brand": brand_name,
        "agent": plan.agent.name.split(" ")[0],
        "first": customer.first_name,
        "name": customer.name,
        "case": plan.case_id,
        "amount": format_money(locale, rng.choice((9.99, 19.99, 24.5, 39.0, 49.99, 84.99, 129.0, 249.9, 480.0))),
        "date": name_day(incident_day, plan.language),
        "order": f"ORD-{rng.randint(100000, 999999)}",
        "days": str(rng.randint(2, 9)),
        "city": site_city,
        "country_name": book.say(f"country.{site_country}", rng, {}),
        "topic": book.say(f"topic.{plan.purpose}", rng, {}),
        "team": book.say(f"team.{plan.purpose}", rng, {}),
        "expiry": customer.card.expiry,
        "last4": customer.card.number[-4:],
    }
