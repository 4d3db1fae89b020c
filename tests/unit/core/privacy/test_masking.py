"""Masked forms of customer fields."""
from __future__ import annotations

import pytest

from trustdesk.core.privacy.masking import mask_value


@pytest.mark.parametrize(
    ("field", "value", "masked"),
    [
        ("email", "jane.doe@example.com", "j***@example.com"),
        ("email", "@example.com", "***"),
        ("email", "no-at-sign", "***"),
        ("phone", "+1 (415) 555-0134", "***0134"),
        ("phone", "555-0134", "***"),  # too short: last four would reveal half of it
        ("account_number", "4111 1111 1111 1111", "***1111"),
        ("account_number", "1234", "***"),
        ("name", "Jane Q. Doe", "J. Q. D."),
        ("name", "   ", "***"),
        ("address", "1 Main St, Springfield, IL", "***, IL"),
        ("address", "1 Main St", "***"),
        ("date_of_birth", "1984-05-17", "1984-**-**"),
        ("date_of_birth", "17/05/1984", "***"),
        ("country", "US", "***"),
    ],
)
def test_mask_value(field: str, value: str, masked: str) -> None:
    assert mask_value(field, value) == masked
