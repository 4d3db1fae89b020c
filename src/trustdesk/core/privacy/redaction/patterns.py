"""Patterns compiled twice: ``regex`` for any text, and a ``re`` twin that is cheaper per call on most text.

The recognizers are written against the ``regex`` module (Unicode properties such as ``\\p{Lu}``,
variable-width lookbehind). Most customer messages are written in a few alphabets, where the standard
``re`` engine reads the same pattern several times faster. The twin reads texts written in
``TWIN_ALPHABET``: ASCII, the Latin-1, Latin Extended-A, Greek, Cyrillic and Hebrew letters
whose case maps one to one, and the common typographic punctuation and spaces. On those characters
``\\w``, ``\\d``, ``\\b`` and case-insensitive letters mean the same to both engines, ``\\p{Lu}`` and its
kin are spelled as the alphabet's members, ``\\p{M}`` matches nothing, and ``\\s`` is spelled out (``re``
also counts the control characters 0x1C-0x1F as spaces, ``regex`` does not). Characters the engines read
differently (superscript digits, connector punctuation, letters with special case mappings such as "ß" or
a final "ς") are left out of the alphabet, so a text holding one goes to ``regex``. A pattern the ``re``
engine cannot compile (variable-width lookbehind) keeps ``regex`` for every text. Every twin is checked
against its original in the tests (``TextPattern.ALL``).
"""

from __future__ import annotations

import re
import sys
import unicodedata
import weakref
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, ClassVar

import regex

TextMatch = re.Match[str] | regex.Match[str]


def _is_twin_character(char: str) -> bool:
    """Letters with one case partner, each mapping to the other, spaces, punctuation and symbols: never
    marks, controls, format characters, numbers beyond 0-9 or connector punctuation."""
    category = unicodedata.category(char)
    if category in ("Lu", "Ll"):
        lower, upper = char.lower(), char.upper()
        pair_maps_back = upper.lower() == lower and lower.upper() == upper
        return len(lower) == len(upper) == 1 and lower != upper and pair_maps_back
    return category in _TWIN_CATEGORIES


_TWIN_CATEGORIES = frozenset({"Lo", "Zs", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sc", "Sk", "Sm", "So"})
# Latin-1 Supplement, Latin Extended-A, Greek, Cyrillic, the Hebrew letters, General Punctuation (without
# line separators and format characters) and the euro sign, filtered by ``_is_twin_character``.
_TWIN_RANGES = (
    range(0xA0, 0x180),
    range(0x370, 0x500),
    range(0x5D0, 0x5EB),
    range(0x2010, 0x2028),
    range(0x2030, 0x205F),
    range(0x20AC, 0x20AD),
)
_TWIN_EXTRA = "".join(
    char for characters in _TWIN_RANGES for code in characters if _is_twin_character(char := chr(code))
)
TWIN_ALPHABET = "".join(map(chr, range(0x80))) + _TWIN_EXTRA


def _members(category: str) -> str:
    return "".join(char for char in _TWIN_EXTRA if unicodedata.category(char) == category)


# What each Unicode property means for the characters of the alphabet, inside a character class.
_TWIN_PROPERTIES = {
    "Lu": "A-Z" + _members("Lu"),
    "Ll": "a-z" + _members("Ll"),
    "L": "A-Za-z" + _members("Lu") + _members("Ll") + _members("Lo"),
    "N": "0-9",
    "M": "",
}
_TWIN_SPACES = "\\t\\n\\x0b\\x0c\\r " + _members("Zs")
_OUTSIDE_TWIN_ALPHABET = re.compile("[^" + re.escape(TWIN_ALPHABET) + "]")
_SUPPORTED_FLAGS = regex.IGNORECASE | regex.UNICODE


@lru_cache(maxsize=4)
def reads_as_twin(text: str) -> bool:
    """Whether every character of ``text`` is in ``TWIN_ALPHABET`` (answered once per text beyond ASCII:
    each recognizer's patterns ask about the same one or two texts in a row)."""
    return text.isascii() or _OUTSIDE_TWIN_ALPHABET.search(text) is None


class TextPattern:
    """A ``regex`` pattern that hands ``TWIN_ALPHABET`` texts to its ``re`` twin (same matches, same groups).

    The twin is compiled with the pattern (at import for most): it serves almost every text, and compiling
    it when the first text arrives would charge that text with it. The slower ``regex`` form is compiled
    when the first text that needs it arrives: most deployments read only twin text and never compile it.
    """

    # Every pattern alive, for the tests that hold each twin to its original.
    ALL: ClassVar[weakref.WeakSet[TextPattern]] = weakref.WeakSet()

    __slots__ = ("source", "flags", "twin", "_unicode", "__weakref__")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        # The ``re`` twin for text of ``TWIN_ALPHABET``; None when the pattern has no such form for ``re``.
        self.twin = _compile_twin(source, flags)
        self._unicode: Any = None
        TextPattern.ALL.add(self)

    @property
    def unicode(self) -> Any:
        """The ``regex`` pattern, for any text."""
        if self._unicode is None:
            self._unicode = regex.compile(self.source, self.flags)
        return self._unicode

    def engine_for(self, text: str) -> Any:
        """The compiled pattern to run on ``text`` (``str.isascii`` is answered without a scan)."""
        if self.twin is not None and (text.isascii() or reads_as_twin(text)):
            return self.twin
        return self.unicode

    # Each method picks its engine inline: these run tens of times per text, and a call to ``engine_for``
    # per pattern use costs as much as many of the matches themselves.
    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        twin = self.twin
        if twin is not None and (text.isascii() or reads_as_twin(text)):
            return twin.search(text, pos, endpos)
        return self.unicode.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        twin = self.twin
        if twin is not None and (text.isascii() or reads_as_twin(text)):
            return twin.match(text, pos, endpos)
        return self.unicode.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self.engine_for(text).fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[Any]:
        twin = self.twin
        if twin is not None and (text.isascii() or reads_as_twin(text)):
            return twin.finditer(text, pos, endpos)
        return self.unicode.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.engine_for(text).findall(text, pos, endpos)


def compile_unicode_forms() -> None:
    """Compile now the ``regex`` form of every pattern alive, which is otherwise compiled when the first
    text beyond ``TWIN_ALPHABET`` arrives (see ``engine.prepare``)."""
    for pattern in list(TextPattern.ALL):
        pattern.unicode  # noqa: B018 - the property compiles on first access


def _compile_twin(source: str, flags: int) -> re.Pattern[str] | None:
    if flags & ~_SUPPORTED_FLAGS:
        return None
    try:
        return re.compile(twin_source(source), re.IGNORECASE if flags & regex.IGNORECASE else 0)
    except (re.error, ValueError):
        return None


def twin_source(source: str) -> str:
    """``source`` rewritten for the ``re`` engine as it reads ``TWIN_ALPHABET`` text (ValueError when it
    cannot be)."""
    out: list[str] = []
    in_class = False
    class_start = 0
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            escape = source[index : index + 2]
            if escape in ("\\p", "\\P"):
                close = source.index("}", index)
                name = source[index + 3 : close]
                if escape == "\\P" or name not in _TWIN_PROPERTIES:
                    raise ValueError(f"no twin form for {source[index : close + 1]}")
                members = _TWIN_PROPERTIES[name]
                out.append(members if in_class else f"[{members}]" if members else "(?!)")
                index = close + 1
                continue
            if escape == "\\s":
                out.append(_TWIN_SPACES if in_class else f"[{_TWIN_SPACES}]")
            elif escape == "\\S":
                if in_class:
                    raise ValueError("no twin form for \\S inside a class")
                out.append(f"[^{_TWIN_SPACES}]")
            else:
                out.append(escape)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            # A "]" or "^]" right after the opening bracket is a member, not the end of the class.
            if source[index + 1 : index + 2] == "^":
                out.append("^")
                index += 1
            if source[index + 1 : index + 2] == "]":
                out.append("\\]")
                index += 1
            class_start = len(out)
        elif char == "]" and in_class:
            in_class = False
            if not "".join(out[class_start:]):
                raise ValueError("a class left empty on the twin alphabet")
            out.append(char)
        else:
            out.append(char)
        index += 1
    return "".join(out)
