"""Phrase packs: per-language word lists for the phrase-based criteria, shipped as TOML data files.

A phrase matches on word boundaries after case and accent folding; a trailing ``*`` matches any word
ending ("apologi*" finds "apologise" and "apologize").

Some conduct has a grammatical shape no word list covers ("to" + any verb states a purpose), so a pack
may also hold ``[patterns]``: regular expressions over folded text, per ``PATTERN_CATEGORIES``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

# The categories every pack may fill; criteria ask for these names, so a typo in a pack is an error.
CATEGORIES: tuple[str, ...] = (
    "greeting",
    "closing",
    "recording_notice",
    "purpose_statement",
    "empathy",
    "customer_distress",
    "location_question",
    "location_disclosure",
    "location_evasion",
    "resolution_done",
    "next_step_owner",
    "time_marker",
    "already_said",
    "blame",
    "canned",
    "request_cue",
    # A customer reporting that something failed ("can't log in", "no ha llegado"): empathy is due, and
    # said after a fix it means the fix did not hold.
    "problem_report",
    # The part of those reports that is the company's failure, not a fault to troubleshoot: a parcel that
    # never came, money taken twice, a broken delivery. Told calmly it still calls for an apology; a
    # technical symptom ("my wifi drops every evening") does not.
    "service_failure",
    # A completed fix is a perfect/past marker ("I've", "habe", "j'ai", "ya") and a fixing verb
    # ("refunded", "storniert", "annulé") in one sentence; either alone says nothing.
    "done_marker",
    "resolving_action",
    # Words that turn a completed fix into its absence ("not", "noch nicht", "pas encore").
    "negation",
    # Verbs that make a purpose clause empty: "to continue, send your ID" states no purpose.
    "empty_purpose",
    # Owners nobody can hold to a promise: "someone will call you", "the concerned team will revert".
    "vague_owner",
    # Progress without an outcome: "your request has been registered", "wird bearbeitet", "we will revert".
    # A sentence saying it resolves nothing and promises nothing, whatever fixing verb it also holds.
    "vague_promise",
    # A customer taking an answer as final ("ok great, thanks", "super merci", "theek hai", "sige po").
    "acceptance",
    # Giving up rather than accepting: "fine, whatever", "na gut, dann warte ich halt", "sige na nga".
    "resignation",
    # Cheer that is misplaced as the reply to distress ("Great!" to a bereavement).
    "cheer",
    # A question with a "where" word close to a word for the addressee asks where the agent is ("wo sitzt
    # ihr?", "nasaan po ba kayo?") however it is phrased; the stock ``location_question`` phrases cannot.
    "where_word",
    "addressee",
    # Answers that dodge "where are you?" with a claim about quality instead ("all our agents are trained
    # to Acme standards"): neither a location nor the partner's name.
    "location_dodge",
    # A question about the agent that names an outside company ("¿Acme o una empresa externa?", "ya
    # outsourced?"): it asks who provides the service, in whatever sentence it comes.
    "outside_party",
    # Distress that is downplayed rather than voiced, read in the customer's problem statement: a wait of a
    # week or more ("three weeks", "15 dias"), a problem that puts a livelihood or health at stake (pension,
    # salary, medicine), or a customer apologising for bothering anyone with it ("I'm sure it's nothing").
    "long_wait",
    "stakes",
    "self_effacing",
)

# Regular-expression categories. ``purpose_clause``: a clause stating why data is asked ("to" + verb,
# "para" + infinitive, "um ... zu"); a named group ``verb`` lets ``empty_purpose`` veto the match.
PATTERN_CATEGORIES: tuple[str, ...] = ("purpose_clause",)


@dataclass(frozen=True)
class PhrasePack:
    language: str
    phrases: dict[str, tuple[str, ...]]
    data_requests: dict[str, tuple[str, ...]]
    sentiment_positive: tuple[str, ...]
    sentiment_negative: tuple[str, ...]
    markers: tuple[str, ...]
    accepted_spellings: tuple[str, ...]
    fillers: tuple[str, ...]
    patterns: dict[str, tuple[str, ...]]


class PhrasePackError(ValueError):
    pass


@functools.cache
def _fold_table() -> dict[int, str]:
    import unicodedata

    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        base = unicodedata.normalize("NFKD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base
    # Typographic apostrophes (phones and mail clients type them) read as the phrase packs' "'".
    table[0x2018] = table[0x2019] = "'"
    return table


@functools.cache
def _latin1_fold_bytes() -> bytes:
    # ``_fold_table`` as a byte table: bytes.translate is a plain array lookup per character, where
    # str.translate looks each character up in a dictionary.
    table = _fold_table()
    return bytes(ord(table.get(code, chr(code))) for code in range(256))


def fold_text(text: str) -> str:
    """Lowercase ``text`` and strip Latin accents, keeping every character at its index."""
    if text.isascii():
        # No accent to strip, and lowering ASCII keeps the length: spares the table lookup per character.
        return text.lower()
    if max(text) <= "\xff":
        # Accented Spanish, French, German and Portuguese text is Latin-1 through and through.
        stripped = text.encode("latin-1").translate(_latin1_fold_bytes()).decode("latin-1")
    else:
        stripped = text.translate(_fold_table())
    folded = stripped.lower()
    # lower() lengthens a few characters (e.g. "İ"); keep offsets usable by not lowering then.
    return folded if len(folded) == len(text) else stripped


_WILDCARD = object()  # trie key marking "any word ending from here" (a trailing "*")
_END = ""  # trie key marking the end of a phrase


def _trie_pattern(node: dict, gap: str) -> str:
    # A trie turned into nested alternations: the engine never retries a shared prefix, which makes one
    # search over ~1,500 phrases of seven languages about ten times faster than a flat alternation.
    branches = []
    for key in sorted((k for k in node if isinstance(k, str) and k), key=lambda k: k):
        branches.append((gap if key == " " else re.escape(key)) + _trie_pattern(node[key], gap))
    if _WILDCARD in node:
        branches.append(r"\w*")
    is_optional = _END in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not is_optional else "(?:" + "|".join(branches) + ")"
    return body + "?" if is_optional else body


def compile_phrases(phrases: tuple[str, ...], *, fillers: tuple[str, ...] = ()) -> re.Pattern[str] | None:
    """One trie-shaped alternation over ``phrases`` with word boundaries; None for an empty list.

    Between two words of a phrase, any run of whitespace matches, and so does any of ``fillers``
    (particles such as Tagalog "po" that speakers insert anywhere).
    """
    if not phrases:
        return None
    trie: dict = {}
    for phrase in phrases:
        folded = fold_text(phrase.strip())
        node = trie
        for char in folded.rstrip("*"):
            node = node.setdefault(char, {})
        node[_WILDCARD if folded.endswith("*") else _END] = {}
    # The stdlib engine runs these plain alternations about four times faster than ``regex``.
    skipped = "|".join(re.escape(word) for word in sorted(fillers))
    gap = rf"(?:\s+(?:{skipped}))*\s+" if fillers else r"\s+"
    return re.compile(r"(?<!\w)" + _trie_pattern(trie, gap) + r"(?!\w)")


# Words as the phrase patterns see them: a run of characters ``\w`` matches, in the stdlib engine.
_WORD_RUN = re.compile(r"\w+")


def phrase_key(phrase: str) -> tuple[str, bool] | None:
    """A word every text matching ``phrase`` contains, and whether it may be only that word's beginning.

    Each word of a phrase is bounded by a non-word character or a word boundary in the compiled pattern,
    so a matching text holds it as a whole word; only a trailing ``word*`` may be the start of a longer
    one. The longest whole word is the rarest guess. None when the phrase has no word (never skip it).
    """
    folded = fold_text(phrase.strip())
    body = folded.rstrip("*")
    words = _WORD_RUN.findall(body)
    is_open_ended = body != folded and _WORD_RUN.fullmatch(body[-1:]) is not None
    whole_words = words[:-1] if is_open_ended else words
    if whole_words:
        return max(whole_words, key=len), False
    if is_open_ended:
        return words[-1], True
    return None


# On ASCII text a word character is a letter, a digit or "_": blanking every other byte lets str.split, a few
# times faster than the regex scan, cut the same words.
_ASCII_NON_WORD_TO_SPACE = bytes(
    code if chr(code).isalnum() or chr(code) == "_" else ord(" ") for code in range(128)
) + bytes(range(128, 256))


def text_words(folded: str) -> frozenset[str]:
    """The distinct words of folded text, as ``phrase_key`` defines words."""
    if folded.isascii():
        return frozenset(folded.encode("ascii").translate(_ASCII_NON_WORD_TO_SPACE).decode("ascii").split())
    return frozenset(_WORD_RUN.findall(folded))


def _string_tuple(value: object, *, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise PhrasePackError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


@functools.cache
def load_phrase_pack(language: str) -> PhrasePack:
    """The shipped phrase pack for a supported language code (e.g. "en", "hi-Latn")."""
    name = f"{language}.toml"
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    raw_phrases = data.get("phrases", {})
    unknown = sorted(set(raw_phrases) - set(CATEGORIES))
    if unknown:
        raise PhrasePackError(f"{name}: unknown phrase categories {unknown}")
    raw_patterns = data.get("patterns", {})
    unknown = sorted(set(raw_patterns) - set(PATTERN_CATEGORIES))
    if unknown:
        raise PhrasePackError(f"{name}: unknown pattern categories {unknown}")
    patterns = {
        key: _string_tuple(raw_patterns.get(key, []), where=f"{name} [patterns].{key}")
        for key in PATTERN_CATEGORIES
    }
    for key, expressions in patterns.items():
        for expression in expressions:
            try:
                re.compile(expression)
            except re.error as error:
                raise PhrasePackError(f"{name} [patterns].{key}: {expression!r}: {error}") from error
    sentiment = data.get("sentiment", {})
    return PhrasePack(
        language=language,
        phrases={
            key: _string_tuple(raw_phrases.get(key, []), where=f"{name} [phrases].{key}")
            for key in CATEGORIES
        },
        data_requests={
            label: _string_tuple(words, where=f"{name} [data_requests].{label}")
            for label, words in sorted(data.get("data_requests", {}).items())
        },
        sentiment_positive=_string_tuple(sentiment.get("positive", []), where=f"{name} [sentiment].positive"),
        sentiment_negative=_string_tuple(sentiment.get("negative", []), where=f"{name} [sentiment].negative"),
        markers=_string_tuple(data.get("markers", []), where=f"{name} markers"),
        accepted_spellings=_string_tuple(
            data.get("accepted_spellings", []), where=f"{name} accepted_spellings"
        ),
        fillers=_string_tuple(data.get("fillers", []), where=f"{name} fillers"),
        patterns=patterns,
    )
