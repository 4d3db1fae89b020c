"""ADDRESS layouts without a street-type word: "Koskikatu 25", "28245 Puruntie 82", "Rua do Arenque 1634".

Most of Europe and Latin America write the street name first and the house number after it, often with no
word such as "Street" that would mark it (Finnish "-katu", Danish "-vej" and Swedish "-gatan" are glued
to the name). A capitalised name of one to four words followed by a house number is also what "Order
12345", "Windows 10" or "May 5" look like, so such a line counts only with evidence of an address: an
address cue before it ("address", "lives at", "send it to", "meet me at"…), a unit after it ("Apt. 864"),
or a building number before it at the start of a line of an address block. Units ("Apt. 864", "Suite
757") next to an address are addresses too, as are US military addresses ("PSC 6293, Box 8158 APO AP
04336") and street corners ("the corner of Dalbraut 99 and Frederikke Coves").

Spans follow the street line: a unit or the locality on another line is its own span, so a multi-line
address is redacted line by line.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import regex

from trustdesk.core.privacy.redaction.lexicon import CueSet, load_cues, phrase_set
from trustdesk.core.privacy.redaction.patterns import TextMatch, TextPattern
from trustdesk.core.privacy.redaction.recognizers.free_names import never_names
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all

# Below the street-suffix layouts (0.82) and above the first-name lexicon: a street named after a person
# ("Pedro Ulisses 888") is an address.
STREET_LINE_SCORE = 0.7
# A number before the street name this long is a building number even mid-sentence ("to 0313 Finley Land
# Suite 858"); shorter ones ("2 Samsung Galaxy 10") count only at the start of an address-block line.
MIN_BUILDING_DIGITS = 3
# How far before a street line an address cue may stand.
CUE_WINDOW = 80

_CAPITALISED = r"\p{Lu}[\p{L}\p{M}'’\-]*+\.?"
# Abbreviated street types written in lower case before the name: "ul. Narewska", "u. 97", "r. José".
_LOWER_PREFIX = r"(?:ul|u|r|c|av|al|pl|str)\.[ ]"
_STREET_NAME = rf"(?:{_LOWER_PREFIX})?{_CAPITALISED}(?:[ ](?:{_CAPITALISED}|\p{{Ll}}{{1,12}}+\.?)){{0,3}}+"
_UNIT = r"(?:Apt|Apartment|Suite|Ste|Unit|Flat)\.?[ ]?\d{1,5}[A-Za-z]?"
_STREET_LINE = TextPattern(
    rf"(?<![\w.,\-])(?:(?P<building>\d{{1,6}})[ ]+)?(?P<street>{_STREET_NAME})[ ]+(?P<house>\d{{1,5}}[A-Za-z]?)(?![\w/:.,\-]\d)(?!\w)"
    rf"(?P<unit>[ ,]+{_UNIT}(?!\w))?",
    regex.UNICODE,
)
# What may follow a street line within the same address: units, the locality, region and postcode, on the
# same line after a comma or on the next lines of the block (never across a blank line).
_LOCALITY_PART = (
    rf"(?:{_UNIT}|(?:Piso|Puerta|Planta|Bloque|Escalera|Etage|Stock)[ ]\d{{1,3}}"
    r"|\p{Lu}[\p{L}\p{M}'’\-]*+\.?(?:[ ]\p{Lu}[\p{L}\p{M}'’\-]*+\.?){0,3}+(?:[ ]\(\p{L}+\))?"
    r"(?:[ ]\d{4,5}(?:-\d{3,4})?)?|\d{4,5}(?:-\d{3,4})?|nan)(?![\w@])"
)
_LOCALITY = TextPattern(rf"(?:[ ]{{0,4}},?[ ]{{0,4}}(?:\n[ >?*]{{0,4}})?,?[ ]{{0,4}}{_LOCALITY_PART}){{0,6}}+", regex.UNICODE)
_LONE_UNIT = TextPattern(rf"(?<![\w])(?:{_UNIT})(?!\w)", regex.UNICODE)
# The words of ``_UNIT``, case-folded: a text without one of them holds no unit.
_UNIT_WORDS = frozenset({"apt", "apartment", "suite", "ste", "unit", "flat"})
_MILITARY = TextPattern(
    r"(?<![\w])(?:(?:PSC|Unit)[ ]\d{1,5},?[ ]Box[ ]\d{1,5}|USN[SV][ ]\p{Lu}[\p{L}\-]*+|USS[ ]\p{Lu}[\p{L}\-]*+)"
    r"\s{1,3}[AFD]PO[ ]A[AEP][ ]\d{5}(?!\w)",
    regex.UNICODE,
)
_MILITARY_POST_WORDS = frozenset({"apo", "fpo", "dpo"})
_CORNER_WORDS = frozenset({"corner"})
_CORNER = TextPattern(
    r"(?i:the[ ]corner[ ]of)[ ](?:[^\n,;?!]{1,60}?)[ ]and[ ]"
    r"(?:\d{1,5}[ ])?\p{Lu}[\p{L}'’\-]*+(?:[ ](?:\p{Lu}[\p{L}'’\-]*+|\d{1,5}\.?)){0,3}+",
    regex.UNICODE,
)
# First words of "Name 12" shapes that are not streets in customer-service text.
_NOT_STREETS = frozenset(
    {
        "order",
        "ticket",
        "case",
        "room",
        "gate",
        "flight",
        "windows",
        "version",
        "chapter",
        "level",
        "page",
        "step",
        "option",
        "model",
        "invoice",
        "account",
        "reference",
        "extension",
        "ext",
        "box",
        "floor",
        "number",
        "no",
        "nr",
        "pin",
        "code",
        "card",
        "iphone",
        "galaxy",
        "pixel",
        "office",
        "item",
        "line",
        "seat",
        "platform",
        "terminal",
        "building",
        "apt",
        "apartment",
        "suite",
        "unit",
        "flat",
        "psc",
        "top",
        "day",
        "week",
        "year",
        "age",
        "aged",
        "plan",
        "ios",
        "android",
        "season",
        "episode",
        "part",
        "volume",
        "issue",
        "table",
        "figure",
        "section",
    }
)
_GENERIC_ADDRESS_CUES = (
    "address",
    "addresses",
    "live in",
    "live on",
    "lives in",
    "lives on",
    "lived in",
    "located",
    "located at",
    "located in",
    "sent to",
    "send it to",
    "send to",
    "return to",
    "deliver",
    "delivered",
    "meet",
    "meet me at",
    "drops you off",
    "office is",
    "offices are",
    "is at",
    "are at",
    "taxi to",
)


@cache
def _address_cues(language: str) -> CueSet:
    phrases = load_cues(language).get("address", ()) + load_cues("en")["address"] + _GENERIC_ADDRESS_CUES
    return phrase_set(tuple(dict.fromkeys(phrases)))


def _has_address_evidence(view: TextView, match: TextMatch, cues: CueSet) -> bool:
    """A cue before the line, a unit after it, or a building number before the street name that opens a
    line of an address block or stands in a number-name-number shape ("0313 Finley Land Suite 858")."""
    if match.group("unit") is not None:
        return True
    if view.cue_before(cues, match.start(), CUE_WINDOW):
        return True
    text = view.text
    building = match.group("building")
    if building is None:
        return False
    line_start = text.rfind("\n", 0, match.start()) + 1
    return len(building) >= MIN_BUILDING_DIGITS or not text[line_start : match.start()].strip(" >?*-\t")


def _may_hold_house_number(view: TextView) -> bool:
    """Cheap gate for ``_STREET_LINE``: a written group of at most five digits after spaces that follow the
    end of a word (a letter, an apostrophe, a hyphen or an abbreviation's full stop)."""
    text = view.text
    if not text.isascii():
        return True
    for run in view.focus_runs:
        for token in run.tokens:
            if token.is_spoken or len(token.digits) > 5 or text[token.start - 1 : token.start] != " ":
                continue
            # Each space is walked over once, for the digit group it precedes: linear in the text.
            index = token.start - 1
            while index >= 0 and text[index] == " ":
                index -= 1
            if index >= 0 and (text[index].isalpha() or text[index] in "'-."):
                return True
    return False


def _find_street_lines(view: TextView) -> Iterator[Candidate]:
    text = view.text
    # Street lines, units and military addresses all hold a digit and a capital letter.
    if not view.focus_runs or text.islower():
        return
    cues = _address_cues(view.language)
    stop_words = never_names()
    street_ends: list[int] = []
    position = view.focus_start if _may_hold_house_number(view) else len(text)
    while (match := _STREET_LINE.search(text, position)) is not None:
        first_word = match.group("street").split(" ", 1)[0].rstrip(".").casefold()
        if (
            first_word in _NOT_STREETS
            or first_word in stop_words
            or not _has_address_evidence(view, match, cues)
        ):
            # The rejected words may hide a street line that starts inside them ("I'll meet you at 25615
            # Tawastintie 72"): search again from the next character; matches are short, so this stays linear.
            position = match.start() + 1
            continue
        end = _LOCALITY.match(text, match.end("house")).end()
        yield Candidate(match.start(), end, "ADDRESS", STREET_LINE_SCORE)
        street_ends.append(end)
        position = end
    words = view.folded_focus_words
    if not _UNIT_WORDS.isdisjoint(words):
        for match in _LONE_UNIT.finditer(text, view.focus_start):
            # A unit on the street line's own or following lines belongs to that address.
            if any(0 <= match.start() - end <= CUE_WINDOW for end in street_ends) or view.cue_before(
                cues, match.start(), CUE_WINDOW
            ):
                yield Candidate(match.start(), match.end(), "ADDRESS", STREET_LINE_SCORE)
    for pattern, needs_one_of in ((_MILITARY, _MILITARY_POST_WORDS), (_CORNER, _CORNER_WORDS)):
        if not needs_one_of.isdisjoint(words):
            for match in pattern.finditer(text, view.focus_start):
                yield Candidate(match.start(), match.end(), "ADDRESS", STREET_LINE_SCORE + 0.05)


RECOGNIZERS = (Recognizer("street_lines", ("ADDRESS",), (), _find_street_lines, accept_all),)
