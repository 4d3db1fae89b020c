"""Suggested duplicate customer records: keyed blind indexes of identifiers plus fuzzy name similarity.

Personal fields are stored encrypted, so identifiers are compared through a blind index: the HMAC-SHA256 of
the normalized value under a key only the server holds. Equal digests mean equal normalized values, and a
stolen table of digests cannot be reversed by trying every phone number without the key. Names are compared
in the clear by the caller that may decrypt them, and only their similarity leaves this module. A pair is a
suggestion, never a merge: a person confirms it.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers
from rapidfuzz import fuzz, utils

BLIND_INDEX_CONTEXT = b"trustdesk/customer-blind-index/v1"


class MatchKind(str, enum.Enum):
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class MatchCandidate:
    """One customer record's blind-index digests (None when the field is absent) and its name, if known."""

    customer: str
    digests: tuple[tuple[MatchKind, str], ...]
    name: str | None = None


@dataclass(frozen=True)
class DuplicatePair:
    """Two records that look like one person, ``first`` < ``second``, with the evidence in ``reason``."""

    first: str
    second: str
    matched: tuple[MatchKind, ...]
    name_similarity: float | None
    reason: str


@dataclass(frozen=True)
class DuplicateRules:
    """Two shared identifiers suffice; one shared identifier also needs names at least this similar (0-1).

    A household or a company switchboard shares a phone number, so one identifier alone is not enough.
    """

    min_name_similarity: float = 0.85


def derive_blind_index_key(master_key: bytes) -> bytes:
    """The HMAC key of the blind index, derived from the master key so no second secret must be kept."""
    return hmac.new(master_key, BLIND_INDEX_CONTEXT, hashlib.sha256).digest()


def normalize_email(value: str) -> str | None:
    """Trimmed and lower-cased; None unless it has one ``@`` with text on both sides."""
    text = value.strip().lower()
    local, separator, domain = text.partition("@")
    if not separator or not local or not domain or "@" in domain:
        return None
    return text


def normalize_phone(value: str, *, region: str | None) -> str | None:
    """E.164 (``+14155550134``); a number without a country code is read in ``region``. None if not a number."""
    try:
        parsed = phonenumbers.parse(value, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def blind_index(key: bytes, kind: MatchKind, normalized: str) -> str:
    """Hex HMAC-SHA256 of ``kind:normalized``; the kind keeps an email from matching an equal phone text."""
    return hmac.new(key, f"{kind.value}:{normalized}".encode(), hashlib.sha256).hexdigest()


def identifier_digests(
    key: bytes, *, email: str | None, phone: str | None, region: str | None
) -> tuple[tuple[MatchKind, str], ...]:
    """Blind-index digests of the identifiers present and well formed."""
    digests = []
    normalized_email = normalize_email(email) if email else None
    if normalized_email is not None:
        digests.append((MatchKind.EMAIL, blind_index(key, MatchKind.EMAIL, normalized_email)))
    normalized_phone = normalize_phone(phone, region=region) if phone else None
    if normalized_phone is not None:
        digests.append((MatchKind.PHONE, blind_index(key, MatchKind.PHONE, normalized_phone)))
    return tuple(digests)


def name_similarity(first: str, second: str) -> float:
    """0-1 similarity of two names, ignoring case, punctuation and word order ("Whitfield, Dana")."""
    return fuzz.token_sort_ratio(first, second, processor=utils.default_process) / 100


def candidate_pairs(candidates: Iterable[MatchCandidate]) -> dict[tuple[str, str], tuple[MatchKind, ...]]:
    """Every pair of records sharing at least one digest, with the kinds they share (in MatchKind order)."""
    by_digest: dict[tuple[MatchKind, str], list[str]] = defaultdict(list)
    for candidate in candidates:
        for kind_digest in candidate.digests:
            by_digest[kind_digest].append(candidate.customer)
    shared: dict[tuple[str, str], set[MatchKind]] = defaultdict(set)
    for (kind, _digest), customers in by_digest.items():
        unique = sorted(set(customers))
        for index, first in enumerate(unique):
            for second in unique[index + 1:]:
                shared[(first, second)].add(kind)
    order = list(MatchKind)
    return {pair: tuple(sorted(kinds, key=order.index)) for pair, kinds in shared.items()}


def suggest_duplicates(
    candidates: Sequence[MatchCandidate], *, rules: DuplicateRules = DuplicateRules()
) -> tuple[DuplicatePair, ...]:
    """Pairs that look like one person, strongest evidence first (more identifiers, then closer names)."""
    names = {candidate.customer: candidate.name for candidate in candidates}
    suggestions = []
    for (first, second), matched in candidate_pairs(candidates).items():
        first_name, second_name = names.get(first), names.get(second)
        similarity = (
            name_similarity(first_name, second_name) if first_name and second_name else None
        )
        names_agree = similarity is not None and similarity >= rules.min_name_similarity
        if len(matched) < 2 and not names_agree:
            continue
        suggestions.append(DuplicatePair(first, second, matched, similarity, _reason(matched, similarity)))
    return tuple(
        sorted(
            suggestions,
            key=lambda pair: (-len(pair.matched), -(pair.name_similarity or 0.0), pair.first, pair.second),
        )
    )


def _reason(matched: Sequence[MatchKind], similarity: float | None) -> str:
    shared = " and ".join(kind.value for kind in matched)
    names = "names not both known" if similarity is None else f"names {similarity:.0%} similar"
    return f"same {shared}; {names}"
