"""Settings read once at start-up from the environment and passed down; nothing reads os.environ later."""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///trustdesk.db"
# A batch of 500 voice interactions of 20 turns is about 1 MiB; 8 MiB leaves room without letting
# one request pin the server's memory.
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message names the variable or key."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    master_key_file: Path = Path("trustdesk.key")
    audit_key_file: Path = Path("trustdesk-audit.key")
    secret_key: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    config: Mapping[str, object] = field(default_factory=dict)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from an environment mapping (``os.environ`` when not given)."""
    env = os.environ if environ is None else environ
    config_path = env.get("TRUSTDESK_CONFIG")
    config: dict[str, object] = {}
    if config_path:
        try:
            config = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"TRUSTDESK_CONFIG={config_path!r} cannot be read: {error}") from error
    max_body = env.get("TRUSTDESK_MAX_BODY_BYTES", str(DEFAULT_MAX_BODY_BYTES))
    if not max_body.isdigit():
        raise ConfigError(f"TRUSTDESK_MAX_BODY_BYTES has value {max_body!r}. Not a whole number of bytes.")
    return Settings(
        database_url=env.get("TRUSTDESK_DATABASE_URL", DEFAULT_DATABASE_URL),
        master_key_file=Path(env.get("TRUSTDESK_MASTER_KEY_FILE", "trustdesk.key")),
        audit_key_file=Path(env.get("TRUSTDESK_AUDIT_KEY_FILE", "trustdesk-audit.key")),
        secret_key=env.get("TRUSTDESK_SECRET_KEY"),
        max_body_bytes=int(max_body),
        config=config,
    )


def minutes_setting(config: Mapping[str, object], section: str, key: str) -> timedelta | None:
    """``[section] key = N`` (whole minutes > 0) of the TOML configuration; None when absent."""
    table = config.get(section, {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"[{section}] must be a table")
    minutes = table.get(key)
    if minutes is None:
        return None
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise ConfigError(f"[{section}] {key} has value {minutes!r}. Not a positive whole number of minutes.")
    return timedelta(minutes=minutes)
