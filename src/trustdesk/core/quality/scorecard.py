"""Scorecards: YAML documents of sections and weighted criteria, validated with line-precise errors.

```yaml
id: default
pass_score: 80
sections:
  - id: compliance
    kind: auto_fail            # normal | bonus | auto_fail
    criteria:
      - id: recording_disclosure
        weight: 10
        applies_to: {channels: [voice]}
```
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from importlib import resources

import yaml

from trustdesk.core.model import Channel
from trustdesk.core.quality.criteria import CRITERIA
from trustdesk.core.quality.language import SUPPORTED_LANGUAGES, canonical_language


class SectionKind(str, enum.Enum):
    NORMAL = "normal"
    BONUS = "bonus"  # passing adds points on top; failing or not applying costs nothing
    AUTO_FAIL = "auto_fail"  # every criterion is critical: one fail fails the interaction


@dataclass(frozen=True)
class Applicability:
    """Where a criterion applies; an empty tuple means everywhere."""

    channels: tuple[Channel, ...] = ()
    purposes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    def explain_exclusion(self, *, channel: Channel, purpose: str, language: str | None) -> str | None:
        """Why the criterion does not apply here, or None when it does."""
        if self.channels and channel not in self.channels:
            return f"scorecard applies it to channels {', '.join(c.value for c in self.channels)} only"
        if self.purposes and purpose not in self.purposes:
            return f"scorecard applies it to purposes {', '.join(self.purposes)} only"
        if self.languages and language not in self.languages:
            return f"scorecard applies it to languages {', '.join(self.languages)} only"
        return None


@dataclass(frozen=True)
class WeightedCriterion:
    id: str
    weight: float
    critical: bool
    applies_to: Applicability


@dataclass(frozen=True)
class Section:
    id: str
    kind: SectionKind
    criteria: tuple[WeightedCriterion, ...]


@dataclass(frozen=True)
class Scorecard:
    id: str
    name: str
    pass_score: float
    sections: tuple[Section, ...]


class ScorecardError(ValueError):
    """A scorecard file is invalid; ``problems`` are "source:line: message" strings in file order."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


class _Reader:
    """Walks the YAML node tree so every problem is reported with the line it is on."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(f"{self.source}:{node.start_mark.line + 1}: {message}")

    def mapping(self, node: yaml.Node, what: str, *, allowed: tuple[str, ...]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping")
            return {}
        entries: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name not in allowed:
                self.problem(key, f"{what}: unknown key {name!r} (expected one of {', '.join(allowed)})")
            elif name in entries:
                self.problem(key, f"{what}: duplicate key {name!r}")
            else:
                entries[name] = value
        return entries

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list")
            return []
        return list(node.value)

    def text(
        self, node: yaml.Node | None, what: str, parent: yaml.Node, *, default: str | None = None
    ) -> str:
        if node is None:
            if default is None:
                self.problem(parent, f"{what} is required")
                return ""
            return default
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.problem(node, f"{what} must be a non-empty string")
            return ""
        return str(node.value).strip()

    def number(self, node: yaml.Node | None, what: str, *, default: float, low: float, high: float) -> float:
        if node is None:
            return default
        try:
            value = float(node.value) if isinstance(node, yaml.ScalarNode) else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            self.problem(
                node, f"{what} must be a number from {low:g} to {high:g}, got {getattr(node, 'value', '?')!r}"
            )
            return default
        return value

    def flag(self, node: yaml.Node | None, what: str, *, default: bool) -> bool:
        if node is None:
            return default
        if not isinstance(node, yaml.ScalarNode) or node.value.lower() not in ("true", "false"):
            self.problem(node, f"{what} must be true or false")
            return default
        return node.value.lower() == "true"

    def names(self, node: yaml.Node | None, what: str) -> list[tuple[yaml.Node, str]]:
        if node is None:
            return []
        return [(item, self.text(item, what, node)) for item in self.sequence(node, what)]


def _read_applicability(reader: _Reader, node: yaml.Node | None, where: str) -> Applicability:
    if node is None:
        return Applicability()
    fields = reader.mapping(node, f"{where} applies_to", allowed=("channels", "purposes", "languages"))
    channels: list[Channel] = []
    for item, name in reader.names(fields.get("channels"), "channel"):
        if name in {c.value for c in Channel}:
            channels.append(Channel(name))
        elif name:
            reader.problem(item, f"{where}: unknown channel {name!r}")
    languages: list[str] = []
    for item, name in reader.names(fields.get("languages"), "language"):
        code = canonical_language(name)
        if code is None and name:
            reader.problem(
                item, f"{where}: unsupported language {name!r} (supported: {', '.join(SUPPORTED_LANGUAGES)})"
            )
        elif code:
            languages.append(code)
    purposes = [name for _, name in reader.names(fields.get("purposes"), "purpose") if name]
    return Applicability(tuple(channels), tuple(purposes), tuple(languages))


def _read_criterion(
    reader: _Reader, node: yaml.Node, kind: SectionKind, seen: set[str]
) -> WeightedCriterion | None:
    fields = reader.mapping(node, "criterion", allowed=("id", "weight", "critical", "applies_to"))
    criterion_id = reader.text(fields.get("id"), "criterion id", node)
    if not criterion_id:
        return None
    if criterion_id not in CRITERIA:
        reader.problem(fields["id"], f"criterion {criterion_id!r} unknown (known: {', '.join(CRITERIA)})")
        return None
    if criterion_id in seen:
        reader.problem(fields["id"], f"criterion {criterion_id!r} listed twice")
        return None
    seen.add(criterion_id)
    where = f"criterion {criterion_id!r}"
    critical = reader.flag(fields.get("critical"), f"{where} critical", default=kind is SectionKind.AUTO_FAIL)
    if kind is SectionKind.AUTO_FAIL and not critical:
        reader.problem(fields["critical"], f"{where}: criteria of an auto_fail section are critical")
    if kind is SectionKind.BONUS and critical:
        reader.problem(fields["critical"], f"{where}: a bonus criterion cannot be critical")
    return WeightedCriterion(
        id=criterion_id,
        weight=reader.number(fields.get("weight"), f"{where} weight", default=1.0, low=0.0, high=1000.0),
        critical=critical,
        applies_to=_read_applicability(reader, fields.get("applies_to"), where),
    )


def _read_section(reader: _Reader, node: yaml.Node, seen: set[str]) -> Section | None:
    fields = reader.mapping(node, "section", allowed=("id", "kind", "criteria"))
    section_id = reader.text(fields.get("id"), "section id", node)
    kind_name = reader.text(fields.get("kind"), "section kind", node, default=SectionKind.NORMAL.value)
    if kind_name not in {k.value for k in SectionKind}:
        reader.problem(
            fields["kind"], f"section {section_id!r}: unknown kind {kind_name!r} (normal, bonus, auto_fail)"
        )
        return None
    kind = SectionKind(kind_name)
    criteria_node = fields.get("criteria")
    if criteria_node is None:
        reader.problem(node, f"section {section_id!r}: criteria is required")
        return None
    criteria = [
        c
        for item in reader.sequence(criteria_node, "criteria")
        if (c := _read_criterion(reader, item, kind, seen))
    ]
    return Section(section_id, kind, tuple(criteria))


def load_scorecard(text: str, *, source: str) -> Scorecard:
    """Parse and validate a scorecard YAML document; ScorecardError lists each problem as "source:line: …"."""
    reader = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark else 1
        raise ScorecardError([f"{source}:{line}: invalid YAML: {error.problem}"]) from error
    if root is None:
        raise ScorecardError([f"{source}:1: the scorecard is empty"])
    fields = reader.mapping(root, "scorecard", allowed=("id", "name", "pass_score", "sections"))
    scorecard_id = reader.text(fields.get("id"), "scorecard id", root)
    name = reader.text(fields.get("name"), "scorecard name", root, default=scorecard_id or "scorecard")
    pass_score = reader.number(fields.get("pass_score"), "pass_score", default=80.0, low=0.0, high=100.0)
    seen: set[str] = set()
    sections_node = fields.get("sections")
    if sections_node is None:
        reader.problem(root, "sections is required")
    sections = [
        s
        for item in (reader.sequence(sections_node, "sections") if sections_node else [])
        if (s := _read_section(reader, item, seen))
    ]
    if sections_node is not None and not seen and not reader.problems:
        reader.problem(sections_node, "the scorecard has no criteria")
    if reader.problems:
        raise ScorecardError(reader.problems)
    return Scorecard(scorecard_id, name, pass_score, tuple(sections))


@functools.cache
def default_scorecard() -> Scorecard:
    """The shipped default scorecard (``default_scorecard.yaml``)."""
    text = resources.files(__package__).joinpath("default_scorecard.yaml").read_text(encoding="utf-8")
    return load_scorecard(text, source="default_scorecard.yaml")
