"""What counts as asking for personal data, which data a purpose may ask for, and whether an answer to
"where are you?" is true: cases in the seven pack languages, worded afresh for these tests."""

from __future__ import annotations

import pytest

from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.places import named_places, vendor_country_code
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.transcript import build_transcript

PASS, FAIL, NA = Outcome.PASS, Outcome.FAIL, Outcome.NOT_APPLICABLE
HELLO = ("agent", "Good evening, Acme, this is Dana.")


def outcome(make_interaction, criterion: str, turns, **kwargs) -> Outcome:
    return CRITERIA[criterion].assess(build_transcript(make_interaction(turns, **kwargs))).outcome


# --- an order, tracking or booking number is not personal data ---------------------------------------


@pytest.mark.parametrize(
    "request_line",
    [
        "Can you read me the tracking number from the shipping notice?",
        "¿Me pasas el número de seguimiento del envío?",
        "Pouvez-vous me donner le numéro de suivi du colis ?",
        "Nennen Sie mir bitte die Sendungsnummer?",
        "Me passa o código de rastreio?",
        "Booking id bata dijiye?",
        "Pakibigay po ang booking number?",
    ],
)
def test_asking_for_a_purchase_reference_collects_no_personal_data(make_interaction, request_line):
    turns = [HELLO, ("customer", "My parcel is late."), ("agent", request_line), ("customer", "It's 55120.")]
    assert outcome(make_interaction, "consent_before_collection", turns) is NA
    assert outcome(make_interaction, "purpose_overreach", turns, purpose="delivery") is PASS


@pytest.mark.parametrize(
    ("request_line", "expected"),
    [
        ("What are the last four digits of the card you paid with?", FAIL),
        ("To find the payment, what are the last 4 digits of the card?", PASS),
        ("Para ubicar el cargo, ¿me dice los últimos cuatro dígitos de la tarjeta?", PASS),
        ("Nennen Sie mir die letzten vier Ziffern der Karte?", FAIL),
    ],
)
def test_last_four_digits_are_personal_data_but_not_the_card_number(make_interaction, request_line, expected):
    turns = [HELLO, ("customer", "There's a charge I don't know."), ("agent", request_line)]
    assert outcome(make_interaction, "consent_before_collection", turns, purpose="billing") is expected
    # Not the full card: billing may ask for it.
    assert outcome(make_interaction, "purpose_overreach", turns, purpose="billing") is PASS


def test_a_data_word_outside_the_asking_sentence_is_not_a_request(make_interaction):
    turns = [
        HELLO,
        ("customer", "I need the parcel by Friday, it's a birthday present."),
        ("agent", "Oh, a birthday present for your son, how lovely. What name is the order under?"),
        ("customer", "Sam Lee."),
    ]
    assert outcome(make_interaction, "purpose_overreach", turns, purpose="order_status") is PASS


def test_a_direct_message_request_is_a_request(make_interaction):
    turns = [
        ("customer", "@Acme has my parcel left yet?"),
        ("agent", "Hi! DM us your date of birth and the order number."),
        ("customer", "done"),
    ]
    assert outcome(make_interaction, "consent_before_collection", turns, channel="social") is FAIL
    assert outcome(make_interaction, "purpose_overreach", turns, channel="social") is FAIL


def test_a_reference_to_the_email_channel_is_not_a_request_for_an_address(make_interaction):
    turns = [
        ("customer", "Hello, is my refund processed?"),
        ("agent", "Hello, yes: it went out today. If anything is unclear, just answer this email."),
    ]
    assert outcome(make_interaction, "consent_before_collection", turns, channel="email") is NA


@pytest.mark.parametrize(
    "request_line",
    [
        "So we ship it to the right door, could you confirm the postcode?",
        "Pra gente achar a compra, me passa o e-mail do cadastro?",
        "Pra eu conferir o pagamento, qual é o seu e-mail?",
    ],
)
def test_short_purpose_clauses_state_a_purpose(make_interaction, request_line):
    turns = [HELLO, ("customer", "Hi."), ("agent", request_line)]
    assert outcome(make_interaction, "consent_before_collection", turns) is PASS


# --- purposes without a policy of their own ------------------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "request_line", "expected"),
    [
        ("cancellation", "Which IBAN should the final bill come from?", FAIL),
        ("cancellation", "Votre numéro de sécurité sociale ?", FAIL),
        ("cancellation", "What's the account number on the contract?", PASS),
        ("address_change", "Could you confirm the new address, including the flat number?", PASS),
        ("address_change", "Aadhaar number bhejiye, phir address update hoga.", FAIL),
        # Never seen before: held to the baseline policy rather than skipped.
        ("warranty_claim", "Geben Sie mir bitte Ihre Steuer-ID?", FAIL),
        ("warranty_claim", "What's the best phone number to reach you?", PASS),
    ],
)
def test_every_purpose_is_judged(make_interaction, purpose, request_line, expected):
    turns = [HELLO, ("customer", "Hi."), ("agent", request_line)]
    assert outcome(make_interaction, "purpose_overreach", turns, purpose=purpose) is expected


def test_no_request_at_all_passes_purpose_overreach(make_interaction):
    turns = [HELLO, ("customer", "When do you open?"), ("agent", "At nine.")]
    assert outcome(make_interaction, "purpose_overreach", turns, purpose="cancellation") is PASS


# --- outsourcing: questions asked in any wording, answers checked against the vendor's country ---------


@pytest.mark.parametrize(
    "question",
    [
        "btw where r u guys sitting?",
        "Oye, ¿y ustedes dónde están?",
        "Sagt mal, wo seid ihr denn?",
        "E vocês atendem de onde?",
        "Aap log kahan baithte ho?",
        "Nasaan po ba kayo ngayon?",
        "Where is your support team?",
    ],
)
def test_location_questions_are_recognised_by_their_shape(make_interaction, question):
    turns = [HELLO, ("customer", question), ("agent", "Our team works from Manila, in the Philippines.")]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor="manila-bpo") is PASS


def test_where_without_the_addressee_is_not_a_location_question(make_interaction):
    turns = [HELLO, ("customer", "Where is my parcel now?"), ("agent", "At the depot.")]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor="manila-bpo") is NA


@pytest.mark.parametrize(
    ("answer", "vendor", "expected"),
    [
        ("I'm in Cebu.", "manila-bpo", PASS),  # another city, same country: true
        ("I work out of Denver.", "manila-bpo", FAIL),
        ("Estoy en Barcelona.", "bogota-bpo", FAIL),
        ("Estoy en Medellín, con el equipo que atiende a Acme.", "bogota-bpo", PASS),
        ("Je suis à Paris.", "casablanca-bpo", FAIL),
        ("Wir sitzen in Hamburg.", "krakow-bpo", FAIL),
        ("A gente atende de São Paulo.", "recife-bpo", PASS),
        # A vendor key that names no place: the truth cannot be checked, the disclosure phrase decides.
        ("We are a partner company in Lisbon.", "northwind", PASS),
    ],
)
def test_a_named_place_must_match_the_vendors_country(make_interaction, answer, vendor, expected):
    turns = [HELLO, ("customer", "Where are you based?"), ("agent", answer)]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor=vendor) is expected


@pytest.mark.parametrize(
    "dodge",
    [
        "Every one of our agents is trained to the same standards as head office.",
        "Todos nuestros agentes siguen nuestros estándares.",
        "Je fais partie de l'équipe Acme, tout simplement.",
        "Das ist Firmenpolitik, dazu kann ich nichts sagen.",
    ],
)
def test_dodges_do_not_answer_where(make_interaction, dodge):
    turns = [HELLO, ("customer", "Where are you located?"), ("agent", dodge)]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor="manila-bpo") is FAIL


@pytest.mark.parametrize(
    ("answer", "vendor", "registered", "expected"),
    [
        # The registry knows where a vendor whose key names no place works.
        ("I'm with our partner team in Manila.", "northwind", ("PH",), PASS),
        ("I'm in Denver.", "northwind", ("PH",), FAIL),
        # The registry outranks a place in the key: this vendor has moved its work to India.
        ("We're based in Manila.", "manila-bpo", ("IN",), FAIL),
        ("We're based in Pune.", "manila-bpo", ("IN",), PASS),
        # A vendor working from several countries: any of them is true.
        ("I'm in Cebu.", "northwind", ("IN", "PH"), PASS),
        ("Estoy en Pune, India.", "northwind", ("IN", "PH"), PASS),
        ("Estoy en Madrid.", "northwind", ("IN", "PH"), FAIL),
    ],
)
def test_a_named_place_must_be_in_a_country_the_vendor_registry_lists(
    make_interaction, answer, vendor, registered, expected
):
    turns = [HELLO, ("customer", "Where are you based?"), ("agent", answer)]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor=vendor,
                   vendor_countries=registered) is expected


def test_where_opening_a_sentence_asks_without_a_question_mark(make_interaction):
    turns = [HELLO, ("customer", "app won't load. also where is your support team, it's 3am here lol"),
             ("agent", "Our support is run by a partner team in Manila, Philippines.")]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor="manila-bpo") is PASS
    turns[1] = ("customer", "nobody at the depot knows where your team sent my parcel")
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor="manila-bpo") is NA


def test_vendor_country_comes_from_a_place_in_the_vendor_key():
    assert vendor_country_code("davao-bpo") == "PH"
    assert vendor_country_code("sao-paulo-contact") == "BR"
    assert vendor_country_code("in-house") is None
    assert [place.country for place in named_places("not seattle but manila")] == ["US", "PH"]
