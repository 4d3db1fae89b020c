import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trustdesk.cli.main import app

runner = CliRunner()
LINES = [
    {"id": "a", "text": "my card is 4111 1111 1111 1111, cvv 123"},
    {"id": "b", "text": "nothing personal here"},
    {"id": "c", "text": "mail jo@example.com"},
]


def as_jsonl(items: list[dict[str, str]]) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def test_redact_streams_one_line_per_input_in_order() -> None:
    result = runner.invoke(app, ["redact"], input=as_jsonl(LINES))
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["id"] for item in out] == ["a", "b", "c"]
    assert out[0]["redacted"] == "my card is [CARD], cvv [CVV]"
    assert [(e["start"], e["end"], e["label"]) for e in out[0]["entities"]] == [
        (11, 30, "CARD"),
        (36, 39, "CVV"),
    ]
    assert out[1] == {"id": "b", "redacted": "nothing personal here", "entities": []}
    assert "4111" not in result.stdout and "jo@example.com" not in result.stdout


def test_mask_and_pseudonym_modes(tmp_path: Path) -> None:
    masked = runner.invoke(app, ["redact", "--mode", "mask"], input=as_jsonl(LINES[:1]))
    assert json.loads(masked.stdout)["redacted"] == "my card is ****1111, cvv [CVV]"
    key = tmp_path / "key"
    key.write_bytes(b"brand-secret")
    first = runner.invoke(
        app, ["redact", "--mode", "pseudonym", "--key-file", str(key)], input=as_jsonl(LINES[:1])
    )
    second = runner.invoke(
        app, ["redact", "--mode", "pseudonym", "--key-file", str(key)], input=as_jsonl(LINES[:1])
    )
    assert first.exit_code == 0 and first.stdout == second.stdout
    assert "[CARD:" in json.loads(first.stdout)["redacted"]


def test_pseudonym_mode_without_key_is_refused() -> None:
    result = runner.invoke(app, ["redact", "--mode", "pseudonym"], input=as_jsonl(LINES))
    assert result.exit_code == 2
    assert "--key-file" in result.stderr


def test_file_argument_reads_the_file(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(as_jsonl(LINES), encoding="utf-8")
    result = runner.invoke(app, ["redact", str(source), "--language", "en"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (as_jsonl(LINES[:1]).encode() + b"{not json\n", "line 2: invalid JSON"),
        (as_jsonl(LINES[:2]).encode() + b'{"id": "x", "text": "\xff"}\n', "line 3: not valid UTF-8"),
        (b'{"id": "x"}\n', "line 1: field 'text'"),
    ],
)
def test_bad_line_stops_with_its_line_number(payload: bytes, message: str) -> None:
    result = runner.invoke(app, ["redact"], input=payload)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stdout.splitlines()) == payload.count(b"\n") - 1


def test_missing_spacy_pipeline_is_a_clear_error() -> None:
    pytest.importorskip("spacy")
    result = runner.invoke(
        app, ["redact", "--spacy-pipeline", "xx_not_installed_pipeline"], input=as_jsonl(LINES)
    )
    assert result.exit_code == 2
    assert "never downloaded" in result.stderr
