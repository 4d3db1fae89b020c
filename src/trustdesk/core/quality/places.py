"""Which country a place named in a transcript, or in a vendor key, belongs to (shipped ``places.toml``).

outsourcing_disclosure needs it to tell a true answer to "where are you?" from a false one: a Manila
vendor's agent who says "I'm based in Seattle" names a place, but not where the service is provided from.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from trustdesk.core.quality.phrases import compile_phrases, fold_text


@dataclass(frozen=True)
class NamedPlace:
    country: str
    start: int  # character offsets in the text the place was found in
    end: int


@functools.cache
def _places() -> tuple[re.Pattern[str], dict[str, str]]:
    text = resources.files("trustdesk.core.quality").joinpath("places.toml").read_text(encoding="utf-8")
    country_of = {
        fold_text(place): country
        for country, places in tomllib.loads(text)["countries"].items()
        for place in places
    }
    # A trie-shaped alternation tries the longer of two places sharing a beginning first ("new delhi",
    # "u.s.a."), and runs many times faster than a flat one: customers' questions are searched for places too.
    pattern = compile_phrases(tuple(country_of))
    if pattern is None:
        raise ValueError("places.toml names no place")
    return pattern, country_of


def named_places(folded: str) -> list[NamedPlace]:
    """Places named in ``folded`` (lowercased, accent-folded) text, in order."""
    pattern, country_of = _places()
    # Words of a place may be split by any whitespace ("new\nyork").
    return [
        NamedPlace(country_of[" ".join(m.group().split())], m.start(), m.end()) for m in pattern.finditer(folded)
    ]


def vendor_country_code(vendor: str) -> str | None:
    """The country of the place a vendor key names ("manila-bpo" -> "PH"), or None when it names none."""
    places = named_places(fold_text(vendor.replace("-", " ").replace("_", " ")))
    return places[0].country if places else None
