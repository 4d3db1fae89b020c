"""Reading a turn after its context: the focused scan must equal scanning context and turn together."""

from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.model import Speaker, Turn
from trustdesk.core.privacy.redaction.engine import CONTEXT_CHARS, _detect_with_context, detect_candidates
from trustdesk.core.privacy.redaction.lexicon import cue_set, fold_words, health_terms
from trustdesk.core.privacy.redaction.spoken import find_digit_runs, scan_digit_runs

FRAGMENTS = [
    "what is the security code?",
    "seven three one",
    "my card number is 4111 1111 1111 1111",
    "09/27",
    "double",
    "five five",
    "my name is Ana Ruiz",
    "Hi Ana, thanks",
    "my address is",
    "12 Main Street, Springfield",
    "call me on 415 555 0132",
    "date of birth",
    "1990-04-12",
    "I have diabetes",
    "email john dot smith at example dot com",
    "order 946892565",
    "okay",
    "IBAN DE89 3704 0044 0532 0130 00",
    "Anna Ruis here",
    "",
]
turn_texts = st.lists(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=5
)


@settings(max_examples=150, deadline=None)
@given(turn_texts, st.sampled_from(["en", "es", "fr"]))
def test_turn_entities_equal_scanning_context_and_turn_together(texts: list[str], language: str) -> None:
    turns = [Turn(speaker=Speaker.CUSTOMER, text=text, offset_seconds=float(i)) for i, text in enumerate(texts)]
    names = ("Ana Ruiz",)
    for index, text in enumerate(texts):
        prefix = texts[index - 1][-CONTEXT_CHARS:] + "\n|\n" if index else ""
        together = [
            (c.start - len(prefix), c.end - len(prefix), c.label)
            for c in detect_candidates(prefix + text, language=language, known_names=names)
            if c.start >= len(prefix)
        ]
        focused = _detect_with_context(turns, index, language=language, known_names=names, scans={})
        assert [(c.start, c.end, c.label) for c in focused] == together


@given(st.lists(st.sampled_from(FRAGMENTS + ["one", "DOUBLE", "triple"]), max_size=6).map(" ".join))
def test_scanning_after_a_context_equals_scanning_both(text: str) -> None:
    for context in ("", "a double", "four double", "triple x"):
        joined = find_digit_runs(context + "\n|\n" + text)
        carry = scan_digit_runs(context).pending_repeat
        alone = scan_digit_runs(text, pending_repeat=carry).runs
        shift = len(context) + 3
        assert [r.digits for r in joined if r.start >= shift] == [r.digits for r in alone]


@given(st.text(alphabet="abcdeiosßSΣσςİKk é\u0301-'.,", max_size=30), st.sampled_from(["en", "de", "fr"]))
def test_word_gate_never_hides_a_phrase_the_pattern_finds(noise: str, language: str) -> None:
    for cues in (cue_set(language, "date_of_birth"), cue_set(language, "card"), health_terms(language)):
        for phrase in cues.phrases[:20]:
            for text in (noise + phrase.upper() + noise, noise + " " + phrase.title()):
                if cues.occurs_in(text):
                    assert cues.may_occur_among(fold_words(text))


def test_word_gate_rejects_texts_without_cue_words() -> None:
    assert not cue_set("en", "card").may_occur_among(fold_words("the router keeps dropping"))
