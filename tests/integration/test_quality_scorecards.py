"""Per-brand scorecards (API upload with line-precise 422, CLI load) and `trustdesk rescore`, which
recomputes automatic results with the active scorecard and leaves human-reviewed ones alone."""
from __future__ import annotations

import json

import sqlalchemy as sa
from typer.testing import CliRunner

from tests.integration.quality_support import grant_quality_analytics, scored_interaction, store
from trustdesk.cli.main import app
from trustdesk.storage import tables as t

LITE_SCORECARD = """\
id: acme-lite
pass_score: 50
sections:
  - id: experience
    criteria:
      - id: greeting
        weight: 10
      - id: resolution
        weight: 10
"""

BROKEN_SCORECARD = """\
id: acme-broken
sections:
  - id: experience
    criteria:
      - id: greeting
        weight: heavy
      - id: charisma
"""


def _cli(engine, *args):
    url = engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(app, [*map(str, args)], env={"TRUSTDESK_DATABASE_URL": url})


def _results(engine) -> dict[str, tuple[str, str, float]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(t.interactions.c.external_id, t.quality_results.c.scorecard, t.quality_results.c.source,
                      t.interactions.c.qa_score)
            .join(t.quality_results, t.quality_results.c.interaction_id == t.interactions.c.id))
        return {row[0]: tuple(row[1:]) for row in rows}


def test_upload_lists_versions_and_only_the_newest_is_active(client, personas):
    manager = personas["acme-manager"]
    first = client.post("/api/v1/brands/acme/scorecards", headers=manager.headers, json={"yaml": LITE_SCORECARD})
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1 and first.json()["scorecard"] == "acme-lite"
    second = client.post("/api/v1/brands/acme/scorecards", headers=manager.headers,
                         json={"yaml": LITE_SCORECARD.replace("acme-lite", "acme-lite-2")})
    assert second.json()["version"] == 2
    listed = client.get("/api/v1/brands/acme/scorecards", headers=manager.headers).json()["items"]
    assert [(i["version"], i["scorecard"], i["active"], i["uploaded_by"]) for i in listed] == [
        (2, "acme-lite-2", True, "acme-manager"), (1, "acme-lite", False, "acme-manager")]


def test_invalid_scorecard_is_refused_naming_each_line_and_nothing_is_stored(client, personas):
    manager = personas["acme-manager"]
    response = client.post("/api/v1/brands/acme/scorecards", headers=manager.headers, json={"yaml": BROKEN_SCORECARD})
    assert response.status_code == 422
    details = response.json()["detail"]
    assert [(d["path"], d["line"]) for d in details] == [("$.yaml", 6), ("$.yaml", 7)]
    assert details[0]["message"].startswith("line 6: ") and "weight" in details[0]["message"]
    assert "charisma" in details[1]["message"]
    assert client.get("/api/v1/brands/acme/scorecards", headers=manager.headers).json()["items"] == []


def test_scorecards_are_per_brand_and_vendor_staff_cannot_change_them(client, personas):
    assert client.post("/api/v1/brands/acme/scorecards", headers=personas["globex-manager"].headers,
                       json={"yaml": LITE_SCORECARD}).status_code == 404
    assert client.post("/api/v1/brands/acme/scorecards", headers=personas["acme-manila-lead"].headers,
                       json={"yaml": LITE_SCORECARD}).status_code == 403
    client.post("/api/v1/brands/acme/scorecards", headers=personas["acme-manager"].headers, json={"yaml": LITE_SCORECARD})
    assert client.get("/api/v1/brands/acme/scorecards", headers=personas["globex-manager"].headers).status_code == 404


def test_cli_load_reports_bad_lines_with_the_file_name(engine, personas, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN_SCORECARD, encoding="utf-8")
    result = _cli(engine, "scorecard", "load", "acme", broken)
    assert result.exit_code == 2
    assert f"{broken}:6:" in result.output and f"{broken}:7:" in result.output
    good = tmp_path / "lite.yaml"
    good.write_text(LITE_SCORECARD, encoding="utf-8")
    result = _cli(engine, "scorecard", "load", "acme", good)
    assert result.exit_code == 0, result.output
    assert "scorecard acme-lite version 1 is now active" in result.output
    assert _cli(engine, "scorecard", "load", "nobody", good).exit_code == 2


def test_rescore_uses_the_active_scorecard_and_keeps_human_edits(client, engine, personas, tmp_path):
    ids = store(engine, [scored_interaction("call-a"), scored_interaction("call-b"), scored_interaction("call-c")])
    silent = scored_interaction("call-d", customer={"external_id": "cust-no-consent"})
    store(engine, [silent], consenting=False)
    reviewed = client.post(f"/api/v1/quality/interactions/{ids['call-b']}/reviews", headers=personas["acme-qa"].headers,
                           json={"overrides": [{"criterion": "empathy", "result": "fail", "reason": "cold"}]}).json()
    before = _results(engine)
    assert {k: v[0] for k, v in before.items()} == {"call-a": "default", "call-b": "default", "call-c": "default"}
    card = tmp_path / "lite.yaml"
    card.write_text(LITE_SCORECARD, encoding="utf-8")
    assert _cli(engine, "scorecard", "load", "acme", card).exit_code == 0

    result = _cli(engine, "rescore", "--brand", "acme")
    assert result.exit_code == 0, result.output
    # cust-9 consented after the personas' two seed interactions were ingested: those are scored now;
    # call-d's customer never consented to quality analytics, so it stays unscored
    assert "4 rescored, 1 human-reviewed results kept, 1 not scored" in " ".join(result.output.split())
    after = _results(engine)
    assert after["call-a"][:2] == ("acme-lite", "automatic") and after["call-c"][:2] == ("acme-lite", "automatic")
    assert after["call-b"] == before["call-b"] == ("default", "human", reviewed["score"])
    assert set(after) == {"call-a", "call-b", "call-c", "seed-manila-bpo", "seed-pune-cx"}
    assert _cli(engine, "rescore", "--brand", "nobody").exit_code == 2


def _criteria(engine, external_id: str) -> set[str]:
    with engine.connect() as connection:
        criteria = connection.execute(
            sa.select(t.quality_results.c.criteria)
            .join(t.interactions, t.interactions.c.id == t.quality_results.c.interaction_id)
            .where(t.interactions.c.external_id == external_id)).scalar_one()
    return {criterion["id"] for criterion in criteria}


def test_ingest_scores_with_the_brands_active_scorecard(client, engine, personas, tmp_path):
    with engine.begin() as connection:
        for brand in ("acme", "globex"):
            grant_quality_analytics(connection, brand, "cust-9")
    uploaded = client.post("/api/v1/brands/acme/scorecards", headers=personas["acme-manager"].headers,
                           json={"yaml": LITE_SCORECARD})
    assert uploaded.status_code == 201, uploaded.text

    for brand, manager in (("acme", "acme-manager"), ("globex", "globex-manager")):
        response = client.post("/api/v1/interactions", headers=personas[manager].headers,
                               json=scored_interaction(f"api-{brand}", brand=brand))
        assert response.status_code in (200, 201), response.text
    source = tmp_path / "batch.jsonl"
    source.write_text("".join(json.dumps(scored_interaction(f"cli-{brand}", brand=brand)) + "\n"
                              for brand in ("acme", "globex")), encoding="utf-8")
    assert _cli(engine, "import", source).exit_code == 0

    results = _results(engine)
    for channel in ("api", "cli"):
        # acme has loaded its own scorecard; globex has none and gets the shipped default
        assert results[f"{channel}-acme"][:2] == ("acme-lite", "automatic")
        assert results[f"{channel}-globex"][:2] == ("default", "automatic")
        assert _criteria(engine, f"{channel}-acme") == {"greeting", "resolution"}
        assert "recording_disclosure" in _criteria(engine, f"{channel}-globex")
