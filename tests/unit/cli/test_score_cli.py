from __future__ import annotations

import json

from typer.testing import CliRunner

from trustdesk.cli.main import app

runner = CliRunner()


def _interaction(external_id: str, turns: list[tuple[str, str]], channel: str = "voice") -> str:
    return json.dumps(
        {
            "external_id": external_id,
            "brand": "acme",
            "vendor": "manila-bpo",
            "channel": channel,
            "started_at": "2026-10-01T09:00:00Z",
            "ended_at": "2026-10-01T09:07:30Z",
            "customer": {"external_id": "cust-9"},
            "agent": {"external_id": "agent-7"},
            "case": {"external_id": "case-55", "purpose": "order_status", "status": "resolved"},
            "turns": [{"speaker": s, "text": t} for s, t in turns],
        }
    )


GOOD = _interaction(
    "call-1",
    [
        ("agent", "Thank you for calling Acme, this call may be recorded."),
        ("customer", "Where is my order?"),
        ("agent", "It ships today. Have a nice day!"),
    ],
)
READBACK = _interaction(
    "call-2",
    [
        ("agent", "Hello, this call is recorded."),
        ("customer", "My card is [CARD]"),
        ("agent", "So that's [CARD]."),
    ],
)


def test_scores_stdin_one_line_per_interaction_in_order():
    outcome = runner.invoke(app, ["score"], input=f"{GOOD}\n\n{READBACK}\n")
    assert outcome.exit_code == 0, outcome.output
    lines = [json.loads(line) for line in outcome.stdout.splitlines()]
    assert [line["external_id"] for line in lines] == ["call-1", "call-2"]
    assert lines[0]["scorecard"] == "default" and lines[0]["passed"] is True
    readback = next(c for c in lines[1]["criteria"] if c["id"] == "sensitive_readback")
    assert readback["result"] == "fail" and readback["evidence"] == [
        {"turn": 2, "quote": "So that's [CARD]."}
    ]
    assert lines[1]["score"] == 0.0


def test_scores_a_file_with_a_custom_scorecard(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(GOOD + "\n", encoding="utf-8")
    card = tmp_path / "card.yaml"
    card.write_text(
        "id: greet-only\nsections:\n  - id: s\n    criteria:\n      - id: greeting\n", encoding="utf-8"
    )
    outcome = runner.invoke(app, ["score", str(source), "--scorecard", str(card)])
    assert outcome.exit_code == 0, outcome.output
    line = json.loads(outcome.stdout.splitlines()[-1])
    assert line["scorecard"] == "greet-only"
    assert [c["id"] for c in line["criteria"]] == ["greeting"] and line["score"] == 100.0


def test_invalid_scorecard_exits_2_with_the_line(tmp_path):
    card = tmp_path / "card.yaml"
    card.write_text("id: x\nsections:\n  - id: s\n    criteria:\n      - id: foo\n", encoding="utf-8")
    outcome = runner.invoke(app, ["score", "--scorecard", str(card)], input=GOOD)
    assert outcome.exit_code == 2
    assert f"{card}:5: criterion 'foo' unknown" in outcome.stderr


def test_invalid_lines_are_reported_and_the_rest_scored():
    outcome = runner.invoke(app, ["score"], input='{"external_id": "bad"}\n' + GOOD + "\n")
    assert outcome.exit_code == 1
    assert [json.loads(line)["external_id"] for line in outcome.stdout.splitlines()] == ["call-1"]
    assert "line 1: rejected" in outcome.stderr and "turns" in outcome.stderr
