from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustdesk.core.quality.language import SUPPORTED_LANGUAGES, canonical_language, detect_language
from trustdesk.core.quality.phrases import CATEGORIES, compile_phrases, fold_text, load_phrase_pack


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, my order has not arrived yet and I need help", "en"),
        ("Hola, mi pedido todavía no ha llegado y necesito ayuda", "es"),
        ("Bonjour, ma commande n'est toujours pas arrivée", "fr"),
        ("Guten Tag, meine Bestellung ist noch nicht angekommen", "de"),
        ("Olá, o meu pedido ainda não chegou e preciso de ajuda", "pt"),
        ("Mera order abhi tak nahi aaya hai, aap check kar sakte ho kya", "hi-Latn"),
        ("Hindi pa po dumadating yung order ko, pakitingnan naman po", "tl"),
        ("ok thanks", None),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_english_with_one_hindi_word_stays_english():
    assert detect_language("Thank you ji, the parcel arrived this morning and everything is fine") == "en"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en-GB", "en"),
        ("hi", "hi-Latn"),
        ("HI-Latn", "hi-Latn"),
        ("fil", "tl"),
        ("pt-BR", "pt"),
        ("ja", None),
        (None, None),
    ],
)
def test_canonical_language(code, expected):
    assert canonical_language(code) == expected


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_pack_fills_the_phrase_categories(language):
    pack = load_phrase_pack(language)
    empty = [category for category in CATEGORIES if not pack.phrases[category]]
    assert empty == []
    assert {"NATIONAL_ID", "CARD", "CVV", "EMAIL", "PHONE"} <= set(pack.data_requests)


@given(st.text())
def test_fold_text_keeps_every_index(text):
    assert len(fold_text(text)) == len(text)


def test_typographic_apostrophes_fold_to_the_packs_apostrophe():
    pattern = compile_phrases(("that's awful", "can't believe"))
    assert fold_text("That’s awful") == "that's awful"
    assert pattern.search(fold_text("I can’t believe it, that‘s the third time"))


def test_phrases_match_whole_words_after_folding():
    pattern = compile_phrases(("hi", "apologi*", "perdón"))
    assert pattern.search(fold_text("Hi there"))
    assert pattern.search(fold_text("We apologise"))
    assert pattern.search(fold_text("perdon, señor"))
    assert not pattern.search(fold_text("this is a chip"))
