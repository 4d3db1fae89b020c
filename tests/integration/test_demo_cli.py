"""``trustdesk demo`` loads a seeded operation through the ingest services and prints its logins."""
from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from trustdesk.cli.main import app
from trustdesk.storage import tables as t
from trustdesk.storage.access_tables import training_records
from trustdesk.storage.operations_tables import ola_targets, scheduled_breaks, taken_breaks


def test_demo_loads_a_small_operation_and_a_rerun_keeps_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    env = {"TRUSTDESK_DATABASE_URL": url, "TRUSTDESK_MASTER_KEY_FILE": str(tmp_path / "master.key"),
           "TRUSTDESK_AUDIT_KEY_FILE": str(tmp_path / "audit.key")}
    first = CliRunner().invoke(app, ["demo", "--no-serve", "--interactions", "300"], env=env)
    assert first.exit_code == 0, first.output
    assert "acme.supervisor" in first.output and "password for every login: demo" in first.output
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(t.interactions)).scalar_one() == 300
        assert connection.execute(sa.select(sa.func.count(sa.distinct(t.interactions.c.vendor_id)))).scalar_one() == 4
        assert set(connection.execute(sa.select(t.interactions.c.channel).distinct()).scalars()) == {
            "voice", "chat", "email", "social"}
        # workforce records: break plans mostly honoured, privacy training, in-house OLAs for 6 BPO teams
        scheduled, taken = (connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                            for table in (scheduled_breaks, taken_breaks))
        assert 0.7 * scheduled < taken < scheduled
        assert connection.execute(sa.select(sa.func.count()).select_from(ola_targets)).scalar_one() == 6 * 4
        assert connection.execute(sa.select(sa.func.count()).select_from(training_records)).scalar_one() > 60
    second = CliRunner().invoke(app, ["demo", "--no-serve", "--interactions", "300"], env=env)
    assert second.exit_code == 0 and "already loaded" in second.output
    engine.dispose()
