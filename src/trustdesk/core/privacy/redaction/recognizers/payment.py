"""Payment cards (Luhn + issuer ranges), card security codes and expiry dates, the last two only near a card."""

from __future__ import annotations

from collections.abc import Iterator

import regex
from stdnum import luhn

from trustdesk.core.privacy.redaction.lexicon import CueSet, cue_set
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all
from trustdesk.core.privacy.redaction.spoken import DigitRun

CARD_DIGITS = (13, 19)
# A 16-digit run that passes Luhn is still a timestamp or an order number one time in ten: require an
# issuer range too (ISO/IEC 7812 major industry identifiers 2-6 as networks publish them).
_SECOND_DIGITS_OF_3 = frozenset("0456789")
# JCB issued 15-digit cards under 1800 and 2131 before moving to 35xx.
_LEGACY_JCB_PREFIXES = frozenset({"1800", "2131"})
# Maestro allows 12 to 19 digits; 12-digit runs count only where the text speaks about a card.
MAESTRO_SHORTEST = 12


def has_issuer_prefix(digits: str) -> bool:
    """Whether ``digits`` starts like a card of a major network (incl. Mastercard 2221-2720)."""
    first = digits[0]
    if len(digits) == 15 and digits[:4] in _LEGACY_JCB_PREFIXES:
        return True
    if first == "2":
        return 2221 <= int(digits[:4]) <= 2720
    if first == "3":
        return digits[1] in _SECOND_DIGITS_OF_3
    return first in "456"


def is_card_number(digits: str, *, allow_short_maestro: bool = False) -> bool:
    """Luhn-valid, 13-19 digits (12 for Maestro when asked), with an issuer prefix."""
    shortest = MAESTRO_SHORTEST if allow_short_maestro and digits[:1] in "56" else CARD_DIGITS[0]
    return (
        shortest <= len(digits) <= CARD_DIGITS[1]
        and digits.isdigit()
        and has_issuer_prefix(digits)
        and luhn.is_valid(digits)
    )


def find_card_windows(run: DigitRun, *, allow_short_maestro: bool = False) -> Iterator[tuple[int, int]]:
    """Token windows ``(first, last_exclusive)`` of ``run`` that read as a card, longest first at each start."""
    tokens = run.tokens
    index = 0
    while index < len(tokens):
        best = None
        digits = ""
        for last in range(index, len(tokens)):
            digits += tokens[last].digits
            if len(digits) > CARD_DIGITS[1]:
                break
            if is_card_number(digits, allow_short_maestro=allow_short_maestro):
                best = last + 1
        if best is None:
            index += 1
            continue
        yield index, best
        index = best


def _find_cards(view: TextView) -> Iterator[Candidate]:
    not_payment = cue_set(view.language, "not_payment")
    card_cues = cue_set(view.language, "card")
    if not view.focus_runs:
        return
    speaks_of_cards = _mentions(view, card_cues)
    for run in view.focus_runs:
        if len(run.digits) < MAESTRO_SHORTEST:
            continue
        for first, last in find_card_windows(run, allow_short_maestro=speaks_of_cards):
            start, end = run.tokens[first].start, run.tokens[last - 1].end
            if view.text[start - 1 : start] == "+":
                continue
            before = view.window_before(start, 40)
            if not_payment.occurs_in(before) and not card_cues.occurs_in(before):
                continue
            yield Candidate(start, end, "CARD", 1.0)


def has_card_context(view: TextView) -> bool:
    """Whether the text talks about a card: a card cue word or a card number."""
    if _mentions(view, cue_set(view.language, "card")) or _mentions(view, cue_set(view.language, "cvv")):
        return True
    return any(_holds_card(run) for run in view.digit_runs)


def _mentions(view: TextView, cues: CueSet) -> bool:
    return cues.may_occur_among(view.folded_words) and cues.occurs_in(view.text)


def _holds_card(run: DigitRun) -> bool:
    return len(run.digits) >= CARD_DIGITS[0] and any(True for _ in find_card_windows(run))


def _find_security_codes(view: TextView) -> Iterator[Candidate]:
    cvv_cues = cue_set(view.language, "cvv")
    if not view.focus_runs or not _mentions(view, cvv_cues) or not has_card_context(view):
        return
    for run in view.focus_runs:
        if len(run.digits) not in (3, 4):
            continue
        if cvv_cues.occurs_in(view.window_before(run.start, 40)):
            yield Candidate(run.start, run.end, "CVV", 0.85)


_NUMERIC_EXPIRY = regex.compile(r"(?<![\d/])(0?[1-9]|1[0-2])\s?[/\-.]\s?(\d{2}|20\d{2})(?![\d/])")


def _find_expiry_dates(view: TextView) -> Iterator[Candidate]:
    if not view.focus_runs:
        return
    written = list(_NUMERIC_EXPIRY.finditer(view.text, view.focus_start))
    spoken = [run for run in view.focus_runs if _is_spoken_month_first(run)]
    # The card context (which may scan the previous turn's digits) is checked only for a possible expiry.
    if not (written or spoken) or not has_card_context(view):
        return
    expiry_cues = cue_set(view.language, "expiry")
    card_ends = [run.end for run in view.digit_runs if _holds_card(run)] if written else []
    for match in written:
        # "4111 1111 1111 1111 09/27 123": an expiry written right after the card number needs no cue.
        follows_card = any(0 <= match.start() - end <= 6 for end in card_ends)
        if follows_card or expiry_cues.occurs_in(view.window_before(match.start(), 40)):
            yield Candidate(match.start(), match.end(), "CARD_EXPIRY", 0.8)
    for run in spoken:
        if expiry_cues.occurs_in(view.window_before(run.start, 40)):
            yield Candidate(run.start, run.end, "CARD_EXPIRY", 0.8)


def _is_spoken_month_first(run: DigitRun) -> bool:
    digits = run.digits
    spoken = any(token.is_spoken for token in run.tokens)
    return spoken and len(digits) in (4, 6) and 1 <= int(digits[:2]) <= 12


RECOGNIZERS = (
    Recognizer("card_number", ("CARD",), (), _find_cards, accept_all),
    Recognizer("card_security_code", ("CVV",), (), _find_security_codes, accept_all),
    Recognizer("card_expiry", ("CARD_EXPIRY",), (), _find_expiry_dates, accept_all),
)
