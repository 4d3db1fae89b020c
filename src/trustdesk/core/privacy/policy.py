"""Privacy policy as configuration: shipped presets (default, GDPR, CCPA, HIPAA, PCI DSS) or a brand's TOML.

A policy may start with ``extends = "<preset>"``: its tables are merged key by key over the preset's, so a
brand states only what differs. The merged document must be complete; every error names the dotted key.
"""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from trustdesk.core.privacy.access_policy import AccessPolicy, parse_access_table
from trustdesk.core.privacy.consent import ConsentDefaults, parse_consent_defaults
from trustdesk.core.privacy.policy_table import (
    PolicyError,
    read_int,
    read_str,
    read_table,
    reject_unknown_keys,
)
from trustdesk.core.privacy.retention import RetentionPolicy, parse_retention_table

PRESET_NAMES: tuple[str, ...] = ("default", "gdpr", "ccpa", "hipaa", "pci_dss")
_TOP_LEVEL_KEYS = (
    "name",
    "description",
    "extends",
    "dsar_deadline_days",
    "incident_notification_hours",
    "consent",
    "retention",
    "access",
)


@dataclass(frozen=True)
class PrivacyPolicy:
    name: str
    description: str
    consent_defaults: ConsentDefaults
    retention: RetentionPolicy
    access: AccessPolicy
    dsar_deadline_days: int
    incident_notification_hours: int


@cache
def _preset_text(name: str) -> str:
    return resources.files("trustdesk.core.privacy").joinpath("policies", f"{name}.toml").read_text("utf-8")


def _parse_toml(text: str, *, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(source, f"not valid TOML: {error}") from None


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _resolve_extends(document: Mapping[str, Any], *, seen: tuple[str, ...]) -> dict[str, Any]:
    parent = document.get("extends")
    if parent is None:
        return dict(document)
    if parent not in PRESET_NAMES:
        raise PolicyError("extends", f"{parent!r} is not one of {', '.join(PRESET_NAMES)}")
    if parent in seen:
        raise PolicyError("extends", f"presets extend each other in a cycle: {' -> '.join((*seen, parent))}")
    base = _resolve_extends(_parse_toml(_preset_text(parent), source=parent), seen=(*seen, parent))
    own = {key: value for key, value in document.items() if key != "extends"}
    return _merge(base, own)


def parse_policy(text: str) -> PrivacyPolicy:
    """Parse and validate a policy TOML text (with its ``extends`` preset merged in)."""
    document = _resolve_extends(_parse_toml(text, source="(document)"), seen=())
    reject_unknown_keys(document, parent="", known=_TOP_LEVEL_KEYS)
    consent = read_table(document, "consent", parent="")
    reject_unknown_keys(consent, parent="consent", known=("defaults",))
    return PrivacyPolicy(
        name=read_str(document, "name", parent="", default="custom"),
        description=read_str(document, "description", parent="", default=""),
        consent_defaults=parse_consent_defaults(
            read_table(consent, "defaults", parent="consent"), parent="consent.defaults"
        ),
        retention=parse_retention_table(read_table(document, "retention", parent=""), parent="retention"),
        access=parse_access_table(read_table(document, "access", parent=""), parent="access"),
        dsar_deadline_days=read_int(document, "dsar_deadline_days", parent="", minimum=1),
        incident_notification_hours=read_int(document, "incident_notification_hours", parent="", minimum=1),
    )


def load_policy(name_or_text: str) -> PrivacyPolicy:
    """A shipped preset by name (``default``, ``gdpr``, ``ccpa``, ``hipaa``, ``pci_dss``), else TOML text."""
    if name_or_text in PRESET_NAMES:
        return parse_policy(_preset_text(name_or_text))
    if "=" not in name_or_text and "[" not in name_or_text:
        raise PolicyError(
            "(policy)", f"{name_or_text!r} is neither a preset ({', '.join(PRESET_NAMES)}) nor TOML"
        )
    return parse_policy(name_or_text)
