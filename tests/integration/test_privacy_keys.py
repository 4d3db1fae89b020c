"""Master key rotation: data keys are re-wrapped, encrypted fields are untouched, the old key is kept aside."""
from __future__ import annotations

import json
import stat

import sqlalchemy as sa

from tests.factories import NOW, interaction
from tests.integration.privacy_support import run_cli
from trustdesk.services.privacy_keys import read_master_key_file
from trustdesk.storage import tables as t
from trustdesk.storage.audit_tables import audit_entries
from trustdesk.storage.privacy_tables import customer_keys


def _snapshot(engine):
    with engine.connect() as connection:
        fields = connection.execute(sa.select(t.customers.c.external_id, t.customers.c.personal_data)
                                    .order_by(t.customers.c.id)).all()
        keys = connection.execute(sa.select(customer_keys.c.master_key_id, customer_keys.c.wrapped_key)).all()
    return [tuple(row) for row in fields], [tuple(row) for row in keys]


def test_rotation_rewraps_every_data_key_without_touching_the_data(client, personas, engine, tmp_path):
    for n in range(3):
        body = interaction(external_id=f"rot-{n}", customer={"external_id": f"cust-rot-{n}", "name": f"Rota Person{n}",
                                                             "email": f"rota{n}@example.com"})
        assert client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers).status_code == 201
    key_file = tmp_path / "master.key"  # the client fixture's server generated it
    old_key = read_master_key_file(key_file)
    fields_before, keys_before = _snapshot(engine)

    result = run_cli(engine, key_file, "keys", "rotate")
    assert result.exit_code == 0, result.output

    new_key = read_master_key_file(key_file)
    assert new_key.key_id != old_key.key_id
    backup = tmp_path / f"master.key.{old_key.key_id}.bak"
    assert read_master_key_file(backup) == old_key and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    fields_after, keys_after = _snapshot(engine)
    assert fields_after == fields_before  # no field was re-encrypted
    assert {key_id for key_id, _ in keys_after} == {new_key.key_id}
    assert len(keys_after) == len(keys_before) and not set(keys_after) & set(keys_before)
    with engine.connect() as connection:
        rotation = connection.execute(sa.select(audit_entries.c.reason)
                                      .where(audit_entries.c.event_type == "key_rotation")).scalar_one()
    assert f"{len(keys_before)} data keys re-wrapped" in rotation

    exported = run_cli(engine, key_file, "dsar", "export", "acme", "cust-rot-1")
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.stdout)["customer"]["personal_data"]["email"] == "rota1@example.com"
    stale = run_cli(engine, backup, "dsar", "export", "acme", "cust-rot-1")
    assert stale.exit_code == 1 and old_key.key_id in stale.output  # the retired key no longer opens anything


def test_an_interrupted_rotation_resumes_with_the_pending_key(client, personas, engine, tmp_path):
    body = interaction(external_id="rot-resume", customer={"external_id": "cust-resume", "name": "Res Ume"})
    client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers)
    key_file = tmp_path / "master.key"
    first = run_cli(engine, key_file, "keys", "rotate")
    assert first.exit_code == 0
    rotated = read_master_key_file(key_file)
    # Simulate a crash after the database commit but before the new key file was installed.
    backup = tmp_path / f"master.key.{rotated.key_id}.bak"
    pending = tmp_path / "master.key.next"
    key_file.rename(pending)
    original = next(tmp_path.glob("master.key.kek-*.bak"))
    key_file.write_text(original.read_text())
    resumed = run_cli(engine, key_file, "keys", "rotate")
    assert resumed.exit_code == 0, resumed.output
    assert "resuming" in resumed.output and "0 data keys re-wrapped" in resumed.output
    assert read_master_key_file(key_file) == rotated and not pending.exists() and not backup.exists()


def test_rotation_without_a_key_file_says_where_it_looked(engine, tmp_path):
    result = run_cli(engine, tmp_path / "absent.key", "keys", "rotate")
    assert result.exit_code == 2 and "absent.key" in result.output.replace("\n", "")  # Rich wraps long paths


def test_encrypt_existing_seals_plaintext_left_by_older_releases_once(client, personas, engine, tmp_path):
    body = interaction(external_id="new-1", customer={"external_id": "cust-new", "name": "Nova Keyed",
                                                      "email": "nova@example.com"})
    assert client.post("/api/v1/interactions", json=body, headers=personas["acme-manager"].headers).status_code == 201
    key_file = tmp_path / "master.key"
    with engine.begin() as connection:
        acme = connection.execute(sa.select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
        # As releases before per-customer encryption stored them: plain values, no data key.
        connection.execute(sa.insert(t.customers), [
            {"brand_id": acme, "external_id": f"cust-legacy-{n}", "country": "US", "created_at": NOW,
             "personal_data": {"name": f"Lena Legacy{n}", "email": f"lena{n}@example.com", "phone": "+1 415 555 0199"}}
            for n in range(3)
        ] + [{"brand_id": acme, "external_id": "cust-empty", "country": "US", "created_at": NOW, "personal_data": {}}])
    fields_before, _ = _snapshot(engine)
    keyed_before = dict(fields_before)["cust-new"]

    result = run_cli(engine, key_file, "keys", "encrypt-existing", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    assert "3 customer(s) had plaintext personal data" in result.stdout

    fields_after, _ = _snapshot(engine)
    stored = dict(fields_after)
    assert stored["cust-new"] == keyed_before and stored["cust-empty"] == {}
    for n in range(3):
        assert set(stored[f"cust-legacy-{n}"]) == {"name", "email", "phone"}
        assert f"lena{n}@example.com" not in json.dumps(stored[f"cust-legacy-{n}"])
    exported = run_cli(engine, key_file, "dsar", "export", "acme", "cust-legacy-1")
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.stdout)["customer"]["personal_data"]["email"] == "lena1@example.com"
    with engine.connect() as connection:
        reasons = connection.execute(sa.select(audit_entries.c.reason).where(
            audit_entries.c.reason.like("plaintext personal data%"))).scalars().all()
    # Batches of two customers, each committed and audited on its own: three customers need at least two.
    assert len(reasons) >= 2 and sum(int(reason.split()[4]) for reason in reasons) == 3

    again = run_cli(engine, key_file, "keys", "encrypt-existing")
    assert again.exit_code == 0 and "0 customer(s) had plaintext" in again.stdout
    assert _snapshot(engine)[0] == fields_after
