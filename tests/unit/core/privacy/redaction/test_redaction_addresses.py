"""ADDRESS: street types of many countries, streets without a number, one span per address, its end."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.privacy.redaction import detect_entities
from trustdesk.core.privacy.redaction.recognizers.street_lines import locality_end, street_types


def addresses(text: str, language: str = "en") -> list[str]:
    return [text[e.start : e.end] for e in detect_entities(text, language=language) if e.label == "ADDRESS"]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # A street type glued to the name or standing after it is evidence enough, in any text language.
        ("The bus station is on Villacher Strasse 89", "Villacher Strasse 89"),
        ("Pedestrians must enter on Sludevej 13 the first three months", "Sludevej 13"),
        ("The bus drops you off at Magasinsgatan 7 tomorrow.", "Magasinsgatan 7"),
        ("Meine Adresse ist Reisingstr. 51.", "Reisingstr. 51"),
        ("Please use Erzsébet tér 19 for the delivery", "Erzsébet tér 19"),
        ("It's in Λεωφόρος Συγγρού 119 near the port", "Λεωφόρος Συγγρού 119"),
        # A street type written first, a particle after it.
        ("Mi dirección es Alameda de María Teresa 65, gracias.", "Alameda de María Teresa 65"),
        ("The letter arrived at 1812 Rue De La Gare last night.", "1812 Rue De La Gare"),
        ("Meu endereço é Vila Cauê Borges, 87, Vieira.", "Vila Cauê Borges, 87, Vieira"),
    ],
)
def test_street_types_of_many_countries_mark_a_street_line(text: str, address: str) -> None:
    assert addresses(text) == [address]


def test_a_street_type_in_the_name_is_not_needed_when_a_cue_stands_before_it() -> None:
    assert addresses("My new address is Tuulikki 25, thanks.") == ["Tuulikki 25"]
    assert addresses("Tuulikki 25 is a nice name for a song.") == []


@pytest.mark.parametrize(
    ("text", "address", "language"),
    [
        ("these early shows on Marina Fort Street were important", "Marina Fort Street", "en"),
        ("The closest store to me is on Elm Street, but I'm not sure.", "Elm Street", "en"),
        ("Mon adresse est boulevard de Martin, Dumas.", "boulevard de Martin, Dumas", "fr"),
        ("Mon adresse est avenue Gimenez.", "avenue Gimenez", "fr"),
        ("Meu endereço é Praia de Sá.", "Praia de Sá", "pt"),
    ],
)
def test_streets_without_a_number_need_a_preposition_or_a_cue(text: str, address: str, language: str) -> None:
    assert addresses(text, language) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "I read the Wall Street Journal every morning.",
        "Marina Fort Street was a song title.",
        "Please send the invoice via Email to my manager.",
        "You currently have 250 points in your account, and 1000 points give a $50 discount.",
        "The last four digits of my SSN are 9876.",
        "They're available tomorrow at 3 PM.\n\nAlex: That's so far away.",
        "Customer Alex: 00:00:28 Well, overall, I'm quite satisfied",
    ],
)
def test_shapes_of_other_things_are_not_addresses(text: str) -> None:
    assert addresses(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "please send a new one to 1987 74 Diakou Street\n Suite 680\n Kissousa\n Cyprus 36903? I am in",
            "1987 74 Diakou Street\n Suite 680\n Kissousa\n Cyprus 36903",
        ),
        (
            "Our offices are located at 6076 Piroska u. 97.\nPorto Alegre\n, RS\n Brazil 95828",
            "6076 Piroska u. 97.\nPorto Alegre\n, RS\n Brazil 95828",
        ),
        (
            "Address:     594 Hegedûs Gyula utca 76. Apt. 289 Mogyorósbánya Hungary",
            "594 Hegedûs Gyula utca 76. Apt. 289 Mogyorósbánya Hungary",
        ),
        (
            "Mon adresse est 34, boulevard de Colin, Sainte Cécile-la-Forêt.",
            "34, boulevard de Colin, Sainte Cécile-la-Forêt",
        ),
        ("Please send it to 10 Downing Street, London SW1A 2AA today", "10 Downing Street, London SW1A 2AA"),
        (
            "Please send the replacement to Flat 61\nKimberley Stravenue. The refund was $7.",
            "Flat 61\nKimberley Stravenue",
        ),
        (
            "Meet me at P.O. Box 149 Monika Union\n Apt. 485\n Pituffik",
            "P.O. Box 149 Monika Union\n Apt. 485\n Pituffik",
        ),
        ("it is PSC 0272, Box 1651\nAPO AA 94530", "PSC 0272, Box 1651\nAPO AA 94530"),
    ],
)
def test_one_address_is_one_span_with_its_unit_locality_postcode_and_country(text: str, address: str) -> None:
    assert addresses(text) == [address]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("My current address is 789 Oak St. Thank you for checking.", "789 Oak St"),
        ("I live at 123 Main St. Anytown, USA. Thank you.", "123 Main St. Anytown, USA"),
        (
            "Please send the replacement to 0 Ashley Gateway, South Jemma. The refund was $16.",
            "0 Ashley Gateway, South Jemma",
        ),
        (
            "Yes, of course. It's 123 Main Street, Anytown, USA, 12345.\n\nAgent: Thanks",
            "123 Main Street, Anytown, USA, 12345",
        ),
        (
            "the new address is 123 Ocean View Road, Seashell City, CC 45678. Now, let's",
            "123 Ocean View Road, Seashell City, CC 45678",
        ),
        (
            "50668 Kiannonkatu 98 Apt. 105, ISHAM, United Kingdom\nMobile: 555",
            "50668 Kiannonkatu 98 Apt. 105, ISHAM, United Kingdom",
        ),
        (
            "William Hughes\n\n20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488",
            "20789 Allika 46\n Suite 501\n Riisa",
        ),
    ],
)
def test_an_address_stops_at_the_next_sentence_a_field_label_or_a_blank_line(text: str, address: str) -> None:
    assert addresses(text) == [address]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("meet me at 2407 tawastintie 6, see you", "2407 tawastintie 6"),
        ("i live at 12 main street near the school", "12 main street"),
        ("bot: where to? user: 0605 πεντέλης 210 apt. 999", "0605 πεντέλης 210 apt. 999"),
        ("sent to uscgc aslakhanov\nfpo ae 44941?", "uscgc aslakhanov\nfpo ae 44941"),
    ],
)
def test_texts_without_capitals_need_a_street_type_a_unit_or_a_cue(text: str, address: str) -> None:
    assert addresses(text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "it is about 3 miles from the park",
        "my address is wrong, i have 2 phones on the account",
        "order 12345 was shipped on may 5",
    ],
)
def test_lower_case_shapes_without_such_evidence_are_not_addresses(text: str) -> None:
    assert addresses(text) == []


def test_street_types_are_read_from_the_shipped_data() -> None:
    types = street_types()
    assert {"rua", "via", "ul."} <= types.before
    assert {"strasse", "tér"} <= types.after
    assert "vej" in types.glued
    assert types.names_a_street("Sludevej") and types.names_a_street("Rua do Arenque")
    # A glued type needs a name before it: "Agata" is a first name, not a street.
    assert not types.names_a_street("Agata")


ADDRESS_PIECES = [
    "12 Baker Street",
    "Koskikatu 25",
    "Apt. 5",
    "Suite 757",
    "Springfield",
    "CA 90210",
    "United Kingdom",
    "Cyprus (Greek) 51034",
    ", nan",
    "SW1A 2AA",
    "Mobile:",
    "the refund",
    "Thank you",
    "u. 97.",
    "St.",
    "12345",
    "Rua do Arenque 1634",
    "P.O. Box 12",
    "and",
    "Velká Bukovina u Decína",
]
SEPARATORS = [" ", ", ", "\n", "\n ", "\n\n", "\n \n", ". ", "\n> ", ""]
pieces = st.one_of(st.sampled_from(ADDRESS_PIECES), st.sampled_from(SEPARATORS))
address_like = st.lists(pieces, max_size=12).map("".join)


@settings(max_examples=200, deadline=None)
@given(address_like, st.integers(min_value=0, max_value=200))
def test_a_locality_never_runs_backwards_or_across_a_blank_line(text: str, position: int) -> None:
    position = min(position, len(text))
    end = locality_end(text, position)
    assert position <= end <= len(text)
    lines = text[position:end].split("\n")
    assert all(line.strip(" >?*,") for line in lines[1:])


@settings(max_examples=200, deadline=None)
@given(address_like)
def test_address_spans_are_ordered_disjoint_and_trimmed(text: str) -> None:
    spans = [(e.start, e.end) for e in detect_entities(text) if e.label == "ADDRESS"]
    assert spans == sorted(spans)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
    for start, end in spans:
        value = text[start:end]
        assert value == value.strip(" ,\n")
