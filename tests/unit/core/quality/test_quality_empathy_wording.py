"""Empathy on wording written for these tests, in no evaluation set: feelings, complaints and losses told in
each pack's language, acknowledgements in several registers, and the near misses that are neither."""

from __future__ import annotations

import pytest

from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.transcript import build_transcript

PASS, FAIL, NA = Outcome.PASS, Outcome.FAIL, Outcome.NOT_APPLICABLE

ANGRY_CUSTOMER = {
    "en": "I'm furious, the parcel never arrived.",
    "es": "Estoy furiosa, el pedido nunca llegó.",
    "fr": "Je suis furieux, le colis n'est jamais arrivé.",
    "de": "Ich bin wütend, das Paket ist nie angekommen.",
    "pt": "Estou revoltada, o pedido nunca chegou.",
    "hi-Latn": "Mujhe bahut gussa aa gaya, parcel abhi tak nahi aaya.",
    "tl": "Galit na galit po ako, hindi dumating ang parcel ko.",
}


def empathy(make_interaction, customer: str, reply: str) -> Outcome:
    turns = [("agent", "Hello, Acme here."), ("customer", customer), ("agent", reply), ("customer", "ok")]
    return CRITERIA["empathy"].assess(build_transcript(make_interaction(turns))).outcome


@pytest.mark.parametrize(
    "customer",
    [
        "Honestly I'm appalled, the engineer was meant to come this morning.",
        "I'm at the end of my tether with this broadband.",
        "I lost my husband last month and need to move the account into my name.",
        "How many more times do I have to explain this?",
        "I've been passed around five departments today.",
        "It's embarrassing, my card got declined at the till in front of everyone.",
        "This is doing my head in, the bill doubled overnight.",
        "Im concerned someone got into my account",
        "my parcel never came :(",
        "still no signal since the update :'(",
        "Just what I needed, the app logged me out before my payment went through.",
        "My flight is tomorrow and the booking confirmation never arrived.",
        "Bohot gussa aa raha hai, teen din se net nahi hai.",
        "Nakaka-badtrip na po, hindi pa rin gumagana.",
        "Ubos na pasensya ko sa inyo.",
        "Me preocupa mucho que alguien haya entrado en mi cuenta.",
        "Ya estoy hasta las narices, cada mes lo mismo.",
        "Esto es una estafa, me están cobrando algo que no pedí.",
        "Je suis vraiment mécontent de votre service.",
        "Mon père est mort la semaine dernière, je dois résilier son contrat.",
        "Je suis à bout de nerfs avec cette facture.",
        "Ich habe es satt, ständig hingehalten zu werden.",
        "Mein verstorbener Mann hatte den Vertrag, was muss ich tun?",
        "Ich bin total gestresst wegen dieser Sache.",
        "Tô de saco cheio dessa operadora, sério.",
        "Isso é uma falta de respeito com o cliente.",
        "Estou muito estressado com essa cobrança.",
        "Yeh kya mazaak hai, paise kat gaye aur order cancel.",
        "Mere papa nahi rahe, unka account band karna hai.",
        "Pak gaya hoon main aapki service se.",
        "Ang tagal naman po, ilang araw na akong naghihintay.",
        "Walang kwenta po ang serbisyo niyo.",
        "Hay naku, hindi na naman gumagana ang app.",
    ],
)
def test_feelings_and_losses_in_new_words_need_an_acknowledgement(make_interaction, customer):
    assert empathy(make_interaction, customer, "Account number?") is FAIL


@pytest.mark.parametrize(
    "customer",
    [
        "I'm home all day tomorrow if the engineer can come.",
        "Could you tell me how many times I can reschedule the delivery?",
        "Can you check order 5521 (the blue one)?",
        "Thanks :) could you also send the invoice?",
        "Hi, how can you help me with my bill?",
        "¿Cuántas veces puedo cambiar la fecha de entrega?",
        "Le colis doit être livré demain, c'est bien ça ?",
        "Was kostet der Tarif im Ausland?",
        "Pode enviar outra vez o código?",
        "Kab tak delivery ho jayegi?",
        "Ilang oras po ang delivery sa Cebu?",
    ],
)
def test_requests_that_share_words_with_complaints_voice_no_feeling(make_interaction, customer):
    assert empathy(make_interaction, customer, "Account number?") is NA


@pytest.mark.parametrize(
    ("language", "reply"),
    [
        ("en", "That's awful, I'll sort it out right away."),
        ("en", "This shouldn't have happened, let me make it right."),
        ("en", "You're absolutely right to chase this, let me look."),
        ("en", "I completely sympathise, let me check the tracking."),
        ("en", "thats not ok at all, checking now"),
        ("es", "Perdona las molestias, lo reviso ahora mismo."),
        ("es", "Me pongo en su lugar, vamos a solucionarlo."),
        ("es", "No debería haber pasado, lo reviso de inmediato."),
        ("fr", "C'est regrettable, je m'en occupe tout de suite."),
        ("fr", "Pardonnez-nous, je vérifie le suivi."),
        ("fr", "Vous avez entièrement raison d'être mécontent, je regarde."),
        ("de", "Das tut uns aufrichtig leid, ich prüfe das sofort."),
        ("de", "Verzeihen Sie bitte, ich prüfe das sofort."),
        ("de", "Das hätte nicht passieren dürfen, ich kümmere mich darum."),
        ("pt", "Peço perdão pelo transtorno, vou verificar."),
        ("pt", "Isso não deveria ter acontecido, vou verificar."),
        ("pt", "Nossa, que situação, vou verificar agora."),
        ("hi-Latn", "Humari galti hai, main abhi theek karta hoon."),
        ("hi-Latn", "Aapka gussa jaayaz hai, main dekhta hoon."),
        ("hi-Latn", "Maaf kijiyega, main abhi check karti hoon."),
        ("hi-Latn", "Main samaj sakti hun, abhi check karti hun."),
        ("tl", "Ikinalulungkot po namin ang nangyari, titingnan ko po."),
        ("tl", "Hindi po dapat nangyari iyon, titingnan ko agad."),
        ("tl", "Gets ko po, nakakainis talaga yan. Titingnan ko."),
    ],
)
def test_acknowledgements_in_many_registers_pass(make_interaction, language, reply):
    assert empathy(make_interaction, ANGRY_CUSTOMER[language], reply) is PASS


@pytest.mark.parametrize(
    ("language", "reply"),
    [
        # Words that look like an acknowledgement but state a rule, a guess or "our" something.
        ("en", "It must be signed by the account holder. Account number?"),
        ("pt", "Nossa equipe vai verificar, qual o número do pedido?"),
        ("pt", "O pedido deve estar em trânsito, qual o número?"),
        ("de", "Schade, dass Sie kündigen wollen! Darf ich Ihnen ein Angebot machen?"),
        ("es", "Le enviamos otro en su lugar. ¿Número de pedido?"),
    ],
)
def test_look_alikes_of_an_acknowledgement_fail(make_interaction, language, reply):
    assert empathy(make_interaction, ANGRY_CUSTOMER[language], reply) is FAIL
