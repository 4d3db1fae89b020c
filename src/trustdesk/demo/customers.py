"""The demo's customers: fictitious people with every personal field an interaction may carry."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from trustdesk.demo.cards import PaymentCard, make_card
from trustdesk.demo.locales import Locale, load_locales, make_address, make_email, make_phone, pick_language


@dataclass(frozen=True)
class Customer:
    external_id: str
    brand: str
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    date_of_birth: date
    account_number: str
    country: str
    language: str
    card: PaymentCard

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def to_contract(self) -> dict[str, str]:
        """The ``customer`` object of an interaction (CONTRACTS.md section 1)."""
        return {
            "external_id": self.external_id,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "address": self.address,
            "date_of_birth": self.date_of_birth.isoformat(),
            "account_number": self.account_number,
            "country": self.country,
        }


@dataclass(frozen=True)
class CustomerMarket:
    """Where a brand's customers live: country codes with their share of the customer base."""

    brand: str
    share_of_customers: float
    countries: tuple[str, ...]
    weights: tuple[float, ...]
    account_prefix: str


def make_account_number(prefix: str, rng: Random) -> str:
    """A brand account number: the brand's prefix, then digits up to ten characters."""
    return prefix + "".join(str(rng.randrange(10)) for _ in range(10 - len(prefix)))


def make_customer(index: int, market: CustomerMarket, locale: Locale, rng: Random, *, end: date) -> Customer:
    """One customer of ``market`` living in ``locale``, aged 18 to 85 at ``end``."""
    first_name = rng.choice(locale.first_names)
    last_name = rng.choice(locale.last_names)
    oldest = date(end.year - 85, 1, 1)
    age_span_days = (date(end.year - 18, 1, 1) - oldest).days
    return Customer(
        external_id=f"cust-{index:05d}",
        brand=market.brand,
        first_name=first_name,
        last_name=last_name,
        email=make_email(first_name, last_name, rng),
        phone=make_phone(locale, rng),
        address=make_address(locale, rng),
        date_of_birth=oldest + timedelta(days=rng.randrange(age_span_days)),
        account_number=make_account_number(market.account_prefix, rng),
        country=locale.country,
        language=pick_language(locale, rng),
        card=make_card(rng, valid_after=end),
    )


def build_customers(markets: tuple[CustomerMarket, ...], count: int, rng: Random, *, end: date) -> tuple[Customer, ...]:
    """``count`` customers spread over the brands' markets by their shares."""
    locales = load_locales()
    brand_weights = [market.share_of_customers for market in markets]
    customers = []
    for index in range(1, count + 1):
        market = rng.choices(markets, weights=brand_weights)[0]
        country = rng.choices(market.countries, weights=market.weights)[0]
        customers.append(make_customer(index, market, locales[country], rng, end=end))
    return tuple(customers)
