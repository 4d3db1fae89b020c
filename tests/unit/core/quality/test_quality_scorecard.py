from __future__ import annotations

import pytest

from trustdesk.core.model import Channel
from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.scorecard import ScorecardError, SectionKind, default_scorecard, load_scorecard

VALID = """\
id: acme
name: Acme voice
pass_score: 75
sections:
  - id: must
    kind: auto_fail
    criteria:
      - id: recording_disclosure
        weight: 10
        applies_to: {channels: [voice], languages: [en, hi]}
  - id: experience
    criteria:
      - id: greeting
        weight: 5
  - id: extras
    kind: bonus
    criteria:
      - id: empathy
        weight: 2
"""


def test_valid_scorecard_is_read_with_defaults():
    card = load_scorecard(VALID, source="acme.yaml")
    assert (card.id, card.name, card.pass_score) == ("acme", "Acme voice", 75.0)
    assert [s.kind for s in card.sections] == [SectionKind.AUTO_FAIL, SectionKind.NORMAL, SectionKind.BONUS]
    must = card.sections[0].criteria[0]
    assert must.critical is True
    assert must.applies_to.channels == (Channel.VOICE,)
    assert must.applies_to.languages == ("en", "hi-Latn")
    assert card.sections[1].criteria[0].critical is False


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("id: greeting", "id: foo"), "acme.yaml:13: criterion 'foo' unknown"),
        (("weight: 5", "weight: lots"), "acme.yaml:14: criterion 'greeting' weight must be a number"),
        (("kind: bonus", "kind: extra"), "acme.yaml:16: section 'extras': unknown kind 'extra'"),
        (
            ("channels: [voice]", "channels: [fax]"),
            "acme.yaml:10: criterion 'recording_disclosure': unknown channel 'fax'",
        ),
        (
            ("languages: [en, hi]", "languages: [en, xx]"),
            "acme.yaml:10: criterion 'recording_disclosure': unsupported language 'xx'",
        ),
        (("pass_score: 75", "pass_score: 175"), "acme.yaml:3: pass_score must be a number from 0 to 100"),
        (
            ("        weight: 2\n", "        weight: 2\n        critical: true\n"),
            "acme.yaml:20: criterion 'empathy': a bonus criterion cannot be critical",
        ),
        (("name: Acme voice", "title: Acme voice"), "acme.yaml:2: scorecard: unknown key 'title'"),
        (("id: empathy", "id: greeting"), "acme.yaml:18: criterion 'greeting' listed twice"),
        (("sections:", "sections: [\n"), "acme.yaml:"),
    ],
)
def test_errors_name_the_line(edit, expected):
    old, new = edit
    with pytest.raises(ScorecardError) as raised:
        load_scorecard(VALID.replace(old, new, 1), source="acme.yaml")
    assert any(problem.startswith(expected) for problem in raised.value.problems), raised.value.problems


def test_all_problems_are_reported_at_once():
    text = VALID.replace("id: greeting", "id: foo").replace("weight: 2", "weight: -1")
    with pytest.raises(ScorecardError) as raised:
        load_scorecard(text, source="s.yaml")
    assert [p.split(":")[1] for p in raised.value.problems] == ["13", "19"]


@pytest.mark.parametrize("text", ["", "id: x\n", "id: x\nsections: []\n", "- a\n- b\n"])
def test_empty_or_shapeless_scorecards_are_rejected(text):
    with pytest.raises(ScorecardError):
        load_scorecard(text, source="s.yaml")


def test_default_scorecard_covers_every_contract_criterion():
    contract_ids = {
        "recording_disclosure",
        "consent_before_collection",
        "sensitive_readback",
        "outsourcing_disclosure",
        "purpose_overreach",
        "greeting",
        "closing",
        "empathy",
        "customer_repeat",
        "over_scripted",
        "language_match",
        "resolution",
    }
    card = default_scorecard()
    used = {c.id for s in card.sections for c in s.criteria}
    assert contract_ids <= used <= set(CRITERIA)
    assert card.id == "default"
