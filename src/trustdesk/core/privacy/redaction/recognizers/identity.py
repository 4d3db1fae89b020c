"""National identifiers (python-stdnum checksums), IBANs, bank and customer account numbers."""

from __future__ import annotations

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
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all


@dataclass(frozen=True)
class DigitIdSpec:
    """An all-digit national id: its length, checksum, and the written layout that needs no cue word."""

    name: str
    length: int
    is_valid: Callable[[str], bool]
    layout: regex.Pattern[str] | None


DIGIT_IDS = (
    DigitIdSpec("us_ssn", 9, ssn.is_valid, regex.compile(r"\d{3}([- ])\d{2}\1\d{4}")),
    DigitIdSpec("in_aadhaar", 12, aadhaar.is_valid, regex.compile(r"[2-9]\d{3}([- ])\d{4}\1\d{4}")),
    DigitIdSpec("br_cpf", 11, cpf.is_valid, regex.compile(r"\d{3}\.\d{3}\.\d{3}-\d{2}")),
    DigitIdSpec("fr_nir", 15, nir.is_valid, regex.compile(r"[12] ?\d{2} ?\d{2} ?\d{2} ?\d{3} ?\d{3} ?\d{2}")),
    DigitIdSpec("de_idnr", 11, idnr.is_valid, None),
    DigitIdSpec("pt_nif", 9, nif.is_valid, None),
    # NHS numbers only with the word "NHS" nearby: any 10 grouped digits pass its mod-11 one time in eleven.
    DigitIdSpec("gb_nhs", 10, nhs.is_valid, None),
)
_ID_LENGTHS = frozenset(spec.length for spec in DIGIT_IDS)


def _find_digit_ids(view: TextView) -> Iterator[Candidate]:
    """Whole digit runs only: a valid id inside a longer run is more likely part of another number."""
    cues = cue_set(view.language, "national_id")
    for run in view.focus_runs:
        digits = run.digits
        if len(digits) not in _ID_LENGTHS:
            continue
        written = view.text[run.start : run.end]
        if _is_digit_id(view, digits, written, has_cue=cues.occurs_in(view.window_before(run.start))):
            yield Candidate(run.start, run.end, "NATIONAL_ID", 0.95)


def _is_digit_id(view: TextView, digits: str, written: str, *, has_cue: bool) -> bool:
    for spec in DIGIT_IDS:
        if spec.length != len(digits) or not spec.is_valid(digits):
            continue
        if spec.name == "gb_nhs":
            if regex.search(r"(?i)\bnhs\b", view.text):
                return True
            continue
        if has_cue or (spec.layout is not None and spec.layout.fullmatch(written)):
            return True
    return False


# UK National Insurance number: HMRC excludes D, F, I, Q, U, V in both prefix letters and O as the second.
_NINO = regex.compile(
    r"(?<![\w])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])",
    regex.IGNORECASE,
)
_PAN = regex.compile(r"(?<![\w])[A-Z]{5}\d{4}[A-Z](?![\w])", regex.IGNORECASE)
_SPANISH_ID = regex.compile(r"(?<![\w])(?:\d{8}|[XYZ]-?\d{7})-?[A-Z](?![\w])", regex.IGNORECASE)


# Letter-bearing ids are looked for in the languages of the countries that issue them.
_LETTERED_IDS_BY_LANGUAGE = {"en": (_NINO, _PAN), "es": (_SPANISH_ID,)}


def _find_lettered_ids(view: TextView) -> Iterator[Candidate]:
    if not view.focus_runs:
        return
    for pattern in _LETTERED_IDS_BY_LANGUAGE.get(view.language, ()):
        for match in pattern.finditer(view.text, view.focus_start):
            yield Candidate(match.start(), match.end(), "NATIONAL_ID", 0.95)


def _validate_lettered_id(view: TextView, candidate: Candidate) -> bool:
    value = view.text[candidate.start : candidate.end].upper()
    compact = value.replace(" ", "").replace("-", "")
    if _NINO.fullmatch(value):
        return True
    if _PAN.fullmatch(value):
        return pan.is_valid(compact)
    return dni.is_valid(compact) or nie.is_valid(compact)


_IBAN = regex.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![\w])", regex.IGNORECASE)


def _find_ibans(view: TextView) -> Iterator[Candidate]:
    if not view.focus_runs:
        return
    for match in _IBAN.finditer(view.text, view.focus_start):
        value = match.group()
        # The pattern may swallow a following word in capitals: shrink group by group until it validates.
        end = match.end()
        while end - match.start() >= 15:
            if iban.is_valid(view.text[match.start() : end].upper()):
                yield Candidate(match.start(), end, "IBAN", 1.0)
                break
            space = value.rfind(" ", 0, end - match.start())
            if space <= 0:
                break
            end = match.start() + space


def _find_account_numbers(view: TextView) -> Iterator[Candidate]:
    bank_cues = cue_set(view.language, "bank_account")
    account_cues = cue_set(view.language, "account_number")
    for run in view.focus_runs:
        if not 5 <= len(run.digits) <= 20:
            continue
        before = view.window_before(run.start, 40)
        if bank_cues.occurs_in(before):
            yield Candidate(run.start, run.end, "BANK_ACCOUNT", 0.92)
        elif account_cues.occurs_in(before):
            yield Candidate(_extend_alnum_prefix(view.text, run.start), run.end, "ACCOUNT_NUMBER", 0.92)


def _extend_alnum_prefix(text: str, start: int) -> int:
    """Account numbers like ``AC-00912345``: take the letters and dash glued to the digits."""
    match = regex.search(r"[A-Za-z]{1,4}-?$", text[max(0, start - 5) : start])
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
