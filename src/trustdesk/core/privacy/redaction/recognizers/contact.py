"""Phone numbers (phonenumbers, several regions), email addresses (spoken forms too) and IP addresses."""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache, lru_cache

import phonenumbers
import regex
from email_validator import EmailNotValidError, validate_email
from phonenumbers import PhoneMetadata

from trustdesk.core.privacy.redaction.lexicon import CueSet, cue_set
from trustdesk.core.privacy.redaction.patterns import TextPattern
from trustdesk.core.privacy.redaction.recognizers.payment import is_card_number
from trustdesk.core.privacy.redaction.registry import Candidate, Recognizer, TextView, accept_all
from trustdesk.core.privacy.redaction.spoken import DigitToken

# Regions tried for numbers written without a country code, by language (first is the most likely).
PHONE_REGIONS: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB", "IN", "AU", "IE"),
    "es": ("ES", "MX", "AR", "CO", "US"),
    "fr": ("FR", "BE", "CA", "CH"),
    "de": ("DE", "AT", "CH"),
    "pt": ("BR", "PT"),
}
PHONE_DIGITS = (7, 15)
# Without a country code or a phone cue word, fewer than 9 digits is a local fragment far more often than
# a phone number (every region's full national number, trunk prefix included, has at least 9 above).
NATIONAL_MIN_DIGITS = 9


def is_phone_number(digits: str, *, has_plus: bool, regions: tuple[str, ...], has_cue: bool = False) -> bool:
    """Whether ``digits`` is a valid number for one of ``regions`` (or internationally with a plus sign)."""
    if has_plus:
        return _is_valid("+" + digits, None)
    if len(digits) < NATIONAL_MIN_DIGITS:
        return has_cue and any(_is_valid_local(digits, region) for region in regions)
    if digits.startswith("00") and _is_valid("+" + digits[2:], None):
        return True
    return any(_has_possible_length(digits, region) and _is_valid(digits, region) for region in regions)


def is_phone_number_anywhere(digits: str, *, has_plus: bool) -> bool:
    """Whether ``digits`` can be a phone number of any country: valid for some region ``phonenumbers``
    knows, or, dialled with a country code (a plus sign or "00"), of a possible length for that code.

    Nearly every string of 7 to 12 digits is valid somewhere, so this is for numbers a word names as a
    telephone line ("Mobile:", "... office"). Numbers of the ranges kept for drama and tests
    ("+44 7700 900123") are possible but not valid.
    """
    if has_plus:
        return _is_possible_international(digits)
    if digits.startswith("00"):
        return _is_possible_international(digits[2:])
    return _is_valid_in_some_region(digits)


@lru_cache(maxsize=8192)
def _is_possible_international(digits: str) -> bool:
    try:
        parsed = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(parsed)


@lru_cache(maxsize=8192)
def _is_valid_in_some_region(digits: str) -> bool:
    # One pattern per national prefix and length gates the regions; the parser has the last word.
    for prefix, shapes, members in _regions_by_national_prefix():
        match = prefix.match(digits) if prefix is not None else None
        for national in (digits,) if match is None else (digits, digits[match.end() :]):
            shape = shapes.get(len(national))
            if shape is None or shape.match(national) is None:
                continue
            for region, country_code in members:
                own = _valid_number_shapes(country_code).get(len(national))
                if own is not None and own.match(national) is not None and _is_valid(digits, region):
                    return True
    return False


_NationalGroup = tuple[re.Pattern[str] | None, dict[int, re.Pattern[str]], tuple[tuple[str, int], ...]]


@cache
def _regions_by_national_prefix() -> tuple[_NationalGroup, ...]:
    """Every region, grouped by the national prefix the parser strips (``national_prefix_for_parsing``),
    with one pattern per national-number length that every valid number of the group's country codes
    matches (``_valid_number_shapes`` joined)."""
    members: dict[str | None, list[tuple[str, int]]] = defaultdict(list)
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is not None and metadata.country_code is not None:
            members[metadata.national_prefix_for_parsing or None].append((region, metadata.country_code))
    groups: list[_NationalGroup] = []
    for prefix, regions in members.items():
        sources: dict[int, list[str]] = defaultdict(list)
        for country_code in dict.fromkeys(code for _region, code in regions):
            for length, source in _valid_number_shape_sources(country_code).items():
                sources[length].append(source)
        shapes = {length: re.compile("|".join(parts)) for length, parts in sources.items()}
        groups.append((_pattern(prefix) if prefix else None, shapes, tuple(regions)))
    return tuple(groups)


def _has_possible_length(digits: str, region: str) -> bool:
    """Cheap pre-check from the region's metadata before the costly parse."""
    prefix, lengths = _region_shape(region)
    national = digits[len(prefix) :] if prefix and digits.startswith(prefix) else digits
    return len(national) in lengths or len(digits) in lengths


@cache
def _region_shape(region: str) -> tuple[str, frozenset[int]]:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.general_desc is None:
        return "", frozenset(range(PHONE_DIGITS[0], PHONE_DIGITS[1] + 1))
    return metadata.national_prefix or "", frozenset(metadata.general_desc.possible_length or ())


# Parsing is the costly step of phone detection; the same digits recur across turns and texts.
@lru_cache(maxsize=8192)
def _is_valid(number: str, region: str | None) -> bool:
    if not _may_be_valid(number, region):
        return False
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def _may_be_valid(number: str, region: str | None) -> bool:
    """A necessary condition for ``_is_valid``, read from the same metadata without parsing.

    ``phonenumbers`` calls a number valid when its national significant number fully matches the general
    pattern and one number-type pattern of a region sharing its country code. Parsing only strips
    prefixes: with a plus sign, the country code; without one, the region's country code when the digits
    start with it, and a national prefix (``national_prefix_for_parsing``) before or after that. So the
    national number is the digits themselves or one of the few that stripping can leave, unless the
    parsing region rewrites numbers (a national prefix transform rule) or the digits may start with an
    international call prefix: those are left to the parser.
    """
    if region is None:
        country_code, national = _split_country_code(number.lstrip("+"))
        if country_code is None:
            return True
        if _rewrites_numbers(_main_metadata(country_code)):
            return True
        shapes = _valid_number_shapes(country_code)
        return any(
            pattern.match(national, len(national) - length) is not None
            for length, pattern in shapes.items()
            if length <= len(national)
        )
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or _rewrites_numbers(metadata):
        return True
    if metadata.international_prefix and _pattern(metadata.international_prefix).match(number):
        return True
    country_code = metadata.country_code
    # Digits read as starting with the country code are parsed on with the code's main region.
    main = _main_metadata(country_code)
    if _rewrites_numbers(main):
        return True
    nationals = {number, *_without_national_prefix(number, metadata)}
    code = str(country_code)
    if number.startswith(code):
        for rest in (number[len(code) :], *_without_national_prefix(number[len(code) :], metadata)):
            nationals.add(rest)
            nationals.update(_without_national_prefix(rest, main))
    shapes = _valid_number_shapes(country_code)
    return any(
        (shape := shapes.get(len(national))) is not None and shape.match(national) is not None
        for national in nationals
    )


def _without_national_prefix(number: str, metadata: PhoneMetadata | None) -> tuple[str, ...]:
    """``number`` after the national prefix the parser may strip from it (empty: none to strip)."""
    prefix = metadata.national_prefix_for_parsing if metadata is not None else None
    match = _pattern(prefix).match(number) if prefix and number else None
    return () if match is None else (number[match.end() :],)


def _rewrites_numbers(metadata: PhoneMetadata | None) -> bool:
    return metadata is None or bool(metadata.national_prefix_transform_rule)


@cache
def _main_metadata(country_code: int) -> PhoneMetadata | None:
    region = phonenumbers.region_code_for_country_code(country_code)
    return PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)


def _split_country_code(digits: str) -> tuple[int | None, str]:
    """The country calling code ``phonenumbers`` reads at the start of international digits (1-3 digits)."""
    if digits[:1] in ("", "0"):
        return None, digits
    for size in range(1, min(3, len(digits)) + 1):
        if int(digits[:size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return int(digits[:size]), digits[size:]
    return None, digits


@cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


_NUMBER_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)


@cache
def _valid_number_shapes(country_code: int) -> dict[int, re.Pattern[str]]:
    """Per national-number length, one pattern every valid number of ``country_code`` matches from its
    start to the end of the digits (the general and one type pattern of a region sharing the code)."""
    sources = _valid_number_shape_sources(country_code)
    return {length: re.compile(source) for length, source in sources.items()}


@cache
def _valid_number_shape_sources(country_code: int) -> dict[int, str]:
    """The sources of ``_valid_number_shapes``."""
    alternatives: dict[int, list[str]] = defaultdict(list)
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
        metadata = (
            PhoneMetadata.metadata_for_nongeo_region(country_code)
            if region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY
            else PhoneMetadata.metadata_for_region(region)
        )
        if metadata is None:
            continue
        general = metadata.general_desc
        if general is None or not general.national_number_pattern:
            continue
        for length in range(1, 18):
            if not _allows_length(general, length):
                continue
            types = [
                desc.national_number_pattern
                for desc in (getattr(metadata, name) for name in _NUMBER_TYPES)
                if desc is not None and desc.national_number_pattern and _allows_length(desc, length)
            ]
            if types:
                alternatives[length].append(
                    rf"(?=(?:{general.national_number_pattern})\Z)(?:{'|'.join(f'(?:{t})' for t in types)})\Z"
                )
    return {length: "|".join(parts) for length, parts in alternatives.items()}


def _allows_length(desc: phonenumbers.PhoneNumberDesc, length: int) -> bool:
    # No listed lengths means the lengths of the general description, as in ``phonenumbers``.
    return not desc.possible_length or length in desc.possible_length


@lru_cache(maxsize=8192)
def _is_valid_local(number: str, region: str) -> bool:
    """A subscriber number dialled without its area code ("555 0132"), as people give it after a cue."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(parsed) and len(number) >= PHONE_DIGITS[0]


def _find_phones(view: TextView) -> Iterator[Candidate]:
    runs = view.focus_runs
    if not any(len(run.digits) >= PHONE_DIGITS[0] for run in runs):
        return
    regions = PHONE_REGIONS.get(view.language, PHONE_REGIONS["en"])
    text = view.text
    not_personal = cue_set(view.language, "not_payment")
    phone_cues = cue_set(view.language, "phone")
    line_names = cue_set(view.language, "phone_line")
    line_labels = cue_set(view.language, "phone_label")
    may_be_named = view.has_cue_word(line_names)
    # Texts without a label word skip the label check after each number.
    labels = line_labels if view.has_cue_word(line_labels) else None
    # A number in the previous turn's tail stands between a line name there and this turn's first number.
    previous_end = _context_digits_end(view) if view.focus_start and may_be_named else 0
    for run in runs:
        # A line name vouches for the next number only: no other digits may come between them.
        named_width = min(LINE_NAME_WIDTH, run.start - previous_end)
        previous_end = run.end
        if len(run.digits) < PHONE_DIGITS[0]:
            continue
        # "order 946892565" is a valid Irish or Spanish number too; the cue word says what it is.
        if view.cue_before(not_personal, run.start, 24):
            continue
        tokens = run.tokens
        is_international = text[run.start - 1 : run.start] == "+"
        if is_card_number(run.digits) and not is_international:
            continue
        index = 0
        while index < len(tokens):
            has_cue = view.cue_before(phone_cues, tokens[index].start, 32)
            is_named = index == 0 and may_be_named and view.cue_before(line_names, run.start, named_width)
            found = _longest_phone_from(
                text, tokens, index, regions, has_cue=has_cue, is_named=is_named, labels=labels
            )
            if found is None:
                index += 1
                continue
            start, end, index, vouched = found
            # Below street addresses ("at 17151 2450 Crown St") unless a cue or a country code vouches.
            score = 0.9 if has_cue or vouched or text[start : start + 1] == "+" else 0.8
            yield Candidate(_include_open_paren(text, start), end, "PHONE", score)


def _context_digits_end(view: TextView) -> int:
    """Where the last digit run of the context (the text before ``focus_start``) ends; 0 if it has none."""
    context_runs = view.digit_runs[: len(view.digit_runs) - len(view.focus_runs)]
    return context_runs[-1].end if context_runs else 0


# How far before a number a line name counts ("Phone:\n", "call me on", "not answering at").
LINE_NAME_WIDTH = 32
# What may stand between a number and the label after it: "416 60 039 office", "3660170548-Fax", "(mobile)".
_LABEL_GAP = TextPattern(r"[ \t\-\u2013(]{0,3}")


def _label_follows(text: str, end: int, labels: CueSet) -> bool:
    """Whether a line label ("office", "fax") follows the number ending at ``end``, on its line."""
    return labels.pattern.match(text, _LABEL_GAP.match(text, end).end()) is not None


def _longest_phone_from(
    text: str,
    tokens: tuple[DigitToken, ...],
    index: int,
    regions: tuple[str, ...],
    *,
    has_cue: bool,
    is_named: bool,
    labels: CueSet | None,
) -> tuple[int, int, int, bool] | None:
    """The longest phone number made of whole tokens starting at ``index``: ``(start, end, next index,
    whether a line name or label vouched for it)``. A number a line name precedes (``is_named``) or a line
    label follows may belong to any country. ``labels`` is None when the text holds no label word."""
    start = tokens[index].start
    has_plus = text[start - 1 : start] == "+" if start else False
    windows: list[tuple[int, str]] = []
    digits = ""
    for last in range(index, len(tokens)):
        digits += tokens[last].digits
        if len(digits) > PHONE_DIGITS[1]:
            break
        if len(digits) >= PHONE_DIGITS[0]:
            windows.append((last + 1, digits))
    for stop, digits in reversed(windows):
        end = tokens[stop - 1].end
        if _DATE_OR_IP.match(text[start:end]) or _TIME_AFTER.match(text, end):
            continue
        if has_plus and "(0)" in text[start:end]:
            # "+49 (0) 6321 547105": the bracketed trunk zero is dialled only from inside the country.
            digits = "".join(char for char in text[start:end].replace("(0)", "") if char.isdigit())
        vouched = is_named or (labels is not None and _label_follows(text, end, labels))
        if is_phone_number(digits, has_plus=has_plus, regions=regions, has_cue=has_cue) or (
            vouched and is_phone_number_anywhere(digits, has_plus=has_plus)
        ):
            return (start - 1 if has_plus else start), end, stop, vouched
    return None


_TIME_AFTER = TextPattern(r":\d")
# A date or an IPv4 address ends there: "01.84.17.61.18" (a French number) is neither.
_DATE_OR_IP = TextPattern(
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|(?:\d{1,3}\.){3}\d{1,3})"
    r"(?!\d|[-/.]\d)"
)


def _include_open_paren(text: str, start: int) -> int:
    return start - 1 if start > 0 and text[start - 1] == "(" else start


_EMAIL_CANDIDATE = TextPattern(
    r"(?<![\w.+\-@])[\w.+\-']{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}(?![\w@])", regex.UNICODE
)
# "john dot smith at example dot com"; words, not symbols, so the spoken form is bounded by word counts.
_SPOKEN_EMAIL = TextPattern(
    r"(?<![\w])(?P<local>[^\W\d_]\w{0,30}(?:\s+(?:dot|underscore|dash|punto|point|punkt|ponto)\s+\w{1,30}){0,3})"
    r"\s+(?:at|arroba|arobase|chez|ät)\s+"
    r"(?P<domain>[^\W_]\w{0,30}(?:\s+(?:dot|punto|point|punkt|ponto)\s+[^\W\d_]{2,12}){1,3})(?![\w])",
    regex.IGNORECASE | regex.UNICODE,
)
_SPOKEN_DOT_WORDS = frozenset({"dot", "punto", "point", "punkt", "ponto"})
_SPOKEN_AT_WORDS = frozenset({"at", "arroba", "arobase", "chez", "ät"})
_SPOKEN_SYMBOLS = {
    "dot": ".",
    "punto": ".",
    "point": ".",
    "punkt": ".",
    "ponto": ".",
    "underscore": "_",
    "dash": "-",
}


def is_email_address(value: str) -> bool:
    """Strict syntax check (RFC 5322 subset accepted by email-validator, no DNS)."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def spoken_email_to_address(spoken: str) -> str:
    """``"john dot smith at example dot com"`` -> ``"john.smith@example.com"``."""
    words = spoken.split()
    local_end = max(
        i for i, word in enumerate(words) if word.lower() in {"at", "arroba", "arobase", "chez", "ät"}
    )

    def join(part: list[str]) -> str:
        return "".join(_SPOKEN_SYMBOLS.get(word.lower(), word) for word in part)

    return f"{join(words[:local_end])}@{join(words[local_end + 1 :])}"


def _find_emails(view: TextView) -> Iterator[Candidate]:
    if view.occurs_in_focus("@"):
        for match in _EMAIL_CANDIDATE.finditer(view.text, view.focus_start):
            start, end = match.start(), match.end()
            while end > start and view.text[end - 1] in ".-":
                end -= 1
            yield Candidate(start, end, "EMAIL", 0.95)
    # A spoken address says "at" and "dot" (or their translations) as words of their own.
    words = view.folded_focus_words
    if not _SPOKEN_DOT_WORDS.isdisjoint(words) and not _SPOKEN_AT_WORDS.isdisjoint(words):
        for match in _SPOKEN_EMAIL.finditer(view.text, view.focus_start):
            yield Candidate(match.start(), match.end(), "EMAIL", 0.9)


def _validate_email(view: TextView, candidate: Candidate) -> bool:
    value = view.text[candidate.start : candidate.end]
    if "@" not in value:
        value = spoken_email_to_address(value)
        if not _KNOWN_TOP_LEVEL_DOMAIN.search(value):
            return False
    return is_email_address(value)


_KNOWN_TOP_LEVEL_DOMAIN = TextPattern(
    r"\.(?:com|net|org|edu|gov|io|co|uk|es|fr|de|pt|br|mx|info|biz|us|ca|in)$"
)


_IPV4 = TextPattern(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]|\.\d)")
_IPV6 = TextPattern(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")


def _find_ip_addresses(view: TextView) -> Iterator[Candidate]:
    text, focus_start = view.text, view.focus_start
    # Four octets joined by single dots are four digit groups of one run; digits beyond ASCII are no
    # digit groups of the scan, so such texts go to the pattern directly.
    if text.count(".", focus_start) >= 3 and (
        not text.isascii() or any(len(run.tokens) >= 4 for run in view.focus_runs)
    ):
        for match in _IPV4.finditer(text, focus_start):
            yield Candidate(match.start(), match.end(), "IP_ADDRESS", 0.95)
    # The validator keeps only IPv6 addresses with three colons or more.
    if text.count(":", focus_start) >= 3:
        for match in _IPV6.finditer(text, focus_start):
            yield Candidate(match.start(), match.end(), "IP_ADDRESS", 0.95)


def _validate_ip_address(view: TextView, candidate: Candidate) -> bool:
    value = view.text[candidate.start : candidate.end]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    # "10:30:00" parses as nothing, but "1::" style fragments of times do: demand real IPv6 content.
    return address.version == 4 or value.count(":") >= 3


RECOGNIZERS = (
    Recognizer("email_address", ("EMAIL",), (), _find_emails, _validate_email),
    Recognizer("phone_number", ("PHONE",), (), _find_phones, accept_all),
    Recognizer("ip_address", ("IP_ADDRESS",), (), _find_ip_addresses, _validate_ip_address),
)
