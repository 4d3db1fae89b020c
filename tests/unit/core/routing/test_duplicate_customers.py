from __future__ import annotations

import pytest

from trustdesk.core.routing.duplicates import (
    DuplicateRules,
    MatchCandidate,
    MatchKind,
    blind_index,
    derive_blind_index_key,
    identifier_digests,
    name_similarity,
    normalize_email,
    normalize_phone,
    suggest_duplicates,
)

KEY = derive_blind_index_key(b"m" * 32)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [(" Dana.Whitfield@Example.COM ", "dana.whitfield@example.com"), ("no-at-sign", None), ("@example.com", None),
     ("a@b@c", None), ("dana@", None)],
)
def test_email_normalization(raw, normalized):
    assert normalize_email(raw) == normalized


@pytest.mark.parametrize(
    ("raw", "region", "normalized"),
    [("+1 415 555 0134", None, "+14155550134"), ("(415) 555-0134", "US", "+14155550134"),
     ("0917 123 4567", "PH", "+639171234567"), ("+63 917 123 4567", "US", "+639171234567"),
     ("415 555 0134", None, None), ("call me", "US", None), ("12", "US", None)],
)
def test_phone_normalization_to_e164(raw, region, normalized):
    assert normalize_phone(raw, region=region) == normalized


def test_blind_index_is_keyed_and_separates_kinds():
    digest = blind_index(KEY, MatchKind.EMAIL, "dana@example.com")
    assert digest == blind_index(KEY, MatchKind.EMAIL, "dana@example.com") and len(digest) == 64
    assert digest != blind_index(derive_blind_index_key(b"n" * 32), MatchKind.EMAIL, "dana@example.com")
    assert blind_index(KEY, MatchKind.EMAIL, "x") != blind_index(KEY, MatchKind.PHONE, "x")
    assert "dana" not in digest
    same = identifier_digests(KEY, email="DANA@example.com ", phone="(415) 555-0134", region="US")
    assert same == identifier_digests(KEY, email="dana@example.com", phone="+1 415-555-0134", region=None)
    assert identifier_digests(KEY, email="not an email", phone=None, region="US") == ()


def test_name_similarity_ignores_case_punctuation_and_order():
    assert name_similarity("Dana Whitfield", "whitfield, dana") == 1.0
    assert name_similarity("Dana Whitfield", "Dana Whitfeld") > 0.9
    assert name_similarity("Dana Whitfield", "Carlos Mendoza") < 0.5


def candidate(customer: str, name: str | None, *, email: str | None = None, phone: str | None = None):
    return MatchCandidate(customer, identifier_digests(KEY, email=email, phone=phone, region="US"), name)


def test_suggestions_need_two_identifiers_or_one_and_similar_names():
    records = [
        candidate("cust-1", "Dana Whitfield", email="dana@example.com", phone="+1 415 555 0134"),
        candidate("cust-2", "D. Whitfield", email="DANA@example.com", phone="415-555-0134"),  # both identifiers
        candidate("cust-3", "Dana Whitfeld", phone="+14155550134"),  # phone and a close name
        candidate("cust-4", "Carlos Mendoza", phone="+14155550134"),  # shares the household phone only
        candidate("cust-5", "Dana Whitfield", email="other@example.com"),  # same name, nothing shared
    ]
    pairs = suggest_duplicates(records)
    found = {(pair.first, pair.second): pair for pair in pairs}
    # cust-2 and cust-3 share the phone, but "D. Whitfield" and "Dana Whitfeld" are not close enough
    assert set(found) == {("cust-1", "cust-2"), ("cust-1", "cust-3")}
    assert name_similarity("D. Whitfield", "Dana Whitfeld") < DuplicateRules().min_name_similarity
    assert found[("cust-1", "cust-2")].matched == (MatchKind.EMAIL, MatchKind.PHONE)
    assert found[("cust-1", "cust-3")].reason.startswith("same phone; names 9")
    assert pairs[0].first == "cust-1" and pairs[0].second == "cust-2"  # two identifiers rank first
    assert all("Dana" not in pair.reason for pair in pairs)  # reasons never carry personal data
    strict = suggest_duplicates(records, rules=DuplicateRules(min_name_similarity=0.99))
    assert {(pair.first, pair.second) for pair in strict} == {("cust-1", "cust-2")}


def test_one_identifier_without_both_names_is_not_enough():
    records = [candidate("a", None, email="x@example.com"), candidate("b", "Dana", email="x@example.com")]
    assert suggest_duplicates(records) == ()
    both = [candidate("a", None, email="x@example.com", phone="+14155550134"),
            candidate("b", None, email="x@example.com", phone="+14155550134")]
    assert suggest_duplicates(both)[0].reason == "same email and phone; names not both known"
