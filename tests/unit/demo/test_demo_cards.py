from datetime import date
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustdesk.demo.cards import group_card_number, is_luhn_valid, luhn_check_digit, make_card


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111111111111111", True),
        ("4111 1111 1111 1111", True),
        ("378282246310005", True),  # Amex test number
        ("5555555555554444", True),
        ("4111111111111112", False),
        ("378282246310006", False),
        ("1234", False),  # too short to be a card
        ("", False),
    ],
)
def test_is_luhn_valid(number: str, valid: bool) -> None:
    assert is_luhn_valid(number) is valid


def test_luhn_check_digit_completes_known_number() -> None:
    assert luhn_check_digit("411111111111111") == "1"
    assert luhn_check_digit("37828224631000") == "5"


@given(st.integers(min_value=0, max_value=2**32))
def test_every_made_card_passes_luhn_and_expires_after_the_period(seed: int) -> None:
    card = make_card(Random(seed), valid_after=date(2026, 11, 20))
    assert is_luhn_valid(card.number)
    assert len(card.number) in (15, 16)
    assert len(card.cvv) == (4 if len(card.number) == 15 else 3)
    month, year = card.expiry.split("/")
    assert 1 <= int(month) <= 12 and int(year) > 26


@pytest.mark.parametrize(
    ("number", "grouped"),
    [("4111111111111111", "4111 1111 1111 1111"), ("378282246310005", "3782 822463 10005")],
)
def test_group_card_number_uses_printed_groups(number: str, grouped: str) -> None:
    assert group_card_number(number) == grouped
