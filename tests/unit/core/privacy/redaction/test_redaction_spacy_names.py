import pytest

from trustdesk.core.privacy.redaction import detect_entities
from trustdesk.core.privacy.redaction.recognizers.spacy_names import make_spacy_person_recognizer

spacy = pytest.importorskip("spacy")


def test_spacy_person_entities_become_person_spans_but_numbers_never_do() -> None:
    # A blank pipeline with a rule-based entity layer stands in for an installed NER model.
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [{"label": "PERSON", "pattern": "Grace Hopper"}, {"label": "PERSON", "pattern": "10:30"}]
    )
    text = "Grace Hopper called at 10:30 about the bill"
    entities = detect_entities(text, extra_recognizers=(make_spacy_person_recognizer(nlp),))
    assert [(text[e.start : e.end], e.label) for e in entities] == [("Grace Hopper", "PERSON")]
