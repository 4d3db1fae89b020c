"""Masked forms of customer fields: enough to recognise the customer on a call, not to reuse the data."""
from __future__ import annotations

import re

_MASK = "***"
# Show the last four only when at least this many significant characters stay hidden, so short values
# (an extension, a four-digit account) are never shown in full under the name of masking.
_MIN_HIDDEN_FOR_LAST_FOUR = 4
_ISO_DATE = re.compile(r"^(\d{4})-\d{2}-\d{2}$")


def mask_email(value: str) -> str:
    """``jane.doe@example.com`` -> ``j***@example.com``; keeps the domain, hides the mailbox."""
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return _MASK
    return f"{local[0]}{_MASK}@{domain}"


def mask_last_four(value: str) -> str:
    """``+1 415 555 0134`` -> ``***0134``: the last four letters or digits, when enough stays hidden."""
    significant = [character for character in value if character.isalnum()]
    if len(significant) < 4 + _MIN_HIDDEN_FOR_LAST_FOUR:
        return _MASK
    return _MASK + "".join(significant[-4:])


def mask_name(value: str) -> str:
    """``Jane Q. Doe`` -> ``J. Q. D.``: initials only."""
    initials = [f"{part[0]}." for part in value.replace(".", " ").split() if part]
    return " ".join(initials) if initials else _MASK


def mask_address(value: str) -> str:
    """``1 Main St, Springfield`` -> ``***, Springfield``: the last comma-separated part (town or region)."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if len(parts) < 2:
        return _MASK
    return f"{_MASK}, {parts[-1]}"


def mask_date_of_birth(value: str) -> str:
    """``1984-05-17`` -> ``1984-**-**``: the year only, and only from an ISO date."""
    match = _ISO_DATE.match(value.strip())
    return f"{match.group(1)}-**-**" if match else _MASK


_MASKERS = {
    "name": mask_name,
    "email": mask_email,
    "phone": mask_last_four,
    "address": mask_address,
    "date_of_birth": mask_date_of_birth,
    "account_number": mask_last_four,
}


def mask_value(field: str, value: str) -> str:
    """The masked form of ``value`` for customer field ``field``; fields without a rule mask fully."""
    masker = _MASKERS.get(field)
    return masker(value) if masker else _MASK
