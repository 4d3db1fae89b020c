"""Payment cards for the demo: numbers that pass the Luhn check, as real card numbers do."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from random import Random

# Issuer prefixes and lengths of the three networks customers mention most (Visa, Mastercard, Amex).
_NETWORKS = (("4", 16, 3), ("51", 16, 3), ("53", 16, 3), ("55", 16, 3), ("34", 15, 4), ("37", 15, 4))


@dataclass(frozen=True)
class PaymentCard:
    number: str
    expiry: str  # MM/YY as printed on the card
    cvv: str


def luhn_check_digit(partial: str) -> str:
    """The digit that makes ``partial`` + digit pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(partial)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def is_luhn_valid(number: str) -> bool:
    """True when the digits of ``number`` pass the Luhn checksum."""
    digits = "".join(char for char in number if char.isdigit())
    return len(digits) >= 12 and luhn_check_digit(digits[:-1]) == digits[-1]


def make_card(rng: Random, *, valid_after: date) -> PaymentCard:
    """A Luhn-valid card that expires within five years after ``valid_after``."""
    prefix, length, cvv_length = rng.choice(_NETWORKS)
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    expiry_year = valid_after.year + rng.randint(1, 5)
    expiry = f"{rng.randint(1, 12):02d}/{expiry_year % 100:02d}"
    cvv = "".join(str(rng.randrange(10)) for _ in range(cvv_length))
    return PaymentCard(number=body + luhn_check_digit(body), expiry=expiry, cvv=cvv)


def group_card_number(number: str) -> str:
    """The card number in the groups printed on the card (4-6-5 for 15 digits, 4-4-4-4 for 16)."""
    if len(number) == 15:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    return " ".join(number[index : index + 4] for index in range(0, len(number), 4))
