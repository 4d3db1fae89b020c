"""Survey links (valid, expired, tampered, replayed, superseded), per-brand settings and the detractor loop."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from tests.factories import interaction
from trustdesk.services import accounts, feedback
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import follow_up_tasks, survey_effort


@pytest.fixture
def unsurveyed(client, personas) -> int:
    """An acme interaction handled by manila-bpo whose customer has not answered a survey yet."""
    body = interaction(external_id="call-unsurveyed", survey=None,
                       turns=[{"speaker": "agent", "text": "Thank you for calling, this call may be recorded.", "offset_seconds": 0}])
    response = client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers)
    assert response.status_code == 201, response.text
    return response.json()["results"][0]["id"]


def _link(client, persona, interaction_id: int) -> dict:
    response = client.post(f"/api/v1/interactions/{interaction_id}/survey-link", headers=persona.headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_customer_answers_a_valid_link_without_logging_in(client, personas, unsurveyed, engine):
    link = _link(client, personas["acme-manila-lead"], unsurveyed)
    form = client.get(f"/api/v1/surveys/{link['token']}")
    assert form.status_code == 200
    assert [q["id"] for q in form.json()["questions"]] == ["csat", "nps", "ces"]
    assert form.json()["brand"] == "Acme Air"
    answer = client.post(f"/api/v1/surveys/{link['token']}",
                         json={"csat": 5, "nps": 10, "ces": 6, "comment": "Call me on +1 415 555 0199, great help"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "answered", "follow_up_opened": False}
    detail = client.get(f"/api/v1/interactions/{unsurveyed}", headers=personas["acme-manager"].headers).json()
    assert detail["survey"]["csat"] == 5 and detail["survey"]["nps"] == 10
    assert "555 0199" not in detail["survey"]["comment"] and "[PHONE]" in detail["survey"]["comment"]
    with engine.connect() as connection:
        assert connection.execute(sa.select(survey_effort.c.ces).where(survey_effort.c.interaction_id == unsurveyed)).scalar() == 6
        assert connection.execute(sa.select(sa.func.count()).select_from(follow_up_tasks)).scalar() == 0


def test_a_replayed_link_is_refused_and_stores_nothing_twice(client, personas, unsurveyed, engine):
    link = _link(client, personas["acme-manager"], unsurveyed)
    assert client.post(f"/api/v1/surveys/{link['token']}", json={"csat": 4}).status_code == 200
    replay = client.post(f"/api/v1/surveys/{link['token']}", json={"csat": 1, "nps": 0})
    assert replay.status_code == 409
    assert replay.json()["detail"]["reason"] == "answered"
    assert client.get(f"/api/v1/surveys/{link['token']}").status_code == 409
    with engine.connect() as connection:
        rows = connection.execute(sa.select(t.surveys.c.csat).where(t.surveys.c.interaction_id == unsurveyed)).all()
        assert [row.csat for row in rows] == [4]
        assert connection.execute(sa.select(sa.func.count()).select_from(follow_up_tasks)).scalar() == 0
    again = client.post(f"/api/v1/interactions/{unsurveyed}/survey-link", headers=personas["acme-manager"].headers)
    assert again.status_code == 409


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),       # signature changed
    lambda token: str(int(token.split(".")[0]) + 1) + token[token.index("."):],   # another invitation
    lambda token: ".".join([token.split(".")[0], str(int(token.split(".")[1]) + 86400), token.split(".")[2]]),  # longer life
    lambda token: "not-a-token",
])
def test_a_tampered_link_is_not_found(client, personas, unsurveyed, tamper):
    token = _link(client, personas["acme-manager"], unsurveyed)["token"]
    forged = tamper(token)
    assert client.get(f"/api/v1/surveys/{forged}").status_code == 404
    assert client.post(f"/api/v1/surveys/{forged}", json={"csat": 1}).status_code == 404
    assert client.get(f"/api/v1/surveys/{token}").status_code == 200


def test_an_expired_link_is_gone(client, personas, unsurveyed, engine):
    issued = datetime.now(timezone.utc) - timedelta(days=15)  # default links live 14 days
    with engine.begin() as connection:
        viewer = accounts.viewer_for_token(connection, personas["acme-manager"].token, now=issued)
        link = feedback.issue_survey_link(connection, viewer, interaction_id=unsurveyed, now=issued)
    response = client.post(f"/api/v1/surveys/{link.token}", json={"csat": 5})
    assert response.status_code == 410
    assert response.json()["detail"]["reason"] == "expired"


def test_a_new_link_voids_the_previous_one(client, personas, unsurveyed):
    first = _link(client, personas["acme-manager"], unsurveyed)["token"]
    with engine_clock_tick():
        second = _link(client, personas["acme-manager"], unsurveyed)["token"]
    assert client.get(f"/api/v1/surveys/{first}").json()["detail"]["reason"] == "superseded"
    assert client.get(f"/api/v1/surveys/{second}").status_code == 200


class engine_clock_tick:
    """Links carry whole-second expiries: wait into the next second so a re-issued link differs."""

    def __enter__(self):
        start = int(datetime.now(timezone.utc).timestamp())
        while int(datetime.now(timezone.utc).timestamp()) == start:
            pass

    def __exit__(self, *exc):
        return False


def test_answers_outside_the_scale_name_the_field_and_store_nothing(client, personas, unsurveyed, engine):
    token = _link(client, personas["acme-manager"], unsurveyed)["token"]
    response = client.post(f"/api/v1/surveys/{token}", json={"csat": 6, "nps": 5})
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == "$.csat"
    assert client.post(f"/api/v1/surveys/{token}", json={}).status_code == 422
    with engine.connect() as connection:
        assert connection.execute(sa.select(t.surveys.c.id).where(t.surveys.c.interaction_id == unsurveyed)).first() is None
    assert client.get(f"/api/v1/surveys/{token}").status_code == 200


@pytest.mark.parametrize("answer", [{"nps": 6}, {"csat": 2, "nps": 9}, {"nps": 0, "comment": "never again"}])
def test_a_detractor_answer_opens_a_follow_up_for_the_vendors_supervisors(client, personas, unsurveyed, answer):
    token = _link(client, personas["acme-manager"], unsurveyed)["token"]
    response = client.post(f"/api/v1/surveys/{token}", json=answer)
    assert response.json()["follow_up_opened"] is True
    [task] = client.get("/api/v1/follow-ups", headers=personas["acme-manila-lead"].headers).json()["items"]
    assert task["reason"] == "detractor" and task["vendor"] == "manila-bpo" and task["status"] == "open"
    assert task["interaction"] == "call-unsurveyed"
    created, due = (datetime.fromisoformat(task[k].replace("Z", "+00:00")) for k in ("created_at", "due_at"))
    assert due.weekday() < 5 and 2 <= (due - created).days <= 4  # two business days, weekends skipped
    assert client.get("/api/v1/follow-ups", headers=personas["acme-pune-lead"].headers).json()["items"] == []
    assert client.get("/api/v1/follow-ups", headers=personas["globex-manager"].headers).json()["items"] == []


def test_a_promoter_answer_opens_no_follow_up(client, personas, unsurveyed):
    token = _link(client, personas["acme-manager"], unsurveyed)["token"]
    assert client.post(f"/api/v1/surveys/{token}", json={"csat": 3, "nps": 7}).json()["follow_up_opened"] is False
    assert client.get("/api/v1/follow-ups", headers=personas["acme-manager"].headers).json()["items"] == []


def test_a_supervisor_works_a_follow_up_to_done(client, personas, unsurveyed):
    token = _link(client, personas["acme-manager"], unsurveyed)["token"]
    client.post(f"/api/v1/surveys/{token}", json={"nps": 2})
    lead = personas["acme-manila-lead"].headers
    [task] = client.get("/api/v1/follow-ups", headers=lead).json()["items"]
    missing_note = client.patch(f"/api/v1/follow-ups/{task['id']}", json={"status": "done"}, headers=lead)
    assert missing_note.status_code == 422 and missing_note.json()["detail"][0]["path"] == "$.note"
    assert client.patch(f"/api/v1/follow-ups/{task['id']}", json={"status": "in_progress"}, headers=lead).json()["status"] == "in_progress"
    done = client.patch(f"/api/v1/follow-ups/{task['id']}", json={"status": "done", "note": "Called back, refund confirmed"},
                        headers=lead).json()
    assert done["status"] == "done" and done["closed_at"] is not None and done["is_overdue"] is False
    assert client.patch(f"/api/v1/follow-ups/{task['id']}", json={"status": "open"}, headers=lead).status_code == 409
    assert client.patch(f"/api/v1/follow-ups/{task['id']}", json={"status": "done", "note": "x"},
                        headers=personas["acme-pune-lead"].headers).status_code == 404


def test_brand_settings_choose_questions_wording_and_follow_up_deadline(client, personas, unsurveyed):
    headers = personas["acme-manager"].headers
    saved = client.put("/api/v1/survey-settings", headers=headers, json={
        "questions": ["ces", "csat"], "wording": {"ces": "Was it easy to get help today?"},
        "link_valid_days": 7, "follow_up_business_days": 1})
    assert saved.status_code == 200, saved.text
    form = client.get(f"/api/v1/surveys/{_link(client, personas['acme-manager'], unsurveyed)['token']}").json()
    assert [(q["id"], q["text"]) for q in form["questions"]] == [
        ("ces", "Was it easy to get help today?"), ("csat", "How satisfied are you with the help you received?")]
    token = _link(client, personas["acme-manager"], unsurveyed)["token"]
    not_asked = client.post(f"/api/v1/surveys/{token}", json={"nps": 3})
    assert not_asked.status_code == 422 and not_asked.json()["detail"][0]["path"] == "$.nps"
    assert client.get("/api/v1/survey-settings", headers=personas["globex-manager"].headers).json()["questions"] == ["csat", "nps", "ces"]


@pytest.mark.parametrize("body, path", [
    ({"questions": ["csat", "stars"]}, "$.questions[1]"),
    ({"questions": []}, "$.questions"),
    ({"questions": ["csat"], "link_valid_days": 0}, "$.link_valid_days"),
    ({"questions": ["csat"], "wording": {"csat": ""}}, "$.wording.csat"),
])
def test_bad_settings_name_the_field(client, personas, body, path):
    response = client.put("/api/v1/survey-settings", json=body, headers=personas["acme-manager"].headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == path


def test_survey_roles_and_tenants(client, personas, unsurveyed):
    assert client.post(f"/api/v1/interactions/{unsurveyed}/survey-link", headers=personas["acme-qa"].headers).status_code == 403
    assert client.post(f"/api/v1/interactions/{unsurveyed}/survey-link", headers=personas["globex-manager"].headers).status_code == 404
    assert client.post(f"/api/v1/interactions/{unsurveyed}/survey-link", headers=personas["acme-pune-lead"].headers).status_code == 404
    assert client.put("/api/v1/survey-settings", json={"questions": ["csat"]},
                      headers=personas["acme-manila-lead"].headers).status_code == 403
    assert client.get("/api/v1/survey-settings?brand=globex", headers=personas["acme-manager"].headers).status_code == 404
