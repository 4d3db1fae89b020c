"""``trustdesk brand repeat-window``: the FCR window is set per brand from the command line and validated."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import interaction
from tests.integration.privacy_support import run_cli
from trustdesk.storage import tables as t
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
