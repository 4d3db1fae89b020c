"""``trustdesk import`` on .jsonl and .csv: progress, rejects with reasons, safe re-runs."""
from __future__ import annotations

import csv
import gc
import json

import sqlalchemy as sa
from typer.testing import CliRunner

from tests.factories import interaction
from trustdesk.cli.main import app
from trustdesk.storage import tables as t


def _run(engine, *args):
    url = engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(app, ["import", *map(str, args)], env={"TRUSTDESK_DATABASE_URL": url})


def _external_ids(engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(sa.select(t.interactions.c.external_id)).scalars())


def test_jsonl_import_stores_valid_lines_and_explains_rejects(engine, tmp_path):
    bad_speaker = interaction(external_id="bad-1")
    bad_speaker["turns"][0]["speaker"] = "bot"
    lines = [json.dumps(interaction(external_id="ok-1")), "{broken", json.dumps(bad_speaker),
             json.dumps(interaction(external_id="ok-2", brand="globex"))]
    source = tmp_path / "batch.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(engine, source)
    assert result.exit_code == 1, result.output
    assert "2 created, 0 already stored, 2 rejected" in result.output
    assert _external_ids(engine) == {"ok-1", "ok-2"}
    rejects = [json.loads(line) for line in (tmp_path / "batch.jsonl.rejects.jsonl").read_text().splitlines()]
    assert [r["line"] for r in rejects] == [2, 3]
    assert "not valid JSON" in rejects[0]["reasons"][0]
    assert rejects[1]["external_id"] == "bad-1" and rejects[1]["reasons"][0].startswith("$.turns[0].speaker")


def test_lines_that_are_not_a_json_object_or_not_utf8_are_rejected_with_the_reason(engine, tmp_path):
    source = tmp_path / "batch.jsonl"
    source.write_bytes(b'["not", "an", "object"]\n' + b'{"external_id": "caf\xe9"}\n'
                       + json.dumps(interaction(external_id="ok-1")).encode() + b"\n")
    result = _run(engine, source)
    assert "1 created, 0 already stored, 2 rejected" in result.output
    rejects = [json.loads(line) for line in (tmp_path / "batch.jsonl.rejects.jsonl").read_text().splitlines()]
    assert rejects == [{"line": 1, "external_id": None, "reasons": ["line is not a JSON object"]},
                       {"line": 2, "external_id": None, "reasons": ["line is not valid UTF-8 (byte 20)"]}]


def test_rerunning_an_import_is_safe(engine, tmp_path):
    source = tmp_path / "batch.jsonl"
    source.write_text("".join(json.dumps(interaction(external_id=f"c-{i}")) + "\n" for i in range(30)), encoding="utf-8")
    assert _run(engine, source).exit_code == 0
    again = _run(engine, source)
    assert again.exit_code == 0
    assert "0 created, 30 already stored, 0 rejected" in again.output
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(t.transcripts)).scalar_one() == 30


def test_csv_import_reads_dotted_columns_and_a_turns_column(engine, tmp_path):
    source = tmp_path / "batch.csv"
    record = interaction(external_id="csv-1")
    columns = ["external_id", "brand", "vendor", "channel", "started_at", "ended_at", "hold_seconds",
               "customer.external_id", "customer.country", "agent.external_id", "case.external_id", "case.purpose",
               "survey.csat", "turns"]
    with source.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        writer.writerow(["csv-1", "acme", "manila-bpo", "chat", record["started_at"], record["ended_at"], "12",
                         "cust-1", "US", "agent-1", "case-1", "billing", "4", json.dumps(record["turns"])])
        writer.writerow(["csv-2", "acme", "manila-bpo", "chat", record["started_at"], record["ended_at"], "x",
                         "cust-1", "US", "agent-1", "case-1", "billing", "", json.dumps(record["turns"])])
    result = _run(engine, source)
    assert "1 created, 0 already stored, 1 rejected" in result.output
    assert _external_ids(engine) == {"csv-1"}
    with engine.connect() as connection:
        assert connection.execute(sa.select(t.surveys.c.csat)).scalar_one() == 4


def test_unknown_file_type_is_refused(engine, tmp_path):
    source = tmp_path / "batch.xml"
    source.write_text("<x/>")
    result = _run(engine, source)
    assert result.exit_code == 2


def test_an_import_leaves_the_garbage_collector_as_it_found_it(engine, tmp_path):
    source = tmp_path / "batch.jsonl"
    source.write_text(json.dumps(interaction(external_id="gc-1")) + "\n", encoding="utf-8")
    assert gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    assert _run(engine, source).exit_code == 0
    assert gc.get_freeze_count() == 0  # the heap the import froze is collectable again
    assert gc.get_threshold() == thresholds  # and collected as often as before
    gc.freeze()
    try:
        assert _run(engine, source).exit_code == 0
        assert gc.get_freeze_count() > 0  # a freeze the caller holds is not undone by the import
    finally:
        gc.unfreeze()
