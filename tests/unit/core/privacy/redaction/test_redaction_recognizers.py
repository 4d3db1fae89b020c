"""Span tables per recognizer: what must be found, and what must not."""

import pytest

from trustdesk.core.privacy.redaction import detect_entities


def found(text: str, language: str = "en", known_names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [
        (text[e.start : e.end], e.label)
        for e in detect_entities(text, language=language, known_names=known_names)
    ]


def labels(text: str, language: str = "en") -> set[str]:
    return {label for _value, label in found(text, language)}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("my card is 4111 1111 1111 1111 thanks", "4111 1111 1111 1111"),
        ("card 4111-1111-1111-1111", "4111-1111-1111-1111"),
        ("mastercard 2223000048400011", "2223000048400011"),  # 2-series
        ("amex 378282246310005", "378282246310005"),
        ("visa 4222222222222", "4222222222222"),  # 13 digits
        ("card 6011000000000000001", "6011000000000000001"),  # 19 digits
        (
            "card four one one one one one one one one one one one one one one one ok",
            "four one one one one one one one one one one one one one one one",
        ),
    ],
)
def test_card_numbers_are_found(text: str, value: str) -> None:
    assert (value, "CARD") in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1112",  # Luhn failure
        "the event happened at 1591056777185000",  # 16-digit timestamp (ms epoch * 1000)
        "order number 4539 1488 0343 6467 has shipped",  # Luhn-valid but an order number
        "invoice 1234567812345670",
        "serial 8888888888888888",
    ],
)
def test_numbers_that_are_not_cards_are_not_cards(text: str) -> None:
    assert "CARD" not in labels(text)


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("card 4111 1111 1111 1111, the cvv is 123", "123", "CVV"),
        ("my visa security code is four five six", "four five six", "CVV"),
        ("card 4111111111111111 expires 09/27", "09/27", "CARD_EXPIRY"),
        ("card 4111111111111111 expiry oh nine two seven", "oh nine two seven", "CARD_EXPIRY"),
    ],
)
def test_card_codes_are_found_in_card_context(text: str, value: str, label: str) -> None:
    assert (value, label) in found(text)


@pytest.mark.parametrize("text", ["the code is 123", "see you on 09/27", "verification code is 123"])
def test_card_codes_need_card_context(text: str) -> None:
    assert not labels(text) & {"CVV", "CARD_EXPIRY"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("call me on (415) 555-0132", "(415) 555-0132"),
        ("my number is +44 20 7946 0958", "+44 20 7946 0958"),
        (
            "it's four one five five five five oh one three two",
            "four one five five five five oh one three two",
        ),
        ("mi teléfono es 612 345 678", "612 345 678"),
    ],
)
def test_phone_numbers_are_found(text: str, value: str) -> None:
    language = "es" if "teléfono" in text else "en"
    assert (value, "PHONE") in found(text, language)


@pytest.mark.parametrize(
    "text", ["born 2024-01-15", "it costs 1250 dollars", "at 10:30:45", "see 192.168.1.1"]
)
def test_dates_amounts_and_ips_are_not_phones(text: str) -> None:
    assert "PHONE" not in labels(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("write to john.smith@example.com please", "john.smith@example.com"),
        ("it's john dot smith at example dot com", "john dot smith at example dot com"),
        ("mail: ana+cx@correo.es.", "ana+cx@correo.es"),
    ],
)
def test_email_addresses_are_found(text: str, value: str) -> None:
    assert (value, "EMAIL") in found(text)


@pytest.mark.parametrize("text", ["meet me at home", "user@localhost", "look at the site dot"])
def test_non_addresses_are_not_emails(text: str) -> None:
    assert "EMAIL" not in labels(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("my ssn is 536-90-4399", "536-90-4399"),
        ("social security number 536904399", "536904399"),
        ("NI number AB 12 34 56 C", "AB 12 34 56 C"),
        ("aadhaar 2341 2341 2346", "2341 2341 2346"),
        ("PAN ABCPE1234F", "ABCPE1234F"),
        ("mi DNI es 12345678Z", "12345678Z"),
        ("meu CPF é 390.533.447-05", "390.533.447-05"),
    ],
)
def test_national_ids_are_found(text: str, value: str) -> None:
    language = "pt" if "CPF" in text else "es" if "DNI" in text else "en"
    assert (value, "NATIONAL_ID") in found(text, language)


@pytest.mark.parametrize(
    "text",
    [
        "ticket 943 476 5919",  # valid NHS checksum, but grouped digits without "NHS" are not an NHS number
        "ref 536904399",  # a valid-looking SSN without layout or cue
        "the ssn is 000-12-3456",  # area 000 is never issued
    ],
)
def test_grouped_digits_are_not_national_ids(text: str) -> None:
    assert "NATIONAL_ID" not in labels(text)


def test_nhs_number_counts_with_its_name() -> None:
    assert ("943 476 5919", "NATIONAL_ID") in found("my NHS number is 943 476 5919")


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("IBAN GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32", "IBAN"),
        ("iban de89370400440532013000", "de89370400440532013000", "IBAN"),
        ("server 10.0.0.12 is down", "10.0.0.12", "IP_ADDRESS"),
        ("from 2001:db8::8a2e:370:7334 today", "2001:db8::8a2e:370:7334", "IP_ADDRESS"),
        ("my bank account number is 12345678", "12345678", "BANK_ACCOUNT"),
        ("account number AC-00912345 please", "AC-00912345", "ACCOUNT_NUMBER"),
    ],
)
def test_banking_and_network_values_are_found(text: str, value: str, label: str) -> None:
    assert (value, label) in found(text)


@pytest.mark.parametrize(
    "text", ["GB82 WEST 1234 5698 7654 33", "version 1.2.3.4.5", "at 300.1.2.3", "10:30:00"]
)
def test_invalid_ibans_and_ips_are_ignored(text: str) -> None:
    assert not labels(text) & {"IBAN", "IP_ADDRESS"}


@pytest.mark.parametrize(
    ("text", "language", "value", "label"),
    [
        ("my date of birth is March 3, 1985", "en", "March 3, 1985", "DATE_OF_BIRTH"),
        ("DOB 03/04/1985", "en", "03/04/1985", "DATE_OF_BIRTH"),
        ("fecha de nacimiento 3 de marzo de 1985", "es", "3 de marzo de 1985", "DATE_OF_BIRTH"),
        ("geboren am 03.04.1985", "de", "03.04.1985", "DATE_OF_BIRTH"),
        (
            "I live at 742 Evergreen Terrace, Springfield",
            "en",
            "742 Evergreen Terrace, Springfield",
            "ADDRESS",
        ),
        ("send it to 12 Baker Street", "en", "12 Baker Street", "ADDRESS"),
        ("ich wohne in der Hauptstraße 5, 10115 Berlin", "de", "Hauptstraße 5, 10115 Berlin", "ADDRESS"),
        ("moro na Rua das Flores 123", "pt", "Rua das Flores 123", "ADDRESS"),
        ("I was diagnosed with diabetes", "en", "diabetes", "HEALTH"),
        ("estoy embarazada", "es", "embarazada", "HEALTH"),
        ("je suis sous insuline", "fr", "insuline", "HEALTH"),
    ],
)
def test_context_labels_are_found(text: str, language: str, value: str, label: str) -> None:
    assert (value, label) in found(text, language)


@pytest.mark.parametrize(
    "text", ["the meeting is on March 3, 2025", "we moved 3 times", "the statement is ready"]
)
def test_context_labels_need_their_cues(text: str) -> None:
    assert not labels(text) & {"DATE_OF_BIRTH", "ADDRESS", "HEALTH"}


@pytest.mark.parametrize(
    ("text", "known", "value"),
    [
        ("hi my name is patricia brown", (), "patricia brown"),
        ("Good morning, this is Maria Lopez speaking", (), "Maria Lopez"),
        ("Thank you Mr. Okafor", (), "Okafor"),
        ("me llamo Ana García", (), "Ana García"),
        ("yes it's patricia", ("Patricia Brown",), "patricia"),
        ("hi my name is elizabeth david", ("Elizabeth Davis",), "elizabeth david"),
        ("Thanks Katherine", ("Catherine Smith",), "Katherine"),
    ],
)
def test_person_names_are_found(text: str, known: tuple[str, ...], value: str) -> None:
    assert (value, "PERSON") in found(text, "es" if "llamo" in text else "en", known)


@pytest.mark.parametrize(
    "text",
    [
        "my name is 4111 1111",
        "this is 10:30 speaking",
        "my name is uh",
        "this is harper valley national bank",
        "I will call back",
    ],
)
def test_numbers_timestamps_and_common_words_are_never_names(text: str) -> None:
    assert "PERSON" not in {label for _v, label in found(text, known_names=("Will Brown",))}
