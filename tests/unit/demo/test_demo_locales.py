from random import Random

import phonenumbers
import pytest

from trustdesk.demo.locales import EXAMPLE_DOMAINS, fill_pattern, fold_to_ascii, load_locales, make_email, make_phone

COUNTRIES = sorted(load_locales())


@pytest.mark.parametrize("country", COUNTRIES)
def test_phones_are_valid_numbers_of_their_country(country: str) -> None:
    locale = load_locales()[country]
    rng = Random(country)
    for _ in range(40):
        phone = make_phone(locale, rng)
        parsed = phonenumbers.parse(phone, None)
        assert phonenumbers.region_code_for_number(parsed) == country, phone
        assert phonenumbers.is_valid_number(parsed), phone


@pytest.mark.parametrize(
    ("pattern", "allowed"),
    [("#", "0123456789"), ("N", "23456789"), ("A", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), ("-", "-")],
)
def test_fill_pattern_symbols(pattern: str, allowed: str) -> None:
    rng = Random(1)
    assert {fill_pattern(pattern, rng) for _ in range(300)} <= set(allowed)


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Fernández", "fernandez"), ("Léa", "lea"), ("Dela Cruz", "delacruz"), ("João", "joao"), ("Smith", "smith")],
)
def test_fold_to_ascii(text: str, folded: str) -> None:
    assert fold_to_ascii(text) == folded


def test_emails_use_reserved_example_domains_only() -> None:
    rng = Random(3)
    emails = [make_email("José", "Hernández", rng) for _ in range(100)]
    assert all(email.split("@")[1] in EXAMPLE_DOMAINS for email in emails)
    assert all(email.isascii() for email in emails)
