"""Empathy and outsourcing_disclosure on wording no phrase list was fitted to: distress told by intensity,
a long wait, what is at stake or a customer apologising for bothering; acknowledgement by concept family;
stock apologies; questions about the agent that name a place or an outside company."""

from __future__ import annotations

import pytest

from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.transcript import build_transcript

PASS, FAIL, NA = Outcome.PASS, Outcome.FAIL, Outcome.NOT_APPLICABLE
HELLO = ("agent", "Hello, Acme here.")


def outcome(make_interaction, criterion: str, turns, **kwargs) -> Outcome:
    return CRITERIA[criterion].assess(build_transcript(make_interaction(turns, **kwargs))).outcome


def empathy(make_interaction, customer: str, *replies: str, **kwargs) -> Outcome:
    turns = [HELLO, ("customer", customer)] + [("agent", reply) for reply in replies]
    return outcome(make_interaction, "empathy", turns + [("customer", "ok")], **kwargs)


# --- distress without a feeling word --------------------------------------------------------------------


@pytest.mark.parametrize(
    "customer",
    [
        "WHY IS MY ACCOUNT CLOSED. I PAID EVERYTHING.",
        "Ich will einfach nur mein Geld zurück!!",
        "Je veux juste parler à quelqu'un ?!",
        "reinicié el módem 6 veces y sigue igual",
        "app 4 baar reinstall kiya, login abhi bhi nahi",
        "my parcel is at the depot again 🙃",
    ],
)
def test_intensity_voices_distress_in_any_language(make_interaction, customer):
    assert empathy(make_interaction, customer, "Account number?") is FAIL


@pytest.mark.parametrize(
    "customer",
    [
        "I returned the jacket and the money has not shown up for 12 days.",
        "Devolví la lavadora hace cinco semanas y el reembolso sigue pendiente.",
        "Die Gutschrift ist seit drei Wochen offen.",
        "Mandei os documentos há 20 dias e o processo não andou.",
    ],
)
def test_a_wait_of_a_week_or_more_is_owed_an_acknowledgement(make_interaction, customer):
    assert empathy(make_interaction, customer, "Order number?") is FAIL


@pytest.mark.parametrize(
    "customer",
    [
        "The app won't let me pay, and it's my rent due today.",
        "Mi sueldo no aparece en la cuenta y la transferencia está bloqueada.",
        "Le paiement de ma retraite est bloqué sur le compte.",
        "Meu remédio ficou preso na entrega, o pedido está atrasado.",
        "Sorry to trouble you, the card doesn't work at the shop.",
        "Entschuldigen Sie die Störung, die Karte funktioniert nicht.",
    ],
)
def test_what_is_at_stake_or_an_apologetic_customer_reveals_distress(make_interaction, customer):
    assert empathy(make_interaction, customer, "Card number?") is FAIL


@pytest.mark.parametrize(
    "customer",
    [
        "Hi!! quick question, are you open on Sunday?",
        "THANK YOU SO MUCH!! it works",
        "I pay my rent by card, can I change the date?",
        "My IBAN changed, here is the new IBAN for the refund.",
    ],
)
def test_calm_questions_and_joy_are_not_distress(make_interaction, customer):
    assert empathy(make_interaction, customer, "Sure, one moment.") is NA


# --- acknowledgement by concept family ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("customer", "reply"),
    [
        ("My father died last week, I need to close his account.", "Our condolences. I'll close it today."),
        ("Mi padre falleció, quiero cerrar su cuenta.", "Mi más sentido pésame. La cierro hoy."),
        ("Mon père est décédé, je veux fermer son compte.", "Toutes nos condoléances, je le ferme."),
        ("Mein Vater ist verstorben, ich möchte sein Konto schließen.", "Mein herzliches Beileid."),
        ("Meu pai faleceu, quero encerrar a conta dele.", "Meus sentimentos. Encerro hoje."),
        ("Papa ka dehant ho gaya, account band karna hai.", "Hum samajhte hain, account aaj band karenge."),
        ("Namatay po ang tatay ko, isasara ko po ang account.", "Nakikiramay po kami. Isasara ko ngayon."),
    ],
)
def test_condolences_and_understanding_acknowledge(make_interaction, customer, reply):
    assert empathy(make_interaction, customer, reply) is PASS


def test_a_stock_apology_repeated_whatever_the_customer_says_acknowledges_nothing(make_interaction):
    customer = "This is the third time I'm writing about the refund."
    stock = "We apologise for any delay caused. The team will contact you."
    assert empathy(make_interaction, customer, stock, stock) is FAIL
    assert empathy(make_interaction, customer, stock, "Let me check.") is PASS
    named = "I understand your frustration. One moment please."
    assert empathy(make_interaction, customer, named, named) is PASS


def test_cheer_after_a_greeting_is_still_misplaced(make_interaction):
    customer = "Mi madre murió ayer y tengo que cancelar su línea."
    assert empathy(make_interaction, customer, "¡Buenos días! ¡Genial! Lo siento, ¿su DNI?") is FAIL


# --- outsourcing: who or where questions in any wording --------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("Are you lot in India or something?", "No, I'm in Manila, with Acme's partner.", PASS),
        ("¿Y usted es de México?", "Sí, de Monterrey.", FAIL),
        ("Êtes-vous au Maroc, vous ?", "Je suis à Manille... pardon, à Cebu.", PASS),
        ("Seid ihr etwa in Polen?", "Nein, wir sind in Berlin.", FAIL),
        ("Vocês ficam em Portugal?", "Isso, em Lisboa.", FAIL),
        ("Aap log Delhi mein ho kya?", "Main Cebu se hoon, partner company.", PASS),
        ("Nasa Davao ba kayo?", "Opo, sa Davao po.", PASS),
    ],
)
def test_a_question_naming_a_place_near_the_addressee_asks_where(
    make_interaction, question, answer, expected
):
    turns = [HELLO, ("customer", question), ("agent", answer)]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor="manila-bpo") is expected


@pytest.mark.parametrize(
    "question",
    [
        "Quick one: are you Acme staff or an outsourced team?",
        "¿Es usted de Acme o de una empresa externa?",
        "C'est Acme ou un prestataire qui répond ?",
        "Sind Sie bei Acme oder bei einem Dienstleister?",
        "Aap Acme ke ho ya kisi dusri company ke?",
    ],
)
def test_a_question_naming_an_outside_company_asks_who(make_interaction, question):
    turns = [HELLO, ("customer", question), ("agent", "I'm part of the Acme family! How can I help?")]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor="manila-bpo") is FAIL


@pytest.mark.parametrize(
    "customer",
    [
        "Can you deliver to my sister's house? She lives on the other side of town.",
        "I moved to Manila last month and want to update my address.",
        "The charge came from a shop in Madrid, which I've never visited.",
    ],
)
def test_places_and_companies_outside_a_question_to_the_agent_ask_nothing(make_interaction, customer):
    turns = [HELLO, ("customer", customer), ("agent", "Sure, one moment.")]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor="manila-bpo") is NA
