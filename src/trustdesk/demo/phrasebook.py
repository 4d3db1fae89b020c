"""Phrasebooks: the lines agents and customers say at each stage of a contact, per language.

Data lives in ``phrases/<language>.toml``. Code-switched languages (Taglish ``tl``, Hinglish ``hi``)
override only some keys and borrow the rest from English, as their speakers do.
"""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from random import Random

FALLBACK_LANGUAGE = "en"
LANGUAGES = ("en", "es", "pt", "fr", "tl", "hi")


def _flatten(table: dict, prefix: str = "") -> dict[str, tuple[str, ...]]:
    lines: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            lines.update(_flatten(value, f"{name}."))
        elif isinstance(value, str):
            lines[name] = (value,)
        else:
            lines[name] = tuple(value)
    return lines


def _read_phrases(language: str) -> dict[str, tuple[str, ...]]:
    text = resources.files(__package__).joinpath("phrases", f"{language}.toml").read_text(encoding="utf-8")
    return _flatten(tomllib.loads(text))


class Phrasebook:
    """Lines for one language, with English behind the keys a code-switched language leaves out."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"no phrasebook for language {language!r}; have {', '.join(LANGUAGES)}")
        self.language = language
        own = _read_phrases(language)
        self._lines = own if language == FALLBACK_LANGUAGE else {**_read_phrases(FALLBACK_LANGUAGE), **own}

    def keys(self) -> frozenset[str]:
        """Every key this phrasebook can say."""
        return frozenset(self._lines)

    def lines(self, key: str) -> tuple[str, ...]:
        """Every line for ``key``, placeholders unfilled."""
        return self._lines[key]

    def say(self, key: str, rng: Random, values: dict[str, str]) -> str:
        """One of the lines for ``key``, its placeholders filled from ``values``."""
        options = self._lines[key]
        # random() * len is several times faster than randrange and just as deterministic per seed.
        return options[int(rng.random() * len(options))].format_map(values)


@cache
def load_phrasebook(language: str) -> Phrasebook:
    """The shared, read-only phrasebook for ``language``."""
    return Phrasebook(language)
