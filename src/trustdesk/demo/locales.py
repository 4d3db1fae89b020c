"""Fictitious people per country: names, phones, addresses and emails in each country's own format.

The lists live in ``locales.toml`` (package data), so the demo needs no test-only faker library.
"""
from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from random import Random

# Reserved for documentation (RFC 2606): an invented address can never reach a real mailbox.
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")


@dataclass(frozen=True)
class City:
    name: str
    region: str
    postal_pattern: str


@dataclass(frozen=True)
class Locale:
    country: str
    language: str
    second_language: str | None
    second_language_share: float
    money_format: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    cities: tuple[City, ...]
    address_format: str
    phone_patterns: tuple[str, ...]


@cache
def load_locales() -> dict[str, Locale]:
    """Every shipped locale by ISO country code, in file order."""
    raw = tomllib.loads(resources.files(__package__).joinpath("locales.toml").read_text(encoding="utf-8"))
    return {country: _parse_locale(country, entry) for country, entry in raw.items()}


def _parse_locale(country: str, entry: dict) -> Locale:
    cities = tuple(City(*line.split("|")) for line in entry["cities"])
    return Locale(
        country=country,
        language=entry["language"],
        second_language=entry.get("second_language"),
        second_language_share=float(entry.get("second_language_share", 0.0)),
        money_format=entry["money_format"],
        first_names=tuple(entry["first_names"]),
        last_names=tuple(entry["last_names"]),
        streets=tuple(entry["streets"]),
        cities=cities,
        address_format=entry["address_format"],
        phone_patterns=tuple(entry["phone_patterns"]),
    )


def fill_pattern(pattern: str, rng: Random) -> str:
    """Replace '#' by a digit, 'N' by a digit 2-9 and 'A' by an upper-case letter."""
    out = []
    for symbol in pattern:
        if symbol == "#":
            out.append(str(rng.randrange(10)))
        elif symbol == "N":
            out.append(str(rng.randrange(2, 10)))
        elif symbol == "A":
            out.append(chr(ord("A") + rng.randrange(26)))
        else:
            out.append(symbol)
    return "".join(out)


def pick_language(locale: Locale, rng: Random) -> str:
    """The language a person of this country speaks to customer service."""
    if locale.second_language and rng.random() < locale.second_language_share:
        return locale.second_language
    return locale.language


def make_phone(locale: Locale, rng: Random) -> str:
    """A phone number written the way people of ``locale`` write it, with the country code."""
    return fill_pattern(rng.choice(locale.phone_patterns), rng)


def make_address(locale: Locale, rng: Random) -> str:
    """A one-line postal address in the country's usual order."""
    city = rng.choice(locale.cities)
    return locale.address_format.format(
        number=rng.randint(1, 480),
        street=rng.choice(locale.streets),
        city=city.name,
        region=city.region,
        postal=fill_pattern(city.postal_pattern, rng),
    )


def fold_to_ascii(text: str) -> str:
    """Drop accents and keep letters only, as people do when they make an email address."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isascii() and char.isalpha()).lower()


def make_email(first_name: str, last_name: str, rng: Random) -> str:
    """An address at a reserved example domain built from the person's name."""
    first, last = fold_to_ascii(first_name), fold_to_ascii(last_name)
    style = rng.randrange(4)
    if style == 0:
        local = f"{first}.{last}"
    elif style == 1:
        local = f"{first[0]}.{last}"
    elif style == 2:
        local = f"{first}{last}{rng.randint(1, 99)}"
    else:
        local = f"{first}_{last}"
    return f"{local}@{rng.choice(EXAMPLE_DOMAINS)}"


def format_money(locale: Locale, amount: float) -> str:
    """An amount in the country's currency; comma decimals where the language writes them so."""
    text = f"{amount:.2f}"
    if locale.language in ("es", "pt", "fr") and locale.country not in ("MX",):
        text = text.replace(".", ",")
    return locale.money_format.format(amount=text)
