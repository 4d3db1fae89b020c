"""Shared fixtures: a migrated database per test on SQLite and on PostgreSQL, and the web app over it.

PostgreSQL tests use TRUSTDESK_TEST_POSTGRES_URL (default: the local server's ``test`` database). When
the server is unreachable they are skipped, except under CI=true, where that is a failure.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from trustdesk.storage.db import create_database_engine, upgrade_database
from trustdesk.storage.tables import metadata

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_url() -> str:
    return os.environ.get("TRUSTDESK_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_database_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine(worker_id, testrun_uid) -> Engine:
    """A migrated schema of its own per test run and worker, so parallel workers and runs never share rows."""
    schema = f"td_{testrun_uid[:10]}_{worker_id}"
    admin = sa.create_engine(_postgres_url())
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {_postgres_url()} is unreachable under CI=true: {error}")
        pytest.skip(f"PostgreSQL unreachable ({_postgres_url()})")
    finally:
        admin.dispose()
    # The schema travels in the URL so the CLI under test, given str(engine.url), lands in it too. Tests
    # need no durability across a server crash, and skipping the commit flush makes them several times faster.
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = sa.engine.make_url(_postgres_url()).update_query_dict({"options": options})
    engine = create_database_engine(url.render_as_string(hide_password=False))
    upgrade_database(engine)
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path) -> Engine:
    """A freshly migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "trustdesk.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = create_database_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    engine = request.getfixturevalue("postgres_engine")
    yield engine
    with engine.begin() as connection:
        existing = set(sa.inspect(connection).get_table_names())
        names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables if table.name in existing)
        connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))



@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """argon2 at production cost takes tens of ms per hash; tests hash hundreds of passwords."""
    from argon2 import PasswordHasher

    from trustdesk.services import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture(autouse=True)
def keys_in_a_temporary_folder(monkeypatch, tmp_path):
    """Commands under test create key files on first use; never in the checkout."""
    monkeypatch.setenv("TRUSTDESK_MASTER_KEY_FILE", str(tmp_path / "master.key"))
    monkeypatch.setenv("TRUSTDESK_AUDIT_KEY_FILE", str(tmp_path / "audit.key"))
