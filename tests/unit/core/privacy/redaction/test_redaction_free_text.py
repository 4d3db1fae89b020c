"""PERSON without record names (first-name lexicon) and ADDRESS street lines without a street word."""

import pytest

from trustdesk.core.privacy.redaction import detect_entities


def found(text: str, language: str = "en") -> list[tuple[str, str]]:
    return [(text[e.start : e.end], e.label) for e in detect_entities(text, language=language)]


def persons(text: str, language: str = "en") -> list[str]:
    return [value for value, label in found(text, language) if label == "PERSON"]


def addresses(text: str, language: str = "en") -> list[str]:
    return [value for value, label in found(text, language) if label == "ADDRESS"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The player Teresa Kreutzmann was detained.", ["Teresa Kreutzmann"]),
        ("Catherine is a very sympathetic person.", ["Catherine"]),
        ("Kevin had given Andrew his address.", ["Kevin", "Andrew"]),
        ("My name is Vanessa P. Hertzog but everyone calls me Vanessa", ["Vanessa P. Hertzog", "Vanessa"]),
        ("Directed by Wacława Adamska and starring Adamska", ["Wacława Adamska", "Adamska"]),
        ("Bonjour, je m'appelle Maurice Le Merle, merci", ["Maurice Le Merle"]),
        ("Grace Hopper called twice about the refund.", ["Grace Hopper"]),
    ],
)
def test_first_names_start_a_person(text: str, names: list[str]) -> None:
    assert persons(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for calling, have a nice day.",
        "May I have your order number?",
        "Will you send it in March or June?",
        "We spoke on Monday and again in August.",
        "Grace periods apply. Hope that helps.",
        "Our Contoso Spark plan and the Visa card are separate products.",
        "The Johnson Inc office is closed.",
        "We drove down Philip Bypass yesterday.",
        "Meine Telefonnummer habe ich geändert.",
        "hi this is about my bill will you call back",
    ],
)
def test_everyday_capitalised_words_are_not_persons(text: str) -> None:
    assert persons(text) == []


def test_a_cue_does_not_run_over_a_comma_or_sentence_end() -> None:
    assert persons("Hi Jannie, I'm calling about my bill.") == ["Jannie"]
    assert persons("Goodbye, Chris. Take care.") == ["Chris"]
    assert persons("Thanks Mrs. Michaela Andrews, can I take the card?") == ["Michaela Andrews"]


def test_a_street_named_after_a_person_is_an_address() -> None:
    text = "Please send the replacement to 0313 Finley Land Suite 858."
    assert found(text) == [("0313 Finley Land Suite 858", "ADDRESS")]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("My new address is Koskikatu 25, thanks.", "Koskikatu 25"),
        ("Tomomi lives at 86036 Rua do Arenque 1634, Goiânia", "86036 Rua do Arenque 1634, Goiânia"),
        ("I'll meet you at 25615 Tawastintie 72 Apt. 004\nKNIVSTA after the concert.", None),
        ("Hello I moved, please update my new address is PSC 6293, Box 8158\nAPO AP 04336", None),
        ("it is the corner of Dalbraut 99 and Frederikke Coves", "the corner of Dalbraut 99 and Frederikke Coves"),
    ],
)
def test_street_lines_with_address_evidence(text: str, address: str | None) -> None:
    found_addresses = addresses(text)
    assert len(found_addresses) == 1
    if address is not None:
        assert found_addresses == [address]


def test_street_line_keeps_its_unit_and_locality_lines() -> None:
    text = "I'll meet you at 25615 Tawastintie 72 Apt. 004\nKNIVSTA after the concert."
    assert addresses(text) == ["25615 Tawastintie 72 Apt. 004\nKNIVSTA"]
    block = "Billing address:\n28245 Puruntie 82\n Apt. 595\n Lappeenranta\n 53650\n\nThanks"
    assert addresses(block) == ["28245 Puruntie 82\n Apt. 595\n Lappeenranta\n 53650"]


@pytest.mark.parametrize(
    "text",
    [
        "Order 12345 was shipped on May 5.",
        "I upgraded to Windows 10 and iPhone 12 last week.",
        "Your ticket is Case 4411, see Chapter 3 of the guide.",
        "The meeting is on June 25 at Gate 12.",
        "Tuulikki 25 is a nice name for a song.",
    ],
)
def test_name_number_shapes_without_address_evidence_are_not_addresses(text: str) -> None:
    assert addresses(text) == []
