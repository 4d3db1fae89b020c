"""What every command needs: settings from the environment and a migrated database engine."""
from __future__ import annotations

from sqlalchemy import Engine

from trustdesk.config import Settings, load_settings
from trustdesk.storage.db import create_database_engine, upgrade_database


def settings() -> Settings:
    return load_settings()


def migrated_engine() -> Engine:
    """The configured database, brought to the newest schema first."""
    engine = create_database_engine(settings().database_url)
    upgrade_database(engine)
    return engine
