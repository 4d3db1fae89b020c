"""Payment cards (Luhn + issuer ranges), card security codes and expiry dates, the last two only near a card."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from stdnum import luhn

from trustdesk.core.privacy.redaction.lexicon import cue_set
from trustdesk.core.privacy.redaction.patterns import TextPattern
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all
from trustdesk.core.privacy.redaction.spoken import DigitRun

CARD_DIGITS = (13, 19)
# A 16-digit run that passes Luhn is still a timestamp or an order number one time in ten: require an
# issuer range too (ISO/IEC 7812 major industry identifiers 2-6 as networks publish them).
_SECOND_DIGITS_OF_3 = frozenset("0456789")
# JCB issued 15-digit cards under 1800 and 2131 before moving to 35xx.
_LEGACY_JCB_PREFIXES = frozenset({"1800", "2131"})
# Every issuer prefix below starts with one of these.
_ISSUER_FIRST_DIGITS = frozenset("123456")
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
        # The checksum itself; ``luhn.is_valid`` adds input cleaning these digit strings do not need.
        and luhn.checksum(digits) == 0
    )


def find_card_windows(run: DigitRun, *, allow_short_maestro: bool = False) -> tuple[tuple[int, int], ...]:
    """Token windows ``(first, last_exclusive)`` of ``run`` that read as a card, the longest at each start."""
    if len(run.digits) < (MAESTRO_SHORTEST if allow_short_maestro else CARD_DIGITS[0]):
        return ()
    return _card_windows(tuple([token.digits for token in run.tokens]), allow_short_maestro)


# The card, expiry and security-code recognizers all ask about the same runs of one text.
@lru_cache(maxsize=1024)
def _card_windows(token_digits: tuple[str, ...], allow_short_maestro: bool) -> tuple[tuple[int, int], ...]:
    """The longest card window at the earliest start, and so on after it; in a run long enough for two cards,
    the non-overlapping windows that cover the most digits instead: two cards read side by side are two
    cards, even where a longer first window happens to pass the checksum ("2221 0000 0000 0 6247 …")."""
    if sum(len(digits) for digits in token_digits) >= 2 * MAESTRO_SHORTEST:
        return _most_covering_windows(token_digits, allow_short_maestro)
    windows = []
    index = 0
    while index < len(token_digits):
        ends = _card_ends(token_digits, index, allow_short_maestro)
        if not ends:
            index += 1
            continue
        windows.append((index, max(ends)))
        index = max(ends)
    return tuple(windows)


def _most_covering_windows(token_digits: tuple[str, ...], allow_short_maestro: bool) -> tuple[tuple[int, int], ...]:
    count = len(token_digits)
    ends = [_card_ends(token_digits, first, allow_short_maestro) for first in range(count)]
    # covered[i]: the most digits card windows can cover in tokens i onwards; choice[i]: the window end taken
    # at i (None: token i is left out).
    covered = [0] * (count + 1)
    choice: list[int | None] = [None] * (count + 1)
    for first in range(count - 1, -1, -1):
        covered[first], choice[first] = covered[first + 1], None
        width = 0
        for last in range(first, count):
            width += len(token_digits[last])
            # ``>=``: on a tie the window starting here wins over skipping, and the longer over the shorter.
            if last + 1 in ends[first] and width + covered[last + 1] >= covered[first]:
                covered[first], choice[first] = width + covered[last + 1], last + 1
    windows = []
    index = 0
    while index < count:
        end = choice[index]
        if end is None:
            index += 1
            continue
        windows.append((index, end))
        index = end
    return tuple(windows)


def _card_ends(token_digits: tuple[str, ...], first: int, allow_short_maestro: bool) -> frozenset[int]:
    """Every ``last_exclusive`` for which the tokens from ``first`` read as a card number."""
    # Every issuer prefix starts with 1 to 6 (``has_issuer_prefix``): windows starting otherwise are never read.
    if token_digits[first][0] not in _ISSUER_FIRST_DIGITS:
        return frozenset()
    ends = set()
    digits = ""
    for last in range(first, len(token_digits)):
        digits += token_digits[last]
        if len(digits) > CARD_DIGITS[1]:
            break
        if is_card_number(digits, allow_short_maestro=allow_short_maestro):
            ends.add(last + 1)
    return frozenset(ends)


def _find_cards(view: TextView) -> Iterator[Candidate]:
    long_runs = [run for run in view.focus_runs if len(run.digits) >= MAESTRO_SHORTEST]
    if not long_runs:
        return
    not_payment = cue_set(view.language, "not_payment")
    card_cues = cue_set(view.language, "card")
    speaks_of_cards = view.mentions(card_cues)
    for run in long_runs:
        for first, last in find_card_windows(run, allow_short_maestro=speaks_of_cards):
            start, end = run.tokens[first].start, run.tokens[last - 1].end
            if view.text[start - 1 : start] == "+":
                continue
            if view.cue_before(not_payment, start, 40) and not view.cue_before(card_cues, start, 40):
                continue
            yield Candidate(start, end, "CARD", 1.0)


def has_card_context(view: TextView) -> bool:
    """Whether the text talks about a card: a card cue word or a card number."""
    if view.mentions(cue_set(view.language, "card")) or view.mentions(cue_set(view.language, "cvv")):
        return True
    return any(_holds_card(run) for run in view.digit_runs)


def _holds_card(run: DigitRun) -> bool:
    return bool(find_card_windows(run))


def _find_security_codes(view: TextView) -> Iterator[Candidate]:
    short_runs = [run for run in view.focus_runs if len(run.digits) in (3, 4)]
    if not short_runs:
        return
    cvv_cues = cue_set(view.language, "cvv")
    if not view.mentions(cvv_cues):
        return
    if not has_card_context(view):
        return
    for run in short_runs:
        if view.cue_before(cvv_cues, run.start, 40):
            yield Candidate(run.start, run.end, "CVV", 0.85)


_EXPIRY_SEPARATORS = "/-."
_NUMERIC_EXPIRY = TextPattern(r"(?<![\d/])(0?[1-9]|1[0-2])\s?[/\-.]\s?(\d{2}|20\d{2})(?![\d/])")


def _find_expiry_dates(view: TextView) -> Iterator[Candidate]:
    if not view.focus_runs:
        return
    written = []
    if _may_hold_written_expiry(view):
        written = list(_NUMERIC_EXPIRY.finditer(view.text, view.focus_start))
    expiry_cues = cue_set(view.language, "expiry")
    # A spoken expiry counts only after an expiry cue, so without a cue word there is none.
    spoken = []
    if view.has_cue_word(expiry_cues):
        spoken = [run for run in view.focus_runs if _is_spoken_month_first(run)]
    # The card context (which may scan the previous turn's digits) is checked only for a possible expiry.
    if not (written or spoken):
        return
    card_ends = [run.end for run in view.digit_runs if _holds_card(run)] if written else []
    if not card_ends and not has_card_context(view):
        return
    for match in written:
        # "4111 1111 1111 1111 09/27 123": an expiry written right after the card number needs no cue.
        follows_card = any(0 <= match.start() - end <= 6 for end in card_ends)
        if follows_card or view.cue_before(expiry_cues, match.start(), 40):
            yield Candidate(match.start(), match.end(), "CARD_EXPIRY", 0.8)
    for run in spoken:
        if view.cue_before(expiry_cues, run.start, 40):
            yield Candidate(run.start, run.end, "CARD_EXPIRY", 0.8)


def _may_hold_written_expiry(view: TextView) -> bool:
    """Cheap gate for ``_NUMERIC_EXPIRY``: a 1-2 digit group, then within three characters holding a
    separator, a 2 or 4 digit group. Texts with digits beyond ASCII go to the pattern directly."""
    if not view.text.isascii():
        return True
    text = view.text
    previous = None
    for run in view.focus_runs:
        for token in run.tokens:
            if (
                previous is not None
                and not token.is_spoken
                and len(token.digits) in (2, 4)
                and token.start - previous.end <= 3
                and any(separator in text[previous.end : token.start] for separator in _EXPIRY_SEPARATORS)
            ):
                return True
            previous = token if not token.is_spoken and len(token.digits) <= 2 else None
    return False


def _is_spoken_month_first(run: DigitRun) -> bool:
    digits = run.digits
    return run.has_spoken and len(digits) in (4, 6) and 1 <= int(digits[:2]) <= 12


RECOGNIZERS = (
    Recognizer("card_number", ("CARD",), (), _find_cards, accept_all),
    Recognizer("card_security_code", ("CVV",), (), _find_security_codes, accept_all),
    Recognizer("card_expiry", ("CARD_EXPIRY",), (), _find_expiry_dates, accept_all),
)
