import string
from random import Random

import pytest

from trustdesk.demo.phrasebook import LANGUAGES, Phrasebook, _read_phrases

FULL_LANGUAGES = ("en", "es", "pt", "fr")
CODE_SWITCHED = ("tl", "hi")
PLACEHOLDERS = {"brand", "agent", "first", "name", "case", "amount", "date", "order", "days", "city",
                "country_name", "topic", "team", "expiry", "last4", "value", "card"}


@pytest.mark.parametrize("language", FULL_LANGUAGES)
def test_full_languages_say_everything_english_says(language: str) -> None:
    assert set(_read_phrases(language)) == set(_read_phrases("en"))


@pytest.mark.parametrize("language", CODE_SWITCHED)
def test_code_switched_languages_only_override_known_keys(language: str) -> None:
    own = set(_read_phrases(language))
    assert own, "a code-switched phrasebook must override something"
    assert own <= set(_read_phrases("en"))
    assert Phrasebook(language).keys() == Phrasebook("en").keys()


@pytest.mark.parametrize("language", LANGUAGES)
def test_lines_use_only_known_placeholders(language: str) -> None:
    for key, lines in _read_phrases(language).items():
        for line in lines:
            names = {field for _, field, _, _ in string.Formatter().parse(line) if field}
            assert names <= PLACEHOLDERS, (language, key, line)


def test_say_fills_placeholders_and_is_seeded() -> None:
    book = Phrasebook("en")
    values = {"brand": "Acme Mobile", "agent": "Ana", "first": "John"}
    first = [book.say("agent.greeting_voice", Random(5), values) for _ in range(3)]
    assert len(set(first)) == 1
    assert "Acme Mobile" in first[0] and "{" not in first[0]


@pytest.mark.parametrize("language", ["de", "", "EN"])
def test_unknown_language_is_refused(language: str) -> None:
    with pytest.raises(ValueError, match="no phrasebook"):
        Phrasebook(language)
