from datetime import date
from random import Random

import pytest

from trustdesk.demo.spoken import name_day, speak_date, speak_digits, speak_email, speak_phone, write_date


class AlwaysLow(Random):
    """A Random whose draws all come out 0.0, to pin the spoken variant under test."""

    def random(self) -> float:
        return 0.0


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        ("4101", "en", "four one oh one"),  # English callers say "oh" for zero
        ("41011", "en", "four one oh one, one"),
        ("AC901", "en", "A C nine oh one"),
        ("4101", "es", "cuatro uno cero uno"),
        ("4101", "pt", "quatro um zero um"),
        ("4101", "fr", "quatre un zéro un"),
        ("4101", "tl", "four one oh one"),  # code-switched speakers say numbers in English
    ],
)
def test_speak_digits(value: str, language: str, expected: str) -> None:
    assert speak_digits(value, language, AlwaysLow()) == expected


def test_speak_digits_groups_by_three_for_phones() -> None:
    assert speak_digits("+1 512", "es", AlwaysLow(), group=3) == "uno cinco uno, dos"


@pytest.mark.parametrize(
    ("email", "language", "expected"),
    [
        ("john.smith@example.com", "en", "john dot smith at example dot com"),
        ("juan.perez@example.org", "es", "juan punto perez arroba example punto org"),
        ("ana_silva@example.net", "pt", "ana underline silva arroba example ponto net"),
        ("marie@example.com", "fr", "marie arobase example point com"),
    ],
)
def test_speak_email(email: str, language: str, expected: str) -> None:
    assert speak_email(email, language) == expected


@pytest.mark.parametrize(
    ("day", "language", "expected"),
    [
        (date(1982, 3, 4), "en", "March fourth, nineteen eighty-two"),
        (date(2004, 1, 1), "en", "January first, two thousand four"),
        (date(1905, 5, 2), "en", "May second, nineteen oh five"),
        (date(1982, 3, 4), "es", "4 de marzo de 1982"),
        (date(1990, 6, 1), "fr", "le 1er juin 1990"),
    ],
)
def test_speak_date(day: date, language: str, expected: str) -> None:
    assert speak_date(day, language, AlwaysLow()) == expected


@pytest.mark.parametrize(
    ("country", "expected"),
    [("US", "03/04/1982"), ("ES", "04/03/1982"), ("FR", "04/03/1982")],
)
def test_write_date_follows_local_order(country: str, expected: str) -> None:
    class NoIso(Random):
        def random(self) -> float:
            return 0.9

    assert write_date(date(1982, 3, 4), country, NoIso()) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "November 3"), ("es", "3 de noviembre"), ("fr", "3 novembre")]
)
def test_name_day(language: str, expected: str) -> None:
    assert name_day(date(2026, 11, 3), language) == expected


@pytest.mark.parametrize(
    ("phone", "language", "expected"),
    [
        ("+1 206-632-4109", "en", "two oh six, six three two, four one oh nine"),  # country code left out
        ("+34 612 345 678", "es", "seis uno dos, tres cuatro cinco, seis siete ocho"),
        ("0612", "fr", "zéro six un deux"),
    ],
)
def test_speak_phone_follows_written_groups(phone: str, language: str, expected: str) -> None:
    assert speak_phone(phone, language, AlwaysLow()) == expected
