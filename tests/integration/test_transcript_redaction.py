"""``trustdesk transcripts redact-again``: free text an older engine stored is redacted with the current one,
transcripts, survey comments and QA evidence alike, audited per batch, and a second run finds nothing."""
from __future__ import annotations

import sqlalchemy as sa

from tests.factories import interaction
from tests.integration.privacy_support import run_cli
from trustdesk.storage import tables as t
from trustdesk.storage.audit_tables import audit_entries

LEAKY_TURNS = [
    {"speaker": "agent", "text": "Thanks for calling, who am I speaking with?", "offset_seconds": 0.0, "entities": []},
    {"speaker": "customer", "text": "This is Dana Whitfield, card 4111 1111 1111 1111, mail dana.w@example.com",
     "offset_seconds": 4.0, "entities": []},
]


def stored_as_an_older_release_left_them(client, personas, engine) -> int:
    body = interaction(external_id="old-1", customer={"external_id": "cust-old", "name": "Dana Whitfield"},
                       survey={"csat": 2, "comment": "fine"})
    assert client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers).status_code == 201
    with engine.begin() as connection:
        interaction_id = connection.execute(sa.select(t.interactions.c.id)
                                            .where(t.interactions.c.external_id == "old-1")).scalar_one()
        connection.execute(t.transcripts.update().where(t.transcripts.c.interaction_id == interaction_id)
                           .values(turns=LEAKY_TURNS))
        connection.execute(t.surveys.update().where(t.surveys.c.interaction_id == interaction_id)
                           .values(comment="Call me back on +1 415 555 0134 please"))
        connection.execute(t.quality_results.delete().where(t.quality_results.c.interaction_id == interaction_id))
        connection.execute(t.quality_results.insert().values(
            interaction_id=interaction_id, scorecard="default", score=50.0, passed=False, source="automatic",
            scored_at=sa.func.now(), criteria=[{"id": "sensitive_readback", "result": "fail", "evidence": [
                {"turn": 1, "quote": "card 4111 1111 1111 1111"}]}, {"id": "greeting", "result": "pass"}]))
    return interaction_id


def test_leftover_personal_data_is_redacted_everywhere_once_and_audited(client, personas, engine, tmp_path):
    interaction_id = stored_as_an_older_release_left_them(client, personas, engine)
    first = run_cli(engine, tmp_path / "master.key", "transcripts", "redact-again", "--batch-size", "1")
    assert first.exit_code == 0, first.output
    assert "1 transcript(s), 1 survey comment(s) and 1 evidence quote(s) redacted again" in first.stdout
    with engine.connect() as connection:
        turns = connection.execute(sa.select(t.transcripts.c.turns)
                                   .where(t.transcripts.c.interaction_id == interaction_id)).scalar_one()
        comment = connection.execute(sa.select(t.surveys.c.comment)
                                     .where(t.surveys.c.interaction_id == interaction_id)).scalar_one()
        criteria = connection.execute(sa.select(t.quality_results.c.criteria)
                                      .where(t.quality_results.c.interaction_id == interaction_id)).scalar_one()
        [entry] = connection.execute(sa.select(audit_entries)
                                     .where(audit_entries.c.event_type == "redaction_rerun")).mappings().all()
    assert turns[0] == LEAKY_TURNS[0]
    assert turns[1]["text"] == "This is [PERSON], card [CARD], mail [EMAIL]"
    assert {(e["label"], e["pass"]) for e in turns[1]["entities"]} == {("PERSON", "again"), ("CARD", "again"),
                                                                        ("EMAIL", "again")}
    assert comment == "Call me back on [PHONE] please"
    assert criteria[0]["evidence"] == [{"turn": 1, "quote": "card [CARD]"}] and criteria[1] == {"id": "greeting",
                                                                                                 "result": "pass"}
    assert entry["user"].startswith("cli:") and entry["resource"] == f"transcripts:{interaction_id}-{interaction_id}"
    assert "CARD 2" in entry["reason"] and "4111" not in entry["reason"]

    again = run_cli(engine, tmp_path / "master.key", "transcripts", "redact-again", "--brand", "acme")
    assert again.exit_code == 0, again.output
    assert "0 transcript(s), 0 survey comment(s) and 0 evidence quote(s) redacted again (nothing new)" in again.stdout
    unknown = run_cli(engine, tmp_path / "master.key", "transcripts", "redact-again", "--brand", "nobody")
    assert unknown.exit_code == 1 and "--brand" in unknown.output
