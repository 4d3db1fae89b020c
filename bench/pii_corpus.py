"""Seeded, labeled corpus of contact-center messages for the redaction benchmark (``bench/pii_eval.py``).

Call-center templates over voice (lower case, digits and emails spoken), chat and email, in six Faker
locales; every gold span is recorded while the text is assembled, so offsets are exact. Negatives ride
along: order numbers, timestamps, amounts and times that must not be redacted.

    .venv/bin/python bench/pii_corpus.py --size 5 --seed 7     # prints samples as JSONL
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime

from faker import Faker

LOCALES = {"en": ("en_US", "en_GB"), "es": ("es_ES",), "fr": ("fr_FR",), "de": ("de_DE",), "pt": ("pt_BR",)}
SPOKEN_DIGITS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
    "de": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"],
    "pt": ["zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"],
}
SPOKEN_AT_DOT = {
    "en": ("at", "dot"),
    "es": ("arroba", "punto"),
    "fr": ("arobase", "point"),
    "de": ("at", "punkt"),
    "pt": ("arroba", "ponto"),
}
# Written independently of the detector's vocabulary files; some terms are deliberately absent there.
HEALTH_TERMS = {
    "en": [
        "diabetes",
        "asthma",
        "depression",
        "a heart attack",
        "chemotherapy",
        "high blood pressure",
        "insulin",
        "a knee replacement",
        "epilepsy",
        "anxiety",
        "pregnancy",
        "dialysis",
        "a stroke",
        "shingles",
        "gout",
        "sciatica",
    ],
    "es": ["diabetes", "asma", "depresión", "cáncer", "quimioterapia", "insulina", "embarazo", "gripe"],
    "fr": ["diabète", "asthme", "dépression", "cancer", "chimiothérapie", "insuline", "grossesse", "zona"],
    "de": [
        "Diabetes",
        "Asthma",
        "Depressionen",
        "Krebs",
        "Chemotherapie",
        "Insulin",
        "Schwangerschaft",
        "Gürtelrose",
    ],
    "pt": ["diabetes", "asma", "depressão", "câncer", "quimioterapia", "insulina", "gravidez", "gripe"],
}

# {LABEL} slots are personal data; {ORDER}, {STAMP}, {AMOUNT}, {TIME} are negatives.
TEMPLATES = {
    "en": [
        "Hi, my name is {PERSON} and I'm calling about order {ORDER}.",
        "Thanks {PERSON}, can I take the card number please? It's {CARD}, expiry {CARD_EXPIRY}, and the CVV is {CVV}.",
        "You can reach me at {PHONE} or email {EMAIL} after {TIME}.",
        "My date of birth is {DATE_OF_BIRTH} and my account number is {ACCOUNT_NUMBER}.",
        "Please send the replacement to {ADDRESS}. The refund was {AMOUNT}.",
        "I was diagnosed with {HEALTH} last year so I need to pause the plan.",
        "For the transfer my IBAN is {IBAN}, ticket logged at {STAMP}.",
        "My social security number is {NATIONAL_ID}.",
        "Our router shows {IP_ADDRESS} when the outage starts at {TIME}.",
        "The bank account number is {BANK_ACCOUNT} for the direct debit.",
        "Good morning, this is {PERSON} speaking, how can I help?",
        "Order {ORDER} was charged {AMOUNT} on {STAMP}, can you check?",
    ],
    "es": [
        "Hola, me llamo {PERSON} y llamo por el pedido {ORDER}.",
        "Mi tarjeta es {CARD}, vence {CARD_EXPIRY} y el código de seguridad es {CVV}.",
        "Mi teléfono es {PHONE} y mi correo {EMAIL}.",
        "Mi fecha de nacimiento es {DATE_OF_BIRTH} y mi número de cliente es {ACCOUNT_NUMBER}.",
        "Mi dirección es {ADDRESS}, gracias.",
        "Tengo {HEALTH} y necesito cancelar la cita.",
        "Mi IBAN es {IBAN}.",
        "Mi DNI es {NATIONAL_ID}.",
    ],
    "fr": [
        "Bonjour, je m'appelle {PERSON}, j'appelle pour la commande {ORDER}.",
        "Ma carte est {CARD}, expiration {CARD_EXPIRY}, cryptogramme {CVV}.",
        "Mon numéro est le {PHONE} et mon e-mail {EMAIL}.",
        "Ma date de naissance est le {DATE_OF_BIRTH}, numéro client {ACCOUNT_NUMBER}.",
        "Mon adresse est {ADDRESS}.",
        "Je suis sous traitement pour {HEALTH}.",
        "Mon IBAN est {IBAN}.",
        "Mon numéro de sécurité sociale est {NATIONAL_ID}.",
    ],
    "de": [
        "Guten Tag, mein Name ist {PERSON}, es geht um die Bestellung {ORDER}.",
        "Meine Kreditkarte ist {CARD}, gültig bis {CARD_EXPIRY}, Prüfnummer {CVV}.",
        "Meine Telefonnummer ist {PHONE} und meine E-Mail {EMAIL}.",
        "Mein Geburtsdatum ist der {DATE_OF_BIRTH}, Kundennummer {ACCOUNT_NUMBER}.",
        "Meine Adresse ist {ADDRESS}.",
        "Ich habe {HEALTH} und kann nicht kommen.",
        "Meine IBAN lautet {IBAN}.",
    ],
    "pt": [
        "Olá, meu nome é {PERSON} e estou ligando sobre o pedido {ORDER}.",
        "Meu cartão é {CARD}, validade {CARD_EXPIRY}, código de segurança {CVV}.",
        "Meu telefone é {PHONE} e meu e-mail {EMAIL}.",
        "Minha data de nascimento é {DATE_OF_BIRTH}, número de cliente {ACCOUNT_NUMBER}.",
        "Meu endereço é {ADDRESS}.",
        "Estou em tratamento de {HEALTH}.",
        "Meu CPF é {NATIONAL_ID}.",
    ],
}
_SLOT = re.compile(r"\{([A-Z_]+)\}")
STAMP_END = datetime(2026, 1, 1)
_SPOKEN_LABELS = frozenset({"CARD", "CVV", "PHONE", "ACCOUNT_NUMBER", "BANK_ACCOUNT", "NATIONAL_ID"})


@dataclass
class Sample:
    id: str
    text: str
    language: str
    channel: str
    known_names: tuple[str, ...]
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def generate_corpus(size: int, *, seed: int = 7) -> list[Sample]:
    """``size`` samples; the same seed gives the same corpus."""
    rng = random.Random(seed)
    fakers = {locale: Faker(locale) for locales in LOCALES.values() for locale in locales}
    for offset, fake in enumerate(fakers.values()):
        fake.seed_instance(seed + offset)
    # Faker's es_ES nif() draws from the module-level generator, which seed_instance does not reach.
    random.seed(seed)
    languages = list(LOCALES)
    samples = []
    for number in range(size):
        language = rng.choices(languages, weights=(4, 1, 1, 1, 1))[0]
        fake = fakers[rng.choice(LOCALES[language])]
        channel = rng.choice(("voice", "chat", "email"))
        samples.append(_build_sample(f"s{number:05d}", language, channel, fake, rng))
    return samples


def _build_sample(sample_id: str, language: str, channel: str, fake: Faker, rng: random.Random) -> Sample:
    count = 1 if channel != "email" else rng.randint(2, 3)
    templates = rng.sample(TEMPLATES[language], k=min(count, len(TEMPLATES[language])))
    person = fake.name()
    sample = Sample(sample_id, "", language, channel, (person,) if rng.random() < 0.5 else ())
    pieces: list[str] = []
    position = 0
    for template in templates:
        cursor = 0
        for match in _SLOT.finditer(template):
            literal = (
                _voice_literal(template[cursor : match.start()])
                if channel == "voice"
                else template[cursor : match.start()]
            )
            pieces.append(literal)
            position += len(literal)
            label = match.group(1)
            value = _value_for(label, language, fake, rng, person)
            if channel == "voice":
                value = _speak(value, label, language, rng)
            pieces.append(value)
            if label.isupper() and label not in {"ORDER", "STAMP", "AMOUNT", "TIME"}:
                sample.spans.append((position, position + len(value), label))
            position += len(value)
            cursor = match.end()
        tail = template[cursor:]
        tail = _voice_literal(tail) if channel == "voice" else tail
        tail += "\n" if channel == "email" else " "
        pieces.append(tail)
        position += len(tail)
    sample.text = "".join(pieces).rstrip()
    return sample


def _value_for(label: str, language: str, fake: Faker, rng: random.Random, person: str) -> str:
    if label == "PERSON":
        return person if rng.random() < 0.7 else person.split()[0]
    if label == "EMAIL":
        return fake.email()
    if label == "PHONE":
        return fake.phone_number()
    if label == "CARD":
        digits = fake.credit_card_number(
            card_type=rng.choice(["visa16", "visa13", "visa19", "mastercard", "amex", "discover", "jcb16"])
        )
        return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4)) if rng.random() < 0.5 else digits
    if label == "CVV":
        return fake.credit_card_security_code()
    if label == "CARD_EXPIRY":
        return fake.credit_card_expire()
    if label == "NATIONAL_ID":
        return _national_id(language, fake)
    if label == "IBAN":
        value = fake.iban()
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if rng.random() < 0.5 else value
    if label == "IP_ADDRESS":
        return fake.ipv4() if rng.random() < 0.8 else fake.ipv6()
    if label == "ADDRESS":
        return fake.street_address() + (", " + fake.city() if rng.random() < 0.5 else "")
    if label == "DATE_OF_BIRTH":
        born = fake.date_of_birth(minimum_age=18, maximum_age=90)
        return born.strftime(
            rng.choice(["%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d"] + (["%B %d, %Y"] if language == "en" else []))
        )
    if label == "ACCOUNT_NUMBER":
        return fake.bothify(rng.choice(["########", "AC-#######", "##########"]))
    if label == "BANK_ACCOUNT":
        return fake.bothify(rng.choice(["########", "#########", "############"]))
    if label == "HEALTH":
        return rng.choice(HEALTH_TERMS[language])
    if label == "ORDER":
        return fake.bothify(rng.choice(["################", "#########", "A-######"]))
    if label == "STAMP":
        # A fixed end date (here and for times): Faker's default ends "now", so the corpus changed run to run.
        return str(int(fake.unix_time(end_datetime=STAMP_END) * 1000))
    if label == "AMOUNT":
        return f"${rng.randint(5, 2000)}.{rng.randint(0, 99):02d}"
    return fake.time(pattern="%H:%M", end_datetime=STAMP_END)


def _national_id(language: str, fake: Faker) -> str:
    if language == "es":
        return fake.nif()
    if language == "pt":
        return fake.cpf()
    if fake.locales == ["en_GB"]:
        # Faker's en_GB "ssn" uses prefixes HMRC never issues (ZZ); build one in the issued letter ranges.
        first, second = (
            fake.random_element("ABCEGHJKLMNOPRSTWXYZ"),
            fake.random_element("ABCEGHJKLMNPRSTWXYZ"),
        )
        return fake.bothify(f"{first}{second} ## ## ## ") + fake.random_element("ABCD")
    return fake.ssn()


def _voice_literal(text: str) -> str:
    """Speech-to-text output: lower case, no punctuation."""
    return re.sub(r"[,.?!]", "", text.lower())


def _speak(value: str, label: str, language: str, rng: random.Random) -> str:
    """How an agent or customer says ``value``: digits as words ("oh", "double"), emails with at/dot."""
    if label == "EMAIL":
        at, dot = SPOKEN_AT_DOT[language]
        local, domain = value.split("@")
        return f" {dot} ".join(local.split(".")) + f" {at} " + f" {dot} ".join(domain.split("."))
    if label not in _SPOKEN_LABELS or rng.random() < 0.3:
        return value.lower() if label == "PERSON" else value
    digits = [char for char in value if char.isdigit()]
    words: list[str] = []
    index = 0
    while index < len(digits):
        digit = digits[index]
        if language == "en" and index + 1 < len(digits) and digits[index + 1] == digit and rng.random() < 0.3:
            words.append("double " + SPOKEN_DIGITS["en"][int(digit)])
            index += 2
            continue
        words.append(
            "oh"
            if digit == "0" and language == "en" and rng.random() < 0.5
            else SPOKEN_DIGITS[language][int(digit)]
        )
        index += 1
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for sample in generate_corpus(args.size, seed=args.seed):
        print(json.dumps(sample.__dict__, ensure_ascii=False))


if __name__ == "__main__":
    main()
