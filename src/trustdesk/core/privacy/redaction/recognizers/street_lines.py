"""ADDRESS: street lines in the layouts of many countries, with the unit and locality that follow them.

Layouts: a house number before the name and a street-type word after it ("12 Baker Street"); the name first
and the number after it, as most of Europe and Latin America write it ("Koskikatu 25", "Rua do Arenque
1634", "Hauptstraße 5"); the number, a comma and a street-type word first ("85, avenue de Pineau"); a unit
line above the street ("Flat 61\nKimberley Stravenue"); post office boxes, US military addresses ("PSC 6293,
Box 8158 APO AP 04336") and street corners ("the corner of Dalbraut 99 and Frederikke Coves").

A capitalised name followed by a number is also what "Order 12345", "Windows 10" or "May 5" look like, so
a "Name 12" line counts only with evidence of an address: a street-type word of any country in its name
("-vej", "-katu", "Strasse", "Rua", "ul.", from ``data/addresses/street_types.toml``), an address cue
before it ("address", "lives at", "send it to", "meet me at"…), a unit after it ("Apt. 864"), or a
building number before it. A street named without a number ("shows on Marina Fort Street") needs a strong
street type and a cue or a preposition right before it. In a text without capitals (chat, speech to text),
where any words before a number look like a name, only a street type or a unit vouches for a line.

One address is one span: the street line takes the unit, the locality, region, postcode and country that
follow it on the same line after a comma or on the next lines of the block (never across a blank line,
never into the next sentence), and the pieces that several layouts find of one address are joined.
"""

from __future__ import annotations

import bisect
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

from trustdesk.core.privacy.redaction.lexicon import CueSet, cue_set, first_token, load_cues, phrase_set
from trustdesk.core.privacy.redaction.patterns import TextMatch, TextPattern
from trustdesk.core.privacy.redaction.recognizers.free_names import never_names
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all

_DATA = "trustdesk.core.privacy.redaction.data"
# A street line with a street-type word ("12 Baker Street", "Hauptstraße 5") or a post office box.
TYPED_STREET_SCORE = 0.82
# Below the typed layouts and above the first-name lexicon: a street named after a person ("Pedro Ulisses
# 888") is an address.
STREET_LINE_SCORE = 0.7
# Checked structures that hold their own evidence, above a phone number their postcode could seem to start
# ("APO AA 61487\n416 60 039 office").
STRUCTURED_SCORE = 0.85
# Free-form text after "my address is", when no layout found anything there.
CUED_SCORE = 0.55
# A number before the street name this long is a building number even mid-sentence ("to 0313 Finley Land
# Suite 858"); shorter ones ("2 Samsung Galaxy 10") count only at the start of an address-block line.
MIN_BUILDING_DIGITS = 3
# How far before a street line an address cue may stand.
CUE_WINDOW = 80
# A glued street type needs this many letters of name before it ("Sludevej", not "Agata").
MIN_NAME_BEFORE_GLUED_TYPE = 3


@dataclass(frozen=True)
class StreetTypes:
    """Street-type words of many countries (``data/addresses/street_types.toml``), case-folded."""

    before: frozenset[str]
    after: frozenset[str]
    glued: tuple[str, ...]
    particles: frozenset[str]

    def names_a_street(self, name: str) -> bool:
        """Whether a street name holds a street-type word: first, after the first word, or glued to one."""
        words = [word.casefold() for word in name.split(" ")]
        if words[0] in self.before or not self.after.isdisjoint(words[1:]):
            return True
        return any(
            _letters_before_type(word, self.glued) >= MIN_NAME_BEFORE_GLUED_TYPE
            for word in words
            if word.endswith(self.glued) or word.rstrip(".").endswith(self.glued)
        )


def _letters_before_type(word: str, endings: tuple[str, ...]) -> int:
    # Abbreviated endings keep their full stop ("str."); the word is tried with and without its own.
    forms = (word, word.rstrip("."))
    return max(
        (len(form) - len(ending) for form in forms for ending in endings if form.endswith(ending)), default=0
    )


@cache
def street_types() -> StreetTypes:
    raw = (resources.files(_DATA) / "addresses" / "street_types.toml").read_text(encoding="utf-8")
    table = tomllib.loads(raw)

    def folded(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(word.casefold() for word in table[key]))

    before, after, particles = (frozenset(folded(key)) for key in ("before", "after", "particles"))
    return StreetTypes(before, after, folded("glued"), particles)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(regex.escape(word) for word in sorted(set(words), key=lambda word: (-len(word), word)))


# A capitalised word, or a short abbreviation with its full stop ("St.", "Λ."): a longer word before a full
# stop ends a sentence ("Sure. It's 1234 Maple St.") unless the house number follows ("Reisingstr. 51").
_CAPITALISED = (
    r"(?:\p{Lu}\p{L}{0,2}\.(?=[ ])|\p{Lu}[\p{L}\p{M}'’\-]*+(?:\.(?=[ ]\d))?(?!\.\p{L}))"
)
_UNIT_WORD_LIST = ("Apt", "Apartment", "Suite", "Ste", "Unit", "Flat", "Studio")
_UNIT = rf"(?i:{'|'.join(_UNIT_WORD_LIST)})\.?[ ]?\d{{1,5}}[A-Za-z]?"
# The words of ``_UNIT``, case-folded: a text without one of them holds no unit.
_UNIT_WORDS = frozenset(word.casefold() for word in _UNIT_WORD_LIST)
# A lower-case word inside a street or place name: a particle ("do", "u") or a street type ("tér").
_STOP_AFTER_WORD = r"(?![\p{L}\p{M}'’\-])"


@cache
def _lower_name_word() -> str:
    types = street_types()
    words = types.particles | types.after | {word for word in types.before if word.isalpha() or "." in word}
    return rf"(?:{_alternation(words)}){_STOP_AFTER_WORD}"


# Any word of a text written all in lower case (chat, speech to text), where capitals tell nothing.
_ANY_CASE_WORD = r"\p{L}[\p{L}\p{M}'’\-]*+"


@cache
def _street_line(any_case: bool, type_first: bool) -> TextPattern:
    """A street name and its house number. With ``type_first``, the name starts with a street type of any
    case ("ul. Miła 53", "rua do Arenque 1634") and a comma may stand before the number ("Vila Cauê Borges,
    87"); that long alternation runs only on texts holding one of its words."""
    word = _ANY_CASE_WORD if any_case else _CAPITALISED
    name = rf"{word}(?:[ ](?:{word}|{_lower_name_word()})){{0,3}}+"
    if type_first:
        before = _alternation(street_types().before)
        name = rf"(?i:{before})[ ](?:{_lower_name_word()}[ ]){{0,2}}{name}"
    return TextPattern(
        rf"(?<![\w.,\-])(?:(?P<building>\d{{1,6}})[ ]+)?(?P<street>{name}){',?' if type_first else ''}[ ]+"
        rf"(?P<house>\d{{1,5}}[A-Za-z]?)"
        rf"(?![\w/:.,\-]\d)(?!\w)(?P<unit>[ ,]+{_UNIT}(?!\w))?",
        regex.UNICODE,
    )


@cache
def _type_first_gate() -> frozenset[str]:
    return frozenset(token for word in street_types().before if (token := first_token(word)) is not None)


@cache
def _type_word_gate() -> frozenset[str]:
    """Folded words any of which a street type or a unit written as a word of its own starts with."""
    types = street_types()
    after = frozenset(token for word in types.after if (token := first_token(word)) is not None)
    return _type_first_gate() | after | _UNIT_WORDS


def _may_name_a_street(words: frozenset[str]) -> bool:
    """Cheap gate: whether a text with these folded words may hold a unit or a street type."""
    glued = street_types().glued
    return not _type_word_gate().isdisjoint(words) or any(word.endswith(glued) for word in words)


# Street types strong enough to name a street without a house number ("on Marina Fort Street").
_NUMBERLESS_TYPES = (
    "Street", "St.", "Road", "Rd.", "Avenue", "Ave.", "Lane", "Boulevard", "Blvd.", "Terrace"
)
_NUMBERLESS_TYPE_WORDS = frozenset(first_token(word) for word in _NUMBERLESS_TYPES)
_NUMBERLESS_PREPOSITIONS = ("on", "at", "in", "to", "off", "near", "along", "onto", "into", "from", "of")
# Street types written first that are also English words ("sent via Email"): without a number, they name a
# street only right after an address cue.
_AMBIGUOUS_FIRST_TYPES = frozenset({"via", "route", "cours", "plaza", "avenue"})
# How close the cue must stand before one of them ("Mon adresse est avenue Gimenez").
ADJACENT_CUE_WIDTH = 3


@cache
def _numberless_first_types() -> frozenset[str]:
    return frozenset(word for word in street_types().before if word.isalpha())


@cache
def _numberless_street() -> TextPattern:
    types = _alternation(_NUMBERLESS_TYPES)
    return TextPattern(
        rf"(?<![\w.,\-])(?:(?i:{_alternation(_NUMBERLESS_PREPOSITIONS)})[ ])?"
        rf"(?P<street>{_CAPITALISED}(?:[ ](?:{_CAPITALISED}|{_lower_name_word()})){{0,2}}[ ](?:{types}))"
        rf"(?![\w])(?![ ]\p{{Lu}})",
        regex.UNICODE,
    )


@cache
def _typed_first_street() -> TextPattern:
    """A street-type word, then the name, without a number: "boulevard Honoré Sauvage" (needs a cue)."""
    return TextPattern(
        rf"(?<![\w.])(?i:{_alternation(_numberless_first_types())})[ ](?:{_lower_name_word()}[ ]){{0,2}}"
        rf"{_CAPITALISED}(?:[ ](?:{_CAPITALISED}|{_lower_name_word()})){{0,3}}+",
        regex.UNICODE,
    )


# A place name in an address: capitalised words with particles ("Velká Bukovina u Decína"), maybe a
# parenthesis ("Cyprus (Greek)"), maybe a postcode.
_POSTCODE = (
    r"(?:\d{5}(?:-\d{3,4})?|\d{4}(?:[ ]?[A-Z]{2}|-\d{3})?|\d{2}-\d{3}|\d{3}[ ]\d{2}"
    r"|[A-Z]{1,2}\d[A-Z\d]?[ ]\d[A-Z]{2}|[A-Z]\d[A-Z][ ]\d[A-Z]\d)"
)


@cache
def _locality() -> TextPattern:
    # A full stop after a place word ends an abbreviation ("St. Georges"), never a sentence ("Jemma. The").
    place_word = r"(?:\p{Lu}\p{Ll}{0,2}\.|\p{Lu}[\p{L}\p{M}'’\-]*+(?![\p{N}]))"
    place = (
        rf"{place_word}(?:[ ](?:{place_word}|{_lower_name_word()})){{0,4}}+(?:[ ]\(\p{{L}}+\))?"
        rf"(?:[ ]{_POSTCODE})?"
    )
    part = (
        rf"(?:{_UNIT}|(?:Piso|Puerta|Planta|Bloque|Escalera|Etage|Stock)[ ]\d{{1,3}}|{place}"
        # A postcode on its own followed by more digits is the start of another number.
        rf"|{_POSTCODE}(?![ ]?\d)|nan)"
        # A part followed by a colon is a field label.
        rf"(?![\w@:])"
    )
    return TextPattern(
        rf"(?:[ ]{{0,4}},?[ ]{{0,4}}(?:\n[ >?*]{{0,4}})?,?[ ]{{0,4}}{part}){{0,6}}+", regex.UNICODE
    )


def locality_end(text: str, position: int) -> int:
    """Where the unit, locality, region, postcode and country written after ``position`` end."""
    return _locality().match(text, position).end()


_LONE_UNIT = TextPattern(rf"(?<![\w])(?:{_UNIT})(?!\w)", regex.UNICODE)
_PO_BOX = TextPattern(
    r"(?<![\w.])(?:\d{1,6}[ ])?(?:(?i:p\.?[ ]?o\.?[ ]?box|post[ ]office[ ]box|postfach"
    r"|apartado(?:[ ]de[ ]correos)?|caixa[ ]postal|bo[iî]te[ ]postale|casilla)|BP)[ ]?\d{1,6}(?!\w)",
    regex.UNICODE,
)
_PO_BOX_WORDS = frozenset({"box", "postfach", "apartado", "postal", "postale", "casilla", "bp"})
_MILITARY = TextPattern(
    r"(?<![\w])(?i:(?:PSC|Unit)[ ]\d{1,5},?[ ]Box[ ]\d{1,5}|(?:USNS|USNV|USS|USCGC)[ ]\p{L}[\p{L}\-]*+)"
    r"\s{1,3}(?i:[AFD]PO[ ]A[AEP])[ ]\d{5}(?!\w)",
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
        "studio",
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
    "store on",
    "branch on",
)


@cache
def _address_cues(language: str) -> CueSet:
    phrases = load_cues(language).get("address", ()) + load_cues("en")["address"] + _GENERIC_ADDRESS_CUES
    return phrase_set(tuple(dict.fromkeys(phrases)))


def _has_address_evidence(view: TextView, match: TextMatch, cues: CueSet, *, any_case: bool) -> bool:
    """A street type in the name, a unit after it, a cue before it, or a building number before the name
    that opens a line of an address block or stands in a number-name-number shape ("0313 Finley Land
    Suite 858"). In a text without capitals, where any words before a number look like a name, only the
    first two count."""
    if match.group("unit") is not None or street_types().names_a_street(match.group("street")):
        return True
    if any_case:
        return False
    if view.cue_before(cues, match.start(), CUE_WINDOW):
        return True
    text = view.text
    building = match.group("building")
    if building is None:
        return False
    line_start = text.rfind("\n", 0, match.start()) + 1
    return len(building) >= MIN_BUILDING_DIGITS or not text[line_start : match.start()].strip(" >?*-\t")


def _may_hold_house_number(view: TextView) -> bool:
    """Cheap gate for the street-line pattern: a written group of at most five digits after spaces that
    follow the end of a word (a letter, an apostrophe, a hyphen or an abbreviation's full stop)."""
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


_CONTRACTION_ENDINGS = frozenset({"s", "re", "ll", "d", "ve"})


def _without_contraction(word: str) -> str:
    for apostrophe in "'’":
        head, found, tail = word.rpartition(apostrophe)
        if found and tail in _CONTRACTION_ENDINGS:
            return head
    return word


def _find_street_lines(view: TextView, cues: CueSet) -> Iterator[Candidate]:
    text = view.text
    if not _may_hold_house_number(view):
        return
    any_case = text.islower()
    if any_case and not _may_name_a_street(view.folded_focus_words):
        # Without capitals only a unit or a street type vouches for a line, and this text holds neither.
        return
    yield from _search_street_lines(view, _street_line(any_case, False), cues, any_case=any_case)
    if not _type_first_gate().isdisjoint(view.folded_focus_words):
        # A street type written first is never a stop word of the line ("Vila Cauê Borges").
        pattern = _street_line(any_case, True)
        yield from _search_street_lines(view, pattern, cues, any_case=any_case, stop_words=frozenset())


def _search_street_lines(
    view: TextView,
    pattern: TextPattern,
    cues: CueSet,
    *,
    any_case: bool,
    stop_words: frozenset[str] | None = None,
) -> Iterator[Candidate]:
    text = view.text
    stop_words = never_names() if stop_words is None else stop_words
    position = view.focus_start
    while (match := pattern.search(text, position)) is not None:
        # "It's 123 Main Street": a contraction is the stop word it starts with.
        first_word = _without_contraction(match.group("street").split(" ", 1)[0].rstrip(".").casefold())
        if (
            first_word in _NOT_STREETS
            or first_word in stop_words
            or not _has_address_evidence(view, match, cues, any_case=any_case)
        ):
            # The rejected words may hide a street line that starts inside them ("I'll meet you at 25615
            # Tawastintie 72"): search again from the next character; matches are short, so this stays linear.
            position = match.start() + 1
            continue
        yield Candidate(match.start(), match.end(), "ADDRESS", STREET_LINE_SCORE)
        position = match.end()


def _find_numberless_streets(view: TextView, cues: CueSet) -> Iterator[Candidate]:
    text = view.text
    words = view.folded_focus_words
    if not _NUMBERLESS_TYPE_WORDS.isdisjoint(words):
        for match in _numberless_street().finditer(text, view.focus_start):
            has_preposition = match.start("street") > match.start()
            if has_preposition or view.cue_before(cues, match.start(), CUE_WINDOW):
                yield Candidate(match.start("street"), match.end(), "ADDRESS", STREET_LINE_SCORE)
    if not words.isdisjoint(_numberless_first_types()) and view.mentions(cues):
        cue_ends = [cue.end() for cue in view.cue_matches(cues)]
        for match in _typed_first_street().finditer(text, view.focus_start):
            first_word = match.group().split(" ", 1)[0].casefold()
            width = ADJACENT_CUE_WIDTH if first_word in _AMBIGUOUS_FIRST_TYPES else CUE_WINDOW
            if _holds_value_between(cue_ends, match.start() - width, match.start()):
                yield Candidate(match.start(), match.end(), "ADDRESS", STREET_LINE_SCORE)


@dataclass(frozen=True)
class _TypedLayout:
    """A layout with a street-type word, and the cheap test a text must pass before the pattern runs."""

    pattern: TextPattern
    # Case-folded words one of which the layout needs as a word of its own (None: no such word).
    needs_one_of: frozenset[str] | None = None
    # Case-folded word endings one of which the layout needs (street types glued to the name).
    needs_ending: tuple[str, ...] | None = None

    def may_match(self, words: frozenset[str]) -> bool:
        if self.needs_one_of is not None and self.needs_one_of.isdisjoint(words):
            return False
        return self.needs_ending is None or any(word.endswith(self.needs_ending) for word in words)


@cache
def _typed_layouts(language: str) -> tuple[_TypedLayout, ...]:
    cues = load_cues(language)
    english = load_cues("en")
    suffix_words = english["street_suffixes"] + cues.get("street_suffixes", ())
    suffixes = _alternation(suffix_words)
    german_words = load_cues("de")["street_suffixes"]
    units = _alternation(english["unit_words"])
    word = r"[\p{Lu}\p{N}][\p{L}\p{N}'.\-]*"
    unit = rf"(?:,?[ ]+(?i:{units})\.?[ ]*[\w\-]{{1,6}})?"
    # A suffix stands as a word of its own, maybe in the plural ("Wells Shores").
    suffix_gate = _word_gate(suffix_words)
    layouts = [
        # A unit, then on the same line after a comma or on the next line, the street: "Flat 61\nKimberley
        # Stravenue" (British layout).
        _TypedLayout(
            TextPattern(
                rf"(?<![\w]){_UNIT}(?:,[ ]*|[ ]*\n[ >]*)(?:{word}[ ]+){{1,4}}(?i:{suffixes})s?\b",
                regex.UNICODE,
            ),
            needs_one_of=_UNIT_WORDS,
        ),
        _TypedLayout(
            # At least one name word before the type: "250 points" is no street.
            TextPattern(
                rf"(?<![\w])\d{{1,6}}[A-Za-z]?[ ]+(?:{word}[ ]+){{1,4}}(?i:{suffixes})s?\b\.?{unit}",
                regex.UNICODE,
            ),
            needs_one_of=None if suffix_gate is None else suffix_gate | {word + "s" for word in suffix_gate},
        ),
    ]
    if language == "de":
        # German layout: "Hauptstraße 5", "Anna-Trapp-Weg 6/8" (suffix glued to the name). The name is taken
        # possessively and its ending checked by lookbehind, so no word is rescanned.
        layouts.append(
            _TypedLayout(
                TextPattern(
                    rf"(?<![\w\-])[\p{{Lu}}][\p{{L}}\-]*+(?<=(?i:{_alternation(german_words)}))"
                    rf"[ ]+\d{{1,4}}[a-z]?"
                    rf"(?:[/\-]\d{{1,4}})?(?:,[ ]*\d{{4,5}}(?=[ ]))?",
                    regex.UNICODE,
                ),
                needs_ending=tuple(sorted({word.casefold() for word in german_words})),
            )
        )
    prefixes = cues.get("street_prefixes", ())
    first_types = prefixes + tuple(
        word for word in _numberless_first_types() if word not in _AMBIGUOUS_FIRST_TYPES
    )
    # The number first, then a street type written before the name: "85, avenue de Pineau", "1812 Rue De La
    # Gare" (French, Spanish, Italian... layouts, in a text of any language).
    layouts.append(
        _TypedLayout(
            TextPattern(
                rf"(?<![\w])\d{{1,4}}(?:[ ]?(?:bis|ter))?,?[ ]+(?i:{_alternation(first_types)})\.?[ ]+"
                rf"(?:[\p{{Lu}}][\p{{L}}'\-]*|(?:d[eu]s?|la|le|del){_STOP_AFTER_WORD}|l')"
                rf"(?:[ ]+(?:[\p{{Lu}}][\p{{L}}'\-]*|(?:d[eu]s?|la|le|del){_STOP_AFTER_WORD}))*",
                regex.UNICODE,
            ),
            needs_one_of=_word_gate(first_types),
        )
    )
    if prefixes:
        # The street type, the name, then the number, in the text's own language: "calle Mayor 5",
        # "Estrada Léo Vasconcelos, 18", "Rua das Flores nº 123, 2º D".
        layouts.append(
            _TypedLayout(
                TextPattern(
                    rf"(?<![\w])(?:{_alternation(prefixes)})\.?[ ]+(?:[\p{{L}}'.\-]+,?[ ]+){{0,5}}?"
                    rf"(?:n[ºo°]\.?[ ]*)?\d{{1,5}}[a-zA-Z]?"
                    rf"(?:,[ ]*\d{{1,2}}[ºª°]?[ ]*[\p{{L}}]?)?",
                    regex.UNICODE | regex.IGNORECASE,
                ),
                needs_one_of=_word_gate(prefixes),
            )
        )
    return tuple(layouts)


def _word_gate(words: tuple[str, ...]) -> frozenset[str] | None:
    """The case-folded first tokens of ``words`` (None when one of them has none)."""
    tokens = [first_token(word) for word in words]
    return None if None in tokens else frozenset(tokens)


@cache
def _english_suffix_words() -> frozenset[str]:
    """The English street suffixes as folded words, in the singular and the plural ("Wells Shores")."""
    words = [token for word in load_cues("en")["street_suffixes"] if (token := first_token(word)) is not None]
    return frozenset(words) | {word + "s" for word in words}


@cache
def _any_case_typed_layout() -> TextPattern:
    """The number, words, a street type: "3911 fourth avenue suite 112", for texts without capitals."""
    english = load_cues("en")
    units = _alternation(english["unit_words"])
    return TextPattern(
        rf"(?<![\w])\d{{1,6}}[a-z]?[ ]+(?:[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}'.\-]*[ ]+){{1,3}}"
        rf"(?i:{_alternation(english['street_suffixes'])})s?\b\.?"
        rf"(?P<unit>,?[ ]+(?i:{units})\.?[ ]*[\w\-]{{1,6}})?",
        regex.UNICODE,
    )


def _find_typed_layouts(view: TextView, cues: CueSet) -> Iterator[Candidate]:
    if view.text.islower() and not _english_suffix_words().isdisjoint(view.folded_focus_words):
        # Without capitals, "about 3 miles from the park" has the same shape: a unit or a cue must vouch.
        for match in _any_case_typed_layout().finditer(view.text, view.focus_start):
            if match.group("unit") is not None or view.cue_before(cues, match.start(), CUE_WINDOW):
                yield Candidate(match.start(), match.end(), "ADDRESS", TYPED_STREET_SCORE)
    for layout in _typed_layouts(view.language):
        if not layout.may_match(view.folded_focus_words):
            continue
        for match in layout.pattern.finditer(view.text, view.focus_start):
            end = match.end()
            while end > match.start() and view.text[end - 1] in " ,.\n":
                end -= 1
            yield Candidate(match.start(), end, "ADDRESS", TYPED_STREET_SCORE)


# The free-form address after a cue ends with its clause or its line (later lines are the locality's, read by
# the layouts); a full stop after a single capital ("P.O.") ends no clause.
_CLAUSE_END = TextPattern(
    r"(?<![\s.]\p{Lu})[.;!?](?:\s|$)|,?\s(?:and|but|please|thanks|thank)\b|\n|$",
    regex.IGNORECASE | regex.UNICODE,
)
_DIGIT = TextPattern(r"\d")
# An address starts with a number, a capital or a unit ("my address is wrong, i have 2 phones" is no address).
_ADDRESS_START = TextPattern(rf"\d|\p{{Lu}}|{_UNIT}", regex.UNICODE)
_WORD_OF_THREE = TextPattern(r"[^\W\d_]{3,}")


def _find_cued_addresses(view: TextView) -> Iterator[Candidate]:
    """Free-form addresses after "my address is": up to the end of the clause, when it holds a number."""
    text = view.text
    for match in view.cue_matches(cue_set(view.language, "address")):
        start = match.end()
        while start < len(text) and text[start] in " :\n\t":
            start += 1
        end_match = _CLAUSE_END.search(text, start, min(len(text), start + 100))
        end = end_match.start() if end_match else min(len(text), start + 100)
        value = text[start:end]
        if _ADDRESS_START.match(value) and _DIGIT.search(value) and _WORD_OF_THREE.search(value):
            yield Candidate(start, end, "ADDRESS", CUED_SCORE)


def _find_post_boxes(view: TextView) -> Iterator[Candidate]:
    if not _PO_BOX_WORDS.isdisjoint(view.folded_focus_words):
        for match in _PO_BOX.finditer(view.text, view.focus_start):
            yield Candidate(match.start(), match.end(), "ADDRESS", TYPED_STREET_SCORE)


def _find_structures(view: TextView) -> Iterator[Candidate]:
    """US military addresses and street corners: their shape is their evidence."""
    words = view.folded_focus_words
    for pattern, needs_one_of in ((_MILITARY, _MILITARY_POST_WORDS), (_CORNER, _CORNER_WORDS)):
        if not needs_one_of.isdisjoint(words):
            for match in pattern.finditer(view.text, view.focus_start):
                yield Candidate(match.start(), match.end(), "ADDRESS", STRUCTURED_SCORE)


_SENTENCE_GOES_ON = TextPattern(r"[ ]\p{Ll}", regex.UNICODE)
_UNIT_AFTER_SPACE = TextPattern(rf"[ ]{_UNIT}", regex.UNICODE)


def _may_stop_inside_address(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` may end an abbreviation ("St.") or a house number written with a
    full stop ("Erzsébet tér 19.") rather than the sentence: after a letter; after a digit only when a line
    break or a unit follows ("u. 97.\nPorto Alegre", "utca 76. Apt. 289"), not a postcode ("45678. Now")."""
    before = text[stop - 1 : stop]
    if before.isalpha():
        return True
    return before.isdigit() and (
        text[stop + 1 : stop + 2] == "\n" or _UNIT_AFTER_SPACE.match(text, stop + 1) is not None
    )


def _with_locality(text: str, candidates: Iterable[Candidate]) -> Iterator[Candidate]:
    for candidate in candidates:
        end = candidate.end
        extended = locality_end(text, end)
        # After a full stop ("123 Main St. Anytown", "Erzsébet tér 19.\n Suite 282"), a capitalised word may
        # start the next sentence instead ("789 Oak St. Thank you"): it is the locality only when no
        # lower-case word follows it.
        if extended == end and text[end : end + 1] == "." and _may_stop_inside_address(text, end):
            after_stop = locality_end(text, end + 1)
            if after_stop > end + 1 and not _SENTENCE_GOES_ON.match(text, after_stop):
                extended = after_stop
        yield Candidate(candidate.start, extended, candidate.label, candidate.score)


def _join_pieces(candidates: list[Candidate]) -> list[Candidate]:
    """One span per address: the overlapping pieces several layouts found of it are joined."""
    joined: list[Candidate] = []
    for candidate in sorted(candidates):
        if joined:
            last = joined[-1]
            if candidate.start < last.end:
                joined[-1] = Candidate(
                    last.start, max(last.end, candidate.end), last.label, max(last.score, candidate.score)
                )
                continue
        joined.append(candidate)
    return joined


def _find_addresses(view: TextView) -> Iterator[Candidate]:
    text = view.text
    cues = _address_cues(view.language)
    # Street names without a number are written with capitals; every other layout holds a digit.
    street_lines: list[Candidate] = []
    if not text.islower():
        street_lines.extend(_find_numberless_streets(view, cues))
    if view.focus_runs:
        street_lines.extend(_find_typed_layouts(view, cues))
        street_lines.extend(_find_post_boxes(view))
        street_lines.extend(_find_street_lines(view, cues))
    pieces = list(_with_locality(text, street_lines))
    if view.focus_runs:
        pieces.extend(_find_structures(view))
    if not _UNIT_WORDS.isdisjoint(view.folded_focus_words):
        # Sorted once, so each unit is placed among the street lines by bisection: linear-logarithmic.
        ends = sorted(piece.end for piece in pieces)
        starts = sorted(piece.start for piece in pieces)
        units = []
        for match in _LONE_UNIT.finditer(text, view.focus_start):
            # A unit on the lines after a street line, right before one, or after a cue, is an address.
            if (
                _holds_value_between(ends, match.start() - CUE_WINDOW, match.start())
                or _holds_value_between(starts, match.end(), match.end() + MIN_BUILDING_DIGITS)
                or view.cue_before(cues, match.start(), CUE_WINDOW)
            ):
                units.append(Candidate(match.start(), match.end(), "ADDRESS", STREET_LINE_SCORE))
        pieces.extend(units)
    addresses = _join_pieces(pieces)
    yield from addresses
    # The joined addresses are sorted and disjoint, so their ends are sorted too.
    address_ends = [address.end for address in addresses]
    for cued in _find_cued_addresses(view):
        index = bisect.bisect_right(address_ends, cued.start)
        if index == len(addresses) or cued.end <= addresses[index].start:
            yield cued


def _holds_value_between(values: list[int], low: int, high: int) -> bool:
    """Whether the sorted ``values`` hold one from ``low`` to ``high``."""
    index = bisect.bisect_left(values, low)
    return index < len(values) and values[index] <= high


RECOGNIZERS = (Recognizer("street_address", ("ADDRESS",), (), _find_addresses, accept_all),)
