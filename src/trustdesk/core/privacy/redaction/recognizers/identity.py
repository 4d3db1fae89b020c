"""National identifiers (python-stdnum checksums), IBANs, bank and customer account numbers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import regex
from stdnum import iban
from stdnum.br import cpf
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.in_ import aadhaar, pan
from stdnum.pt import nif
from stdnum.us import ssn

from trustdesk.core.privacy.redaction.lexicon import cue_set
from trustdesk.core.privacy.redaction.patterns import TextPattern
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all
from trustdesk.core.privacy.redaction.spoken import DigitRun, DigitToken


@dataclass(frozen=True)
class DigitIdSpec:
    """An all-digit national id: its length, checksum, and the written layout that needs no cue word."""

    name: str
    length: int
    is_valid: Callable[[str], bool]
    layout: TextPattern | None


DIGIT_IDS = (
    DigitIdSpec("us_ssn", 9, ssn.is_valid, TextPattern(r"\d{3}([- ])\d{2}\1\d{4}")),
    DigitIdSpec("in_aadhaar", 12, aadhaar.is_valid, TextPattern(r"[2-9]\d{3}([- ])\d{4}\1\d{4}")),
    DigitIdSpec("br_cpf", 11, cpf.is_valid, TextPattern(r"\d{3}\.\d{3}\.\d{3}-\d{2}")),
    DigitIdSpec("fr_nir", 15, nir.is_valid, TextPattern(r"[12] ?\d{2} ?\d{2} ?\d{2} ?\d{3} ?\d{3} ?\d{2}")),
    DigitIdSpec("de_idnr", 11, idnr.is_valid, None),
    DigitIdSpec("pt_nif", 9, nif.is_valid, None),
    # NHS numbers only with the word "NHS" nearby: any 10 grouped digits pass its mod-11 one time in eleven.
    DigitIdSpec("gb_nhs", 10, nhs.is_valid, None),
)
_DIGIT_IDS_BY_LENGTH = {
    length: tuple(spec for spec in DIGIT_IDS if spec.length == length) for length in {s.length for s in DIGIT_IDS}
}
_ID_LENGTHS = frozenset(_DIGIT_IDS_BY_LENGTH)


def _find_digit_ids(view: TextView) -> Iterator[Candidate]:
    """Whole digit runs only: a valid id inside a longer run is more likely part of another number."""
    for run in view.focus_runs:
        if len(run.digits) in _ID_LENGTHS and _is_digit_id(view, run):
            yield Candidate(run.start, run.end, "NATIONAL_ID", 0.95)


def _is_digit_id(view: TextView, run: DigitRun) -> bool:
    digits = run.digits
    has_cue = None
    # The layout, cue and "NHS" checks are cheap; the checksum runs only when one of them vouches.
    for spec in _DIGIT_IDS_BY_LENGTH[len(digits)]:
        if spec.name == "gb_nhs":
            vouched = "nhs" in view.folded_words and _NHS.search(view.text) is not None
        elif spec.layout is not None and spec.layout.fullmatch(view.text, run.start, run.end):
            vouched = True
        else:
            if has_cue is None:
                has_cue = view.cue_before(cue_set(view.language, "national_id"), run.start)
            vouched = has_cue
        if vouched and spec.is_valid(digits):
            return True
    return False


_NHS = TextPattern(r"(?i)\bnhs\b")


# UK National Insurance number: HMRC excludes D, F, I, Q, U, V in both prefix letters and O as the second.
_NINO = TextPattern(
    r"(?<![\w])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])",
    regex.IGNORECASE,
)
_PAN = TextPattern(r"(?<![\w])[A-Z]{5}\d{4}[A-Z](?![\w])", regex.IGNORECASE)
_SPANISH_ID = TextPattern(r"(?<![\w])(?:\d{8}|[XYZ]-?\d{7})-?[A-Z](?![\w])", regex.IGNORECASE)


def _letters_start(text: str, token: DigitToken, count: int, *, space: bool = False) -> int | None:
    """Where ``count`` letters (then maybe one space) standing right before ``token`` start, if they do."""
    start = token.start - 1 if space and text[token.start - 1 : token.start] == " " else token.start
    return start - count if start >= count and text[start - count : start].isalpha() else None


# Where a letter-bearing id starts, read from its first digit group: NINO "QQ 12 34 56 C" (two letters,
# maybe a space, then two, four or six digits), PAN "ABCDE1234F" (five letters, four digits), DNI
# "12345678Z" (eight digits) and NIE "X1234567L" or "X-1234567L" (seven digits). None: no id starts there.
def _nino_start(text: str, token: DigitToken) -> int | None:
    return _letters_start(text, token, 2, space=True) if len(token.digits) in (2, 4, 6) else None


def _pan_start(text: str, token: DigitToken) -> int | None:
    return _letters_start(text, token, 5) if len(token.digits) == 4 else None


def _spanish_id_start(text: str, token: DigitToken) -> int | None:
    if len(token.digits) == 8:
        return token.start
    if len(token.digits) == 7:
        before = text[max(0, token.start - 2) : token.start].upper()
        if before[-1:] in ("X", "Y", "Z"):
            return token.start - 1
        if before in ("X-", "Y-", "Z-"):
            return token.start - 2
    return None


# Letter-bearing ids are looked for in the languages of the countries that issue them.
_LETTERED_IDS_BY_LANGUAGE = {
    "en": ((_NINO, _nino_start), (_PAN, _pan_start)),
    "es": ((_SPANISH_ID, _spanish_id_start),),
}


# A decimal digit other than 0-9, which the patterns' "\d" reads and the digit scan does not.
_DIGIT_BEYOND_ASCII = re.compile(r"(?![0-9])\d")


def _find_lettered_ids(view: TextView) -> Iterator[Candidate]:
    searches = _LETTERED_IDS_BY_LANGUAGE.get(view.language)
    if searches is None or not view.focus_runs:
        return
    text, focus_start = view.text, view.focus_start
    if not text.isascii() and _DIGIT_BEYOND_ASCII.search(text) is not None:
        # Digits beyond ASCII are no digit groups of the scan: such texts are scanned by the patterns.
        for pattern, _id_start in searches:
            for match in pattern.finditer(text, focus_start):
                yield Candidate(match.start(), match.end(), "NATIONAL_ID", 0.95)
        return
    tokens = [token for run in view.focus_runs for token in run.tokens if not token.is_spoken]
    for pattern, id_start in searches:
        # Every match starts where one of its digit groups says, so the pattern is tried there alone: in
        # text order and never inside the previous match, as a scan finds them.
        end = focus_start
        for start in sorted({start for token in tokens if (start := id_start(text, token)) is not None}):
            if start >= end and (match := pattern.match(text, start)) is not None:
                yield Candidate(match.start(), match.end(), "NATIONAL_ID", 0.95)
                end = match.end()


def _validate_lettered_id(view: TextView, candidate: Candidate) -> bool:
    value = view.text[candidate.start : candidate.end].upper()
    compact = value.replace(" ", "").replace("-", "")
    if _NINO.fullmatch(value):
        return True
    if _PAN.fullmatch(value):
        return pan.is_valid(compact)
    return dni.is_valid(compact) or nie.is_valid(compact)


_IBAN = TextPattern(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![\w])", regex.IGNORECASE)


def _find_ibans(view: TextView) -> Iterator[Candidate]:
    # The check digits are a written digit group right after the two letters of the country code.
    text = view.text
    if not any(
        not token.is_spoken and text[token.start - 2 : token.start].isalpha()
        for run in view.focus_runs
        for token in run.tokens
        if token.start >= 2
    ):
        return
    for match in _IBAN.finditer(view.text, view.focus_start):
        value = match.group()
        # The pattern may swallow a following word in capitals: shrink group by group until it validates.
        end = match.end()
        while end - match.start() >= 15:
            candidate = view.text[match.start() : end].upper()
            if _passes_mod_97(candidate) and iban.is_valid(candidate):
                yield Candidate(match.start(), end, "IBAN", 1.0)
                break
            space = value.rfind(" ", 0, end - match.start())
            if space <= 0:
                break
            end = match.start() + space


# ISO 13616: letters count as 10-35; the country code and check digits move to the end.
_IBAN_LETTER_VALUES = {
    ord(letter): str(value) for value, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10)
}
_IBAN_ALPHABET = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _passes_mod_97(value: str) -> bool:
    """The IBAN checksum alone (``stdnum.iban`` checks it first too): most candidates fail it, cheaply."""
    compact = value.replace(" ", "")
    if not _IBAN_ALPHABET.issuperset(compact):
        return False
    return int((compact[4:] + compact[:4]).translate(_IBAN_LETTER_VALUES)) % 97 == 1


def _find_account_numbers(view: TextView) -> Iterator[Candidate]:
    runs = [run for run in view.focus_runs if 5 <= len(run.digits) <= 20]
    if not runs:
        return
    bank_cues = cue_set(view.language, "bank_account")
    account_cues = cue_set(view.language, "account_number")
    # Each kind needs its cue word somewhere in the text.
    may_be_bank = view.has_cue_word(bank_cues)
    may_be_account = view.has_cue_word(account_cues)
    if not (may_be_bank or may_be_account):
        return
    for run in runs:
        if may_be_bank and view.cue_before(bank_cues, run.start, 40):
            yield Candidate(run.start, run.end, "BANK_ACCOUNT", 0.92)
        elif may_be_account and view.cue_before(account_cues, run.start, 40):
            yield Candidate(_extend_alnum_prefix(view.text, run.start), run.end, "ACCOUNT_NUMBER", 0.92)


_ALNUM_PREFIX = TextPattern(r"[A-Za-z]{1,4}-?$")


def _extend_alnum_prefix(text: str, start: int) -> int:
    """Account numbers like ``AC-00912345``: take the letters and dash glued to the digits."""
    match = _ALNUM_PREFIX.search(text[max(0, start - 5) : start])
    if match is None:
        return start
    prefix_start = max(0, start - 5) + match.start()
    return prefix_start if prefix_start == 0 or not text[prefix_start - 1].isalnum() else start


RECOGNIZERS = (
    Recognizer("iban", ("IBAN",), (), _find_ibans, accept_all),
    Recognizer("national_id_digits", ("NATIONAL_ID",), (), _find_digit_ids, accept_all),
    Recognizer("national_id_lettered", ("NATIONAL_ID",), (), _find_lettered_ids, _validate_lettered_id),
    Recognizer("account_number", ("BANK_ACCOUNT", "ACCOUNT_NUMBER"), (), _find_account_numbers, accept_all),
)
