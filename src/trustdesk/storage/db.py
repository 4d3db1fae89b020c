"""Engine creation and transactions: SQLite in WAL mode by default, PostgreSQL through the URL."""
from __future__ import annotations

from pathlib import Path

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# JSON columns (transcripts, metric facts, QA criteria) are written on every ingest; orjson encodes them
# several times faster than the json module. The options keep the json module's strictness and output:
# non-string keys become strings, and datetimes and dataclasses are refused rather than silently encoded.
_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _json_text(value) -> str:
    return orjson.dumps(value, option=_JSON_OPTIONS).decode()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_database_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite connections get WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=_json_text)
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_immediately)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json_text)


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web server read while an import writes; NORMAL sync is durable across app crashes
    # in WAL mode (only an OS crash can lose the last commits).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # We emit BEGIN ourselves (below); the driver's own implicit transactions would start too late.
    dbapi_connection.isolation_level = None


def _begin_immediately(connection) -> None:
    # A deferred transaction that starts reading and then writes fails at once with "database is locked"
    # when another writer got there first; BEGIN IMMEDIATE queues for the write lock (busy timeout) instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_database(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    command.upgrade(alembic_config(engine), "heads")
