"""What every command needs: settings from the environment and a migrated database engine."""
from __future__ import annotations

from datetime import datetime, timezone

from rich.console import Console
from sqlalchemy import Engine

from trustdesk.config import Settings, load_settings
from trustdesk.services.privacy_keys import Keyring, new_master_key_notice, open_keyring
from trustdesk.storage.db import create_database_engine, upgrade_database


def settings() -> Settings:
    return load_settings()


def migrated_engine() -> Engine:
    """The configured database, brought to the newest schema first."""
    engine = create_database_engine(settings().database_url)
    upgrade_database(engine)
    return engine


def keyring() -> Keyring:
    """The master key from TRUSTDESK_MASTER_KEY_FILE; generated there, with a notice on stderr, on first run."""
    return open_keyring(settings().master_key_file, now=datetime.now(timezone.utc),
                        on_create=lambda path: Console(stderr=True).print(f"[yellow]{new_master_key_notice(path)}[/yellow]"))
