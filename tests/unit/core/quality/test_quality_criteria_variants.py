"""Each criterion on wording it was not written from: seven languages, voice transcripts with
disfluencies, chat with typos, redacted placeholders. A case names the outcome a QA analyst would give."""

from __future__ import annotations

import dataclasses

import pytest

from trustdesk.core.model import Entity
from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.transcript import build_transcript

PASS, FAIL, NA = Outcome.PASS, Outcome.FAIL, Outcome.NOT_APPLICABLE


def outcome(make_interaction, criterion: str, turns, **kwargs) -> Outcome:
    return CRITERIA[criterion].assess(build_transcript(make_interaction(turns, **kwargs))).outcome


# --- empathy: distress (emotion, complaint or the company's failure) needs an acknowledgement --------

# (customer's problem, an acknowledging reply, a reply that ignores how the customer feels)
DISTRESS = [
    # The company's failure with no emotion word still calls for acknowledgement (voice, with disfluencies).
    ("uh yeah so um the parcel never arrived, it was due on Monday",
     "Oh no, that sounds really annoying. Let's fix it.", "Okay. What is the order number?"),
    ("i was charged twice for the same order!!", "Sorry for the trouble, checking now.", "Which order?"),
    ("i was charged twice for the same order!!", "I understand how frustrating that is, let me look.",
     # "Sorry, what was that?" asks to repeat; it acknowledges nothing.
     "Sorry, what was the order number?"),
    ("Llevo tres días sin internet y nadie me da una solución.", "Entiendo su molestia, vamos a revisarlo.",
     "Deme el número de cliente."),
    ("Je ne reçois plus mes factures par mail, c'est pénible.", "Désolé pour ce désagrément, je regarde.",
     "Quel est votre numéro client ?"),
    ("Mein Paket ist beschädigt angekommen.", "Oh, das tut mir leid. Schicken Sie mir bitte ein Foto.",
     "Schicken Sie mir ein Foto."),
    ("Fui cobrado duas vezes pelo mesmo pedido.", "Poxa, sinto muito pelo transtorno. Vamos resolver.",
     "Qual é o número do pedido?"),
    ("Bhai mera refund abhi tak nahi aaya, bahut gussa aa raha hai", "Maaf kijiye sir, main abhi check karta hoon.",
     "Order id bataiye."),
    ("Hindi pa rin dumadating yung order ko, nakakainis na.", "Pasensya na po sa abala, titingnan ko po agad.",
     "Ano po ang order number?"),
]
NEUTRAL = [
    # A fault told calmly is owed a fix, not an acknowledgement (hold-out v2 labelling guide).
    ("uh yeah so um the app just keeps crashing every time I open it", "Okay. What phone do you have?"),
    ("Meu cartão foi bloqueado e não consigo pagar.", "Qual é o número do cartão?"),
    ("Hi, could you tell me your opening hours on Sunday?", "Sure, we open at ten."),
    ("Quería saber el horario de la tienda, por favor.", "Abrimos de nueve a seis."),
    ("Bonjour, je voudrais changer mon adresse de livraison.", "Bien sûr, laquelle ?"),
]
EMPATHY_CASES = [
    *((customer, warm, PASS) for customer, warm, _ in DISTRESS),
    *((customer, cold, FAIL) for customer, _, cold in DISTRESS),
    *((customer, reply, NA) for customer, reply in NEUTRAL),
]


@pytest.mark.parametrize(("customer", "agent", "expected"), EMPATHY_CASES)
def test_empathy_across_languages_and_channels(make_interaction, customer, agent, expected):
    turns = [("agent", "Hello"), ("customer", customer), ("agent", agent), ("customer", "ok"), ("agent", "Bye")]
    assert outcome(make_interaction, "empathy", turns) is expected


def test_empathy_ignores_a_complaint_after_the_agents_last_word(make_interaction):
    turns = [("agent", "Hi, how can I help?"), ("customer", "What time do you close?"),
             ("agent", "At six. Bye!"), ("customer", "ugh this is useless")]
    assert outcome(make_interaction, "empathy", turns) is NA


def test_thanking_for_patience_is_not_acknowledging_frustration(make_interaction):
    turns = [("agent", "Hi"), ("customer", "This is ridiculous, my order is lost."),
             ("agent", "Thank you for your patience and understanding."), ("customer", "...")]
    assert outcome(make_interaction, "empathy", turns) is FAIL


# The reply to the feeling must not cheer it ("Great!" to a bereavement), and must acknowledge it within the
# agent's next two replies; "sorry" said later, while refusing something else, answers something else.
CHEER_CASES = [
    ("My husband passed away last month and I need to close his account.",
     "Great! Before we close it, have you seen our new family plan?", FAIL),
    ("My husband passed away last month and I need to close his account.",
     "I'm so sorry for your loss. I'll take care of it.", PASS),
    ("Mein Vater ist verstorben, ich möchte seinen Vertrag kündigen.",
     "Prima! Kennen Sie schon unser Angebot?", FAIL),
    ("Mi madre falleció y quiero dar de baja su línea.", "¡Perfecto! ¿Conoce nuestra oferta de fibra?", FAIL),
    ("Ma mère est décédée, je voudrais résilier sa ligne.",
     "Super ! Avant cela, connaissez-vous notre offre ?", FAIL),
    ("tracking hasn't updated since Monday 😩", "Oh no, sorry about that! Let me check.", PASS),
    ("tracking hasn't updated since Monday 😩", "Order number?", FAIL),
]


@pytest.mark.parametrize(("customer", "agent", "expected"), CHEER_CASES)
def test_empathy_is_not_cheer_and_emoji_voice_feelings(make_interaction, customer, agent, expected):
    turns = [("agent", "Hello"), ("customer", customer), ("agent", agent), ("customer", "ok"),
             ("agent", "Bye")]
    assert outcome(make_interaction, "empathy", turns) is expected


def test_a_later_understanding_does_not_undo_cheer(make_interaction):
    turns = [("agent", "Cancellations, this call is recorded."),
             ("customer", "I need to cancel my father's line, he died three weeks ago."),
             ("agent", "Very good! Did you know our fibre bundle is only 29 a month?"),
             ("customer", "No, I just want to cancel."),
             ("agent", "I understand. Did you know our fibre bundle is only 29 a month?"),
             ("customer", "Please."), ("agent", "The line is cancelled effective today.")]
    assert outcome(make_interaction, "empathy", turns) is FAIL


@pytest.mark.parametrize(("replies_before", "expected"), [(0, PASS), (1, PASS), (2, FAIL)])
def test_empathy_is_due_in_the_next_two_replies(make_interaction, replies_before, expected):
    turns = [("agent", "Hi"), ("customer", "I'm so frustrated, I took the day off for this delivery.")]
    for number in range(replies_before):
        turns += [("agent", "Order number please?"), ("customer", f"It's 3091{number}.")]
    turns += [("agent", "I understand your frustration, I'm sorry."), ("customer", "ok"), ("agent", "Bye")]
    assert outcome(make_interaction, "empathy", turns) is expected


# --- resolution: resolved, or a next step with an owner and a time ---------------------------------

RESOLUTION_CASES = [
    ("I've gone ahead and reversed the late fee, so your balance is zero now.", "Great, thanks!", PASS),
    ("I waived the delivery charge on this order.", "Thank you.", PASS),
    ("Our billing team will email you within 48 hours with the corrected invoice.", "ok", PASS),
    ("I will call you back tomorrow by 5pm with an update.", "Okay.", PASS),
    ("Someone will look into it.", "Okay...", FAIL),
    ("We'll get back to you soon.", "Fine.", FAIL),
    ("I haven't processed the refund yet, it needs approval.", "Hmm.", FAIL),
    ("Ya le reembolsamos el cobro duplicado.", "Gracias.", PASS),
    ("Le he cambiado la dirección de entrega.", "Perfecto.", PASS),
    ("Alguien lo revisará en algún momento.", "Vale...", FAIL),
    ("Je vous ai renvoyé le colis en express.", "Merci.", PASS),
    ("Un technicien vous rappellera demain avant midi.", "D'accord.", PASS),
    ("Wir haben Ihnen den Betrag gestern gutgeschrieben.", "Danke.", PASS),
    ("Ich rufe Sie am Freitag um 10 Uhr zurück.", "Gut.", PASS),
    ("Já cancelei a cobrança em duplicidade.", "Valeu!", PASS),
    ("Vamos ver isso depois.", "Tá.", FAIL),
    ("Maine aapka order cancel kar diya hai.", "Theek hai.", PASS),
    ("Hum aapko kal shaam 5 baje tak call karenge.", "Accha.", PASS),
    ("Na-reset ko na po ang password ninyo.", "Salamat po!", PASS),
    ("Titingnan na lang po namin.", "Sige.", FAIL),
]


@pytest.mark.parametrize(("agent", "customer", "expected"), RESOLUTION_CASES)
def test_resolution_across_languages(make_interaction, agent, customer, expected):
    turns = [("agent", "Hello"), ("customer", "I have a problem with my account"), ("agent", agent),
             ("customer", customer)]
    assert outcome(make_interaction, "resolution", turns) is expected


@pytest.mark.parametrize(
    ("last_customer", "expected"),
    [("yes!! it works now, thank u", PASS), ("it's still not working though", FAIL), ("ainda não funcionou", FAIL)],
)
def test_resolution_follows_the_customers_last_word(make_interaction, last_customer, expected):
    turns = [("agent", "Hi"), ("customer", "My router won't connect."),
             ("agent", "Try unplugging it for ten seconds."), ("customer", last_customer)]
    assert outcome(make_interaction, "resolution", turns) is expected


# Done as the agent speaks, in the present tense: the cancellation, the refund or the change is made.
PRESENT_TENSE_FIXES = [
    "Your broadband is cancelled effective the thirtieth, confirmation number CN8812.",
    "Le reembolso hoy los cuarenta euros a la tarjeta.",
    "La baja queda tramitada con fecha de hoy.",
    "Je vous rembourse les quarante euros sur la prochaine facture.",
    "La ligne est résiliée à la date d'aujourd'hui, plus aucun prélèvement.",
    "Der Vertrag ist zum Monatsende gekündigt, die Bestätigung kommt per Post.",
    "O contrato fica cancelado no fim do mês, referência C441.",
    "Connection month end pe band ho jayega, reference C441.",
    "Napalitan na po ang address ninyo simula sa 1st.",
]


@pytest.mark.parametrize("agent", PRESENT_TENSE_FIXES)
def test_a_fix_in_the_present_tense_resolves(make_interaction, agent):
    turns = [("agent", "Hello"), ("customer", "I want to cancel, please."), ("agent", agent),
             ("customer", "Okay.")]
    assert outcome(make_interaction, "resolution", turns) is PASS


# (the agent's answer, the customer's reply, outcome): an answer the customer takes resolves their question;
# progress without an outcome, a promise without a date, or a customer giving up does not.
ANSWER_CASES = [
    ("Your plan includes unlimited calls to the UK and Ireland at no extra cost.", "Perfect, thanks.", PASS),
    ("Your request has been registered and will be reviewed by our team.", "ok thanks", FAIL),
    ("Our team will contact you about the refund for the broken screen.", "Okay, thanks.", FAIL),
    ("Your plan includes unlimited calls to the UK and Ireland at no extra cost.", "Fine, whatever.", FAIL),
    ("Su tarifa incluye llamadas ilimitadas a Portugal y Francia sin coste.", "Vale, gracias.", PASS),
    ("Lo estamos revisando y le avisaremos cuando tengamos novedades.", "Vale, gracias.", FAIL),
    ("Votre forfait comprend les appels illimités vers la Belgique et la Suisse.", "D'accord, merci.", PASS),
    ("Votre demande a bien été prise en compte et sera traitée rapidement.", "D'accord, merci.", FAIL),
    ("Ihr Tarif enthält unbegrenzte Anrufe nach Österreich und in die Schweiz.", "Alles klar, danke.", PASS),
    ("Ihr Anliegen wurde aufgenommen und wird bearbeitet.", "Na gut, dann warte ich halt.", FAIL),
    ("O seu plano inclui chamadas ilimitadas para Espanha e França sem custo.", "Ah, que bom, obrigada.",
     PASS),
    ("Sua solicitação foi registrada e será analisada pela equipe.", "Tá bom, obrigado.", FAIL),
    ("Aapke plan mein UK aur Canada ki unlimited calls bina extra charge ke hain.", "Achha, theek hai.",
     PASS),
    ("Aapki request process ho rahi hai, team dekh rahi hai.", "Theek hai.", FAIL),
    ("Kasama po sa plan ninyo ang unlimited calls sa Hong Kong at Singapore nang walang dagdag.",
     "Ah sige po, salamat.", PASS),
    ("Pinoproseso na po ang request ninyo ng team namin.", "Sige po.", FAIL),
]


@pytest.mark.parametrize(("agent", "customer", "expected"), ANSWER_CASES)
def test_resolution_by_an_answer_the_customer_accepts(make_interaction, agent, customer, expected):
    turns = [("agent", "Hello"), ("customer", "Quick question about my plan."), ("agent", agent),
             ("customer", customer), ("agent", "Thank you for contacting us, have a nice day!")]
    assert outcome(make_interaction, "resolution", turns) is expected


def test_giving_data_is_not_accepting_an_answer(make_interaction):
    turns = [("agent", "Hello"), ("customer", "Where is my order?"),
             ("agent", "I completely understand how annoying the wait must be for you."),
             ("customer", "Sure, it's [EMAIL].")]
    assert outcome(make_interaction, "resolution", turns) is FAIL


# --- consent_before_collection: purpose or consent before or with the request ----------------------

CONSENT_CASES = [
    ("To send you the receipt, what's the best email?", "[EMAIL]", PASS),
    ("Can I get your date of birth so I can confirm it's you?", "Sure, [DATE_OF_BIRTH]", PASS),
    ("um what's your uh date of birth", "[DATE_OF_BIRTH]", FAIL),
    ("I'd like you to give me your phone number.", "[PHONE]", FAIL),
    ("I'm sorry to hear that. What's your email?", "[EMAIL]", FAIL),
    # The kind of data is never named; the answer shows what was asked for.
    ("And how can we reach you?", "[PHONE]", FAIL),
    ("So our courier can reach you, how can we contact you?", "[PHONE]", PASS),
    ("Para enviarle la factura, ¿me confirma su correo?", "[EMAIL]", PASS),
    ("Para continuar, envíeme su DNI.", "[NATIONAL_ID]", FAIL),
    ("¿Cuál es su fecha de nacimiento?", "[DATE_OF_BIRTH]", FAIL),
    ("Afin de sécuriser votre compte, pouvez-vous me donner votre date de naissance ?", "[DATE_OF_BIRTH]", PASS),
    ("Votre adresse e-mail ?", "[EMAIL]", FAIL),
    ("Um Ihr Konto zu finden, nennen Sie mir bitte Ihre Kundennummer.", "[ACCOUNT_NUMBER]", PASS),
    ("Wie lautet Ihr Geburtsdatum?", "[DATE_OF_BIRTH]", FAIL),
    ("Pra localizar seu pedido, me passa o CPF?", "[NATIONAL_ID]", PASS),
    ("Me passa seu e-mail.", "[EMAIL]", FAIL),
    ("Aapka account dhundhne ke liye mobile number bataiye.", "[PHONE]", PASS),
    ("Mobile number bataiye.", "[PHONE]", FAIL),
    ("Para ma-verify po kayo, pakibigay po ng birthday ninyo.", "[DATE_OF_BIRTH]", PASS),
    ("Pakibigay po ng email.", "[EMAIL]", FAIL),
]


@pytest.mark.parametrize(("request_turn", "answer", "expected"), CONSENT_CASES)
def test_consent_before_collection_across_languages(make_interaction, request_turn, answer, expected):
    turns = [("agent", "Hello, thanks for calling."), ("customer", "I need help with my order."),
             ("agent", request_turn), ("customer", answer), ("agent", "Thanks.")]
    assert outcome(make_interaction, "consent_before_collection", turns) is expected


def test_a_greeting_question_answered_with_a_story_is_no_data_request(make_interaction):
    turns = [("agent", "Hi, how can I help?"),
             ("customer", "My order [ACCOUNT_NUMBER] is late and I am getting worried about it"),
             ("agent", "Let me check that for you.")]
    assert outcome(make_interaction, "consent_before_collection", turns) is NA


def test_reading_data_back_is_not_asking_for_it(make_interaction):
    turns = [("agent", "Hi"), ("customer", "Card is [CARD]"), ("agent", "So the card number is [CARD], right?")]
    assert outcome(make_interaction, "purpose_overreach", turns, purpose="order_status") is PASS


# --- greeting, closing, recording notice, outsourcing disclosure ----------------------------------


@pytest.mark.parametrize(
    ("first_agent_turn", "expected"),
    [
        ("Morning! Acme support, Sam speaking.", PASS),
        ("hiya, thx for getting in touch", PASS),
        ("Buenas, le atiende Carla de Acme.", PASS),
        ("Allô, bonjour, service client Acme.", PASS),
        ("Schönen guten Tag, Sie sprechen mit Acme.", PASS),
        ("Oi, tudo bem? Aqui é a Lia da Acme.", PASS),
        ("Namaskar, main Rohit bol raha hoon.", PASS),
        ("Magandang araw po, si Joy po ito ng Acme.", PASS),
        ("Order number.", FAIL),
        ("Yeah?", FAIL),
    ],
)
def test_greeting_variants(make_interaction, first_agent_turn, expected):
    turns = [("agent", first_agent_turn), ("customer", "hello")]
    assert outcome(make_interaction, "greeting", turns) is expected


@pytest.mark.parametrize(
    ("last_agent_turn", "expected"),
    [
        ("My pleasure, enjoy the rest of your evening.", PASS),
        ("Con mucho gusto, que esté muy bien.", PASS),
        ("Je vous en prie, excellente journée.", PASS),
        ("Gern geschehen, schönen Abend noch!", PASS),
        ("Por nada! Fico à disposição.", PASS),
        ("Aur kuch madad chahiye? Shukriya.", PASS),
        ("Walang anuman po, ingat!", PASS),
        ("Done.", FAIL),
    ],
)
def test_closing_variants(make_interaction, last_agent_turn, expected):
    turns = [("agent", "Hello"), ("customer", "thanks for the help"), ("agent", last_agent_turn)]
    assert outcome(make_interaction, "closing", turns) is expected


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("Hi, Acme here. Heads up, we keep recordings of our calls for coaching.", PASS),
        ("Hola, le informo que esta llamada se graba.", PASS),
        ("Bonjour, nous enregistrons nos appels pour la qualité.", PASS),
        ("Guten Tag, wir zeichnen das Gespräch zu Schulungszwecken auf.", PASS),
        ("Olá, a ligação está sendo gravada.", PASS),
        ("Namaste, yeh call record ki ja rahi hai.", PASS),
        ("Hello po, ang tawag na ito ay nire-record.", PASS),
        ("Hi, I can update your records for you.", FAIL),
    ],
)
def test_recording_disclosure_variants(make_interaction, opening, expected):
    turns = [("agent", opening), ("customer", "ok")]
    assert outcome(make_interaction, "recording_disclosure", turns) is expected


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("wait where r u guys based??", "I'm with a partner company in Manila that handles Acme support.", PASS),
        ("¿Usted está en Colombia?", "Sí, le atiendo desde Bogotá para una empresa aliada de Acme.", PASS),
        ("Vous travaillez pour Acme directement ?", "Je travaille pour un prestataire de Acme, basé à Rabat.", PASS),
        ("Sitzen Sie in Deutschland?", "Das darf ich Ihnen nicht sagen.", FAIL),
        ("Você trabalha na Acme mesmo?", "Sou de uma empresa parceira, falo de Recife.", PASS),
        ("Aap kahan se baat kar rahe ho?", "Yeh confidential hai.", FAIL),
        ("Saan po kayo nakabase?", "Nasa Cebu po kami, partner po kami ng Acme.", PASS),
    ],
)
def test_outsourcing_disclosure_variants(make_interaction, question, answer, expected):
    turns = [("agent", "Hello"), ("customer", question), ("agent", answer)]
    assert outcome(make_interaction, "outsourcing_disclosure", turns, vendor="some-bpo") is expected


# --- customer_repeat -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("customer_turn", "expected"),
    [
        ("I literally gave u my order number 5 min ago", FAIL),
        ("Ya les mandé todo eso ayer.", FAIL),
        ("Je vous l'ai déjà envoyé par mail.", FAIL),
        ("Das habe ich Ihnen doch schon gegeben!", FAIL),
        ("Já te passei isso agora há pouco.", FAIL),
        ("Maine abhi bataya tha na.", FAIL),
        ("Sinabi ko na po kanina.", FAIL),
        ("Sure, here it is.", PASS),
    ],
)
def test_customer_repeat_variants(make_interaction, customer_turn, expected):
    turns = [("agent", "Hello"), ("customer", "hi"), ("agent", "Your order number?"), ("customer", customer_turn)]
    assert outcome(make_interaction, "customer_repeat", turns) is expected


@pytest.mark.parametrize(
    "customer_turn",
    [
        "As I wrote in my first email: order 5512, charged twice on 2 July.",
        "Como les dije en el primer correo: pedido 5512.",
        "Wie in meiner ersten Mail geschrieben: Bestellung 5512.",
        "Dreihundert Euro, das hab ich doch gerade gesagt.",
        "Quatrocentos reais, eu acabei de falar.",
        "Pehle mail mein likha tha: order 5512.",
        "A C five five two zero, kasasabi ko lang po.",
    ],
)
def test_customer_repeat_when_the_customer_points_to_what_they_said(make_interaction, customer_turn):
    turns = [("agent", "Hello"), ("customer", "I was charged twice."), ("agent", "Which order?"),
             ("customer", customer_turn)]
    assert outcome(make_interaction, "customer_repeat", turns) is FAIL


@pytest.mark.parametrize(
    ("bot_collected", "expected"), [("Account: [ACCOUNT_NUMBER].", FAIL), ("Issue: billing.", PASS)]
)
def test_data_the_bot_collected_before_the_hand_off_was_given(make_interaction, bot_collected, expected):
    turns = [("system", f"Virtual assistant: collected before the transfer. {bot_collected}"),
             ("customer", "finally a human"), ("agent", "Hi, I'm Dan. Account number?"),
             ("customer", "[ACCOUNT_NUMBER]")]
    assert outcome(make_interaction, "customer_repeat", turns) is expected


# --- sensitive_readback, purpose_overreach: placeholders and entity labels -------------------------


@pytest.mark.parametrize(
    ("agent_turn", "expected"),
    [
        ("Perfecto, entonces la tarjeta es [CARD], ¿correcto?", FAIL),
        ("Alors le cryptogramme c'est [CVV] ?", FAIL),
        ("Accha, aapka aadhaar [NATIONAL_ID] hai na?", FAIL),
        ("Thanks, I only need the last four digits, which I can already see.", PASS),
        ("Obrigado, não preciso do número completo do cartão.", PASS),
    ],
)
def test_sensitive_readback_variants(make_interaction, agent_turn, expected):
    turns = [("agent", "Hello"), ("customer", "my card is [CARD] and code [CVV]"), ("agent", agent_turn)]
    assert outcome(make_interaction, "sensitive_readback", turns) is expected


@pytest.mark.parametrize(
    ("request_turn", "answer", "purpose", "expected"),
    [
        ("To track the parcel, what's your order number?", "[ACCOUNT_NUMBER]", "order_status", PASS),
        ("Para rastrear el pedido, ¿me da su número de DNI?", "[NATIONAL_ID]", "order_status", FAIL),
        ("Pour le suivi, votre numéro de sécurité sociale ?", "[NATIONAL_ID]", "delivery", FAIL),
        ("Zur Prüfung brauche ich Ihr Geburtsdatum.", "[DATE_OF_BIRTH]", "account_access", PASS),
        ("Pakibigay po ng SSS number para ma-check ang order.", "[NATIONAL_ID]", "order_status", FAIL),
        ("Okay.", "thanks", "order_status", PASS),
    ],
)
def test_purpose_overreach_variants(make_interaction, request_turn, answer, purpose, expected):
    turns = [("agent", "Hello"), ("customer", "About my order"), ("agent", request_turn), ("customer", answer)]
    assert outcome(make_interaction, "purpose_overreach", turns, purpose=purpose) is expected


@pytest.mark.parametrize(("label", "expected"), [("PHONE", PASS), ("NATIONAL_ID", FAIL)])
def test_an_unnamed_request_is_known_by_the_entity_label_of_the_answer(make_interaction, label, expected):
    # Ingest keeps entity labels beside the redacted text; the answer's label tells what was asked for.
    interaction = make_interaction(
        [("agent", "Hi"), ("customer", "about my parcel"), ("agent", "And what can you give me to look you up?"),
         ("customer", "sure its 2231 8890 1")],
        purpose="order_status",
    )
    entities = ((), (), (), (Entity(9, 20, label),))
    view = build_transcript(dataclasses.replace(interaction, entities=entities))
    assert CRITERIA["purpose_overreach"].assess(view).outcome is expected


# --- over_scripted and language_match --------------------------------------------------------------

CANNED_ES = "Agradecemos su comprensión, su caso fue registrado y estamos trabajando en ello."


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            [("agent", "Hola"), ("customer", "¿Cuándo llega mi pedido?"), ("agent", CANNED_ES),
             ("customer", "Pero ¿cuándo llega?"), ("agent", CANNED_ES)],
            FAIL,
        ),
        (
            [("agent", "Hello"), ("customer", "When does my order arrive?"),
             ("agent", "Your order left the warehouse this morning and is due on Thursday."),
             ("customer", "Can I change the address?"),
             ("agent", "Yes, the address can still be changed until it reaches the local depot.")],
            PASS,
        ),
        ([("agent", "Hello"), ("customer", "Hi"), ("agent", "How can I help?")], NA),
    ],
)
def test_over_scripted_variants(make_interaction, turns, expected):
    assert outcome(make_interaction, "over_scripted", turns) is expected


@pytest.mark.parametrize(
    ("customer", "agent", "expected"),
    [
        ("Bonjour, ma commande n'est toujours pas arrivée depuis lundi.",
         "Hello, I can see your order left our warehouse on Monday.", FAIL),
        ("Bonjour, ma commande n'est toujours pas arrivée depuis lundi.",
         "Bonjour, je vois que votre commande a quitté l'entrepôt lundi.", PASS),
        ("Hi po, hindi pa po dumadating yung order ko hanggang ngayon.",
         "Hi, I can see your order is with the courier and arrives tomorrow.", PASS),
        ("ok", "ok", NA),
    ],
)
def test_language_match_variants(make_interaction, customer, agent, expected):
    turns = [("customer", customer), ("agent", agent)]
    assert outcome(make_interaction, "language_match", turns) is expected
