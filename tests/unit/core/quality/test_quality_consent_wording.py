"""consent_before_collection on purpose wording no evaluation set holds: a purpose or consent said in many
grammatical shapes, in all seven languages, passes; a bare request, a purpose given only after the data,
and a recording notice's "for quality purposes" do not."""

from __future__ import annotations

import pytest

from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.transcript import build_transcript

PASS, FAIL = Outcome.PASS, Outcome.FAIL


def consent(make_interaction, turns) -> Outcome:
    return CRITERIA["consent_before_collection"].assess(build_transcript(make_interaction(turns))).outcome


def around(request: str, answer: str) -> list[tuple[str, str]]:
    return [("agent", "Hello, thanks for contacting us."), ("customer", "I need help with my order."),
            ("agent", request), ("customer", answer), ("agent", "Thanks.")]


STATED = [
    # English: "in order for", "so that", "that way", "in case", consent questions, purpose after the request.
    ("In order for me to open the ticket, what's your phone number?", "[PHONE]"),
    ("Would you share your email so the invoice reaches you?", "[EMAIL]"),
    ("Could I grab your phone number? That way the technician can ring ahead.", "[PHONE]"),
    ("Mind if I take your phone number in case we get cut off?", "[PHONE]"),
    ("Is it alright if I note down your phone number for the engineer?", "[PHONE]"),
    ("For the warranty claim, what's your email?", "[EMAIL]"),
    ("I need your IBAN for the refund.", "[IBAN]"),
    ("Your date of birth helps me confirm the account, what is it?", "[DATE_OF_BIRTH]"),
    ("Could you pop your email in the chat? I'll forward the invoice there.", "[EMAIL]"),
    ("Quick security step: can you tell me the email on the account?", "[EMAIL]"),
    ("I'll have to ask for your date of birth, it's how we verify callers.", "[DATE_OF_BIRTH]"),
    # Spanish
    ("Con el objetivo de validar la titularidad, ¿me indica su fecha de nacimiento?", "[DATE_OF_BIRTH]"),
    ("¿Me pasa su correo y le reenvío la factura?", "[EMAIL]"),
    ("Necesito validar que es usted: ¿me indica su fecha de nacimiento?", "[DATE_OF_BIRTH]"),
    ("¿Le importa si le pido su teléfono por si se corta la llamada?", "[PHONE]"),
    ("Pa' ubicar su pedido, ¿me dice su correo?", "[EMAIL]"),
    # French
    ("Pourriez-vous me donner votre e-mail ? Comme ça je peux vous renvoyer la facture.", "[EMAIL]"),
    ("Afin que je puisse retrouver la commande, votre e-mail ?", "[EMAIL]"),
    ("Pouvez-vous me communiquer votre IBAN ? C'est nécessaire au remboursement.", "[IBAN]"),
    # German
    ("Nennen Sie mir bitte Ihr Geburtsdatum, dann kann ich Ihr Konto aufrufen.", "[DATE_OF_BIRTH]"),
    ("Zwecks Identitätsprüfung: wie lautet Ihr Geburtsdatum?", "[DATE_OF_BIRTH]"),
    ("Ich brauche Ihre IBAN für die Rückerstattung.", "[IBAN]"),
    # Portuguese: a personal infinitive ("para verificarmos") states a purpose too.
    ("Me passa seu e-mail? Assim consigo te mandar o comprovante.", "[EMAIL]"),
    ("Para verificarmos o cadastro, qual o seu CPF?", "[NATIONAL_ID]"),
    ("Pode informar o CPF do titular pra validação?", "[NATIONAL_ID]"),
    # Hinglish
    ("Refund ke liye aapka bank account number chahiye.", "[BANK_ACCOUNT]"),
    ("Aapka email bataiye, jisse main receipt bhej sakun.", "[EMAIL]"),
    ("Account verify karna padega, apni DOB bata dijiye.", "[DATE_OF_BIRTH]"),
    # Tagalog / Taglish
    ("Upang ma-verify ang account, pakibigay po ang birthday ninyo.", "[DATE_OF_BIRTH]"),
    ("Pakibigay po ng email ninyo para doon namin ipadala ang resibo.", "[EMAIL]"),
    ("Kailangan po naming i-confirm ang identity ninyo, ano po ang birthday?", "[DATE_OF_BIRTH]"),
]

UNSTATED = [
    ("Thanks for your patience. What's your phone number?", "[PHONE]"),
    ("So, what's your email?", "[EMAIL]"),
    ("So the order is late. What's your phone number?", "[PHONE]"),
    ("For the record, what's your date of birth?", "[DATE_OF_BIRTH]"),
    ("What's the email you used to sign up?", "[EMAIL]"),
    ("I need to get your email address.", "[EMAIL]"),
    ("Así que, ¿su correo?", "[EMAIL]"),
    ("Pour le moment, votre e-mail ?", "[EMAIL]"),
    ("Danke für Ihre Geduld. Wie lautet Ihre IBAN?", "[IBAN]"),
    ("Me envia o CPF e o cartão, por favor?", "[NATIONAL_ID]"),
    ("Para continuarmos, qual o seu CPF?", "[NATIONAL_ID]"),
    ("Pareshani ke liye maafi. Apna number bataiye.", "[PHONE]"),
    ("Ek minute ke liye hold kijiye. Apna email bataiye.", "[EMAIL]"),
    ("Salamat po sa paghihintay. Pakibigay po ng birthday.", "[DATE_OF_BIRTH]"),
]

# A recording notice says why the call is recorded, not why the data is asked.
NOTICE_THEN_REQUEST = [
    "This call is recorded for security and training purposes. What's your date of birth?",
    "Esta llamada es grabada por motivos de calidad. ¿Su fecha de nacimiento?",
    "Cet appel est enregistré pour des raisons de qualité. Votre date de naissance ?",
    "Das Gespräch wird zu Qualitätszwecken aufgezeichnet. Ihr Geburtsdatum bitte?",
    "Esta ligação é gravada para fins de qualidade. Qual a sua data de nascimento?",
]


@pytest.mark.parametrize(("request_turn", "answer"), STATED)
def test_a_purpose_in_any_shape_passes(make_interaction, request_turn, answer):
    assert consent(make_interaction, around(request_turn, answer)) is PASS


@pytest.mark.parametrize(("request_turn", "answer"), UNSTATED)
def test_a_request_without_purpose_fails(make_interaction, request_turn, answer):
    assert consent(make_interaction, around(request_turn, answer)) is FAIL


@pytest.mark.parametrize("request_turn", NOTICE_THEN_REQUEST)
def test_a_recording_notice_states_no_purpose_for_data(make_interaction, request_turn):
    assert consent(make_interaction, around(request_turn, "[DATE_OF_BIRTH]")) is FAIL


def test_a_purpose_given_only_after_the_data_fails(make_interaction):
    turns = [("agent", "Hi, how can I help?"), ("customer", "My parcel is late."),
             ("agent", "What's your date of birth?"), ("customer", "[DATE_OF_BIRTH]"),
             ("agent", "Thanks, that's so I can find your account.")]
    assert consent(make_interaction, turns) is FAIL


def test_a_reply_sent_as_two_messages_carries_its_purpose(make_interaction):
    turns = [("agent", "Hi, how can I help?"), ("customer", "My parcel is late."),
             ("agent", "To chase the courier I'll need a couple of details."),
             ("agent", "Your phone number?"), ("customer", "[PHONE]")]
    assert consent(make_interaction, turns) is PASS


def test_a_purpose_clause_in_an_earlier_exchange_does_not_count(make_interaction):
    # "up to two times faster" is no purpose, and a clause needs the request's own message.
    turns = [("agent", "Hi! Did you know our new plan is up to two times faster?"),
             ("customer", "No thanks."), ("agent", "What's your date of birth?"),
             ("customer", "[DATE_OF_BIRTH]")]
    assert consent(make_interaction, turns) is FAIL
