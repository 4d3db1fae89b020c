"""The phrase index only narrows which lists are searched: it must never hide a list that matches."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.quality.language import SUPPORTED_LANGUAGES
from trustdesk.core.quality.phrases import CATEGORIES, fold_text, load_phrase_pack
from trustdesk.core.quality.transcript import index_phrases, phrase_matcher

_PACK_PHRASES = sorted(
    {
        phrase.rstrip("*") + ("ment" if phrase.endswith("*") else "")
        for language in SUPPORTED_LANGUAGES
        for phrases in load_phrase_pack(language).phrases.values()
        for phrase in phrases
    }
)
_NOISE = st.sampled_from(["ok", "the", "order", "é", "po", "[CARD]", "?", "...", "Ünd", "apo", "x1"])


# The first example compiles the phrase patterns; no deadline, so that warm-up is not a failure.
@settings(deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PACK_PHRASES), _NOISE), min_size=1, max_size=8))
def test_every_category_that_matches_is_among_the_possible_lists(parts):
    matcher = phrase_matcher(SUPPORTED_LANGUAGES)
    folded = fold_text(" ".join(parts))
    possible = matcher.possible_lists(folded)
    matching = {category for category in CATEGORIES if matcher.find(category, folded)}
    assert matching <= possible


def test_open_ended_phrase_is_found_by_its_stem_in_any_longer_word():
    index = index_phrases({"sorry_words": ("apologi*",), "wait_words": ("one moment",)})
    assert index.names_in("we apologize for this") == {"sorry_words"}
    assert index.names_in("apologies, one moment please") == {"sorry_words", "wait_words"}
    # The stem must begin a word, and a whole-word key must be the whole word.
    assert index.names_in("reapologize in a momentary lapse") == frozenset()


def test_phrase_with_a_short_stem_is_searched_in_every_text():
    index = index_phrases({"short_stem": ("ok*",)})
    assert index.names_in("nothing related here") == {"short_stem"}


def test_fold_text_lowers_plain_text_and_strips_accents_from_the_rest():
    assert fold_text("Where ARE you?") == "where are you?"
    assert fold_text("Où ÊTES-vous, señor?") == "ou etes-vous, senor?"
