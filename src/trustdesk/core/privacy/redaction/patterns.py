"""Patterns compiled twice: ``regex`` for any text, and a ``re`` twin that is cheaper per call on ASCII text.

The recognizers are written against the ``regex`` module (Unicode properties such as ``\\p{Lu}``,
variable-width lookbehind). Most customer messages are plain ASCII, where the standard ``re`` engine reads
the same pattern several times faster: on ASCII text ``\\w``, ``\\d``, ``\\b`` and case-insensitive
letters mean the same to both engines, ``\\p{Lu}`` is ``[A-Z]``, ``\\p{M}`` matches nothing, and ``\\s``
is spelled out (``re`` also counts the control characters 0x1C-0x1F as spaces, ``regex`` does not).
A pattern the ``re`` engine cannot compile (variable-width lookbehind) keeps ``regex`` for every text.
Every twin is checked against its original in the tests (``TextPattern.ALL``).
"""

from __future__ import annotations

import re
import sys
import weakref
from collections.abc import Iterator
from typing import Any, ClassVar

import regex

TextMatch = re.Match[str] | regex.Match[str]

# What each Unicode property means for ASCII characters, inside a character class.
_ASCII_PROPERTIES = {"Lu": "A-Z", "Ll": "a-z", "L": "A-Za-z", "N": "0-9", "M": ""}
_ASCII_SPACES = "\\t\\n\\x0b\\x0c\\r "
_SUPPORTED_FLAGS = regex.IGNORECASE | regex.UNICODE


class TextPattern:
    """A ``regex`` pattern that hands ASCII texts to its ``re`` twin (same matches, same groups).

    Each engine is compiled once, when the first text that needs it arrives: most deployments read only
    ASCII text and never compile the slower ``regex`` form of most patterns, and a cue set's per-word
    patterns (``lexicon.CueSet.patterns_among``) cost one cheap compile each.
    """

    # Every pattern alive, for the tests that hold each twin to its original.
    ALL: ClassVar[weakref.WeakSet[TextPattern]] = weakref.WeakSet()

    __slots__ = ("source", "flags", "_unicode", "_ascii", "__weakref__")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._unicode: Any = None
        self._ascii: re.Pattern[str] | None | object = _NOT_COMPILED
        TextPattern.ALL.add(self)

    @property
    def unicode(self) -> Any:
        """The ``regex`` pattern, for any text."""
        if self._unicode is None:
            self._unicode = regex.compile(self.source, self.flags)
        return self._unicode

    @property
    def ascii(self) -> re.Pattern[str] | None:
        """The ``re`` twin for ASCII text; None when the pattern has no ASCII form for ``re``."""
        if self._ascii is _NOT_COMPILED:
            self._ascii = _ascii_twin(self.source, self.flags)
        return self._ascii  # type: ignore[return-value]

    def engine_for(self, text: str) -> Any:
        """The compiled pattern to run on ``text`` (``str.isascii`` is answered without a scan)."""
        if text.isascii():
            twin = self.ascii
            if twin is not None:
                return twin
        return self.unicode

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self.engine_for(text).search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self.engine_for(text).match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self.engine_for(text).fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[Any]:
        return self.engine_for(text).finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.engine_for(text).findall(text, pos, endpos)


_NOT_COMPILED = object()


def _ascii_twin(source: str, flags: int) -> re.Pattern[str] | None:
    if flags & ~_SUPPORTED_FLAGS:
        return None
    try:
        return re.compile(ascii_source(source), re.IGNORECASE if flags & regex.IGNORECASE else 0)
    except (re.error, ValueError):
        return None


def ascii_source(source: str) -> str:
    """``source`` rewritten for the ``re`` engine as it reads ASCII text (ValueError when it cannot be)."""
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
                if escape == "\\P" or name not in _ASCII_PROPERTIES:
                    raise ValueError(f"no ASCII form for {source[index : close + 1]}")
                members = _ASCII_PROPERTIES[name]
                out.append(members if in_class else f"[{members}]" if members else "(?!)")
                index = close + 1
                continue
            if escape == "\\s":
                out.append(_ASCII_SPACES if in_class else f"[{_ASCII_SPACES}]")
            elif escape == "\\S":
                if in_class:
                    raise ValueError("no ASCII form for \\S inside a class")
                out.append(f"[^{_ASCII_SPACES}]")
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
                raise ValueError("a class left empty on ASCII")
            out.append(char)
        else:
            out.append(char)
        index += 1
    return "".join(out)
