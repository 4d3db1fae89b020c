"""The FCR window is set per brand from the command line or the API, validated, audited and recounted."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import interaction
from tests.integration.privacy_support import run_cli
from trustdesk.storage import tables as t
from trustdesk.storage.audit_tables import audit_entries
from trustdesk.storage.metrics_tables import brand_metric_settings


def test_the_window_is_stored_and_the_brand_recounted(client, personas, engine, tmp_path):
    for n in range(2):
        body = interaction(external_id=f"win-{n}", customer={"external_id": "cust-win"})
        assert client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers).status_code == 201
    result = run_cli(engine, tmp_path / "master.key", "brand", "repeat-window", "acme", "3")
    assert result.exit_code == 0, result.output
    with engine.connect() as connection:
        acme_interactions = connection.execute(
            select(func.count()).select_from(t.interactions).join(t.brands, t.brands.c.id == t.interactions.c.brand_id)
            .where(t.brands.c.key == "acme")
        ).scalar_one()
        stored = connection.execute(
            select(brand_metric_settings.c.repeat_contact_window_days)
            .join(t.brands, t.brands.c.id == brand_metric_settings.c.brand_id).where(t.brands.c.key == "acme")
        ).scalar_one()
    assert stored == 3
    assert f"repeat-contact window 3 day(s); {acme_interactions} interaction(s) recounted" in result.stdout


def test_a_bad_window_or_brand_is_refused_by_name(personas, engine, tmp_path):
    too_long = run_cli(engine, tmp_path / "master.key", "brand", "repeat-window", "acme", "91")
    assert too_long.exit_code == 2 and "repeat_contact_window_days" in too_long.output
    unknown = run_cli(engine, tmp_path / "master.key", "brand", "repeat-window", "nobody", "7")
    assert unknown.exit_code == 2 and "unknown brand 'nobody'" in unknown.output


SETTINGS = "/api/v1/brands/acme/metrics/settings"


def test_brand_staff_change_the_window_through_the_api_and_the_change_is_audited(client, personas, engine):
    manager = personas["acme-manager"]
    for n in range(2):
        body = interaction(external_id=f"api-win-{n}", customer={"external_id": "cust-api-win"})
        assert client.post("/api/v1/interactions", json=body, headers=manager.headers).status_code == 201
    assert client.get(SETTINGS, headers=manager.headers).json() == {"repeat_contact_window_days": 7,
                                                                    "allowed_days": [1, 90]}
    changed = client.put(SETTINGS, headers=manager.headers, json={"repeat_contact_window_days": 12})
    assert changed.status_code == 200, changed.text
    assert changed.json()["repeat_contact_window_days"] == 12 and changed.json()["recounted_interactions"] >= 2
    assert client.get(SETTINGS, headers=personas["acme-manila-lead"].headers).json()["repeat_contact_window_days"] == 12
    with engine.connect() as connection:
        [entry] = connection.execute(select(audit_entries).where(audit_entries.c.resource == "metric_settings:acme")
                                     ).mappings().all()
    assert entry["user"] == "acme-manager" and entry["event_type"] == "policy_change"
    assert entry["reason"].startswith("repeat-contact window 7 -> 12 day(s);")


def test_the_api_refuses_vendor_staff_other_brands_and_bad_windows_by_field(client, personas):
    body = {"repeat_contact_window_days": 3}
    assert client.put(SETTINGS, headers=personas["acme-manila-lead"].headers, json=body).status_code == 403
    assert client.put(SETTINGS, headers=personas["globex-manager"].headers, json=body).status_code == 404
    for days in (0, 91):
        refused = client.put(SETTINGS, headers=personas["acme-manager"].headers,
                             json={"repeat_contact_window_days": days})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["path"] == "$.repeat_contact_window_days"
    assert client.get(SETTINGS, headers=personas["acme-manager"].headers).json()["repeat_contact_window_days"] == 7
