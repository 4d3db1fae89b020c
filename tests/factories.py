"""Test data builders shared by integration and browser tests: contract-shaped interactions and personas."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timezone

from trustdesk.contracts.interaction import InteractionIn
from trustdesk.core.model import Role
from trustdesk.services import accounts
from trustdesk.services.ingest import create_brand, ingest_interactions
from trustdesk.services.pipeline import default_ingest_steps

NOW = datetime(2026, 10, 15, 12, 0, tzinfo=timezone.utc)

BASE_INTERACTION = {
    "external_id": "call-1",
    "brand": "acme",
    "vendor": "manila-bpo",
    "channel": "voice",
    "language": "en",
    "started_at": "2026-10-01T09:00:00Z",
    "ended_at": "2026-10-01T09:07:30Z",
    "hold_seconds": 40,
    "wrap_seconds": 60,
    "customer": {"external_id": "cust-9", "name": "Dana Whitfield", "email": "dana.whitfield@example.com",
                 "phone": "+1 415 555 0134", "country": "US"},
    "agent": {"external_id": "agent-7"},
    "case": {"external_id": "case-55", "purpose": "billing", "priority": "normal", "status": "resolved"},
    "turns": [
        {"speaker": "agent", "text": "Thank you for calling Acme, this call may be recorded. How can I help?", "offset_seconds": 0.0},
        {"speaker": "customer", "text": "Hi, I was charged twice for my October bill.", "offset_seconds": 6.2},
        {"speaker": "agent", "text": "I'm sorry about that. I have refunded the duplicate charge today.", "offset_seconds": 20.0},
    ],
    "survey": {"csat": 5, "nps": 9, "comment": "Quick and kind."},
}


def interaction(**changes) -> dict:
    """A valid contract-shaped interaction with ``changes`` applied at the top level."""
    data = copy.deepcopy(BASE_INTERACTION)
    data.update(changes)
    return data


@dataclass(frozen=True)
class Persona:
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


PERSONAS = {
    # username: (role, brand, vendor)
    "root": (Role.ADMIN, None, None),
    "acme-manager": (Role.BRAND_MANAGER, "acme", None),
    "acme-manila-lead": (Role.SUPERVISOR, "acme", "manila-bpo"),
    "acme-pune-lead": (Role.SUPERVISOR, "acme", "pune-cx"),
    "globex-manager": (Role.BRAND_MANAGER, "globex", None),
    "acme-qa": (Role.QA_ANALYST, "acme", None),
}


def create_personas(connection) -> dict[str, Persona]:
    """Brands acme and globex, vendors manila-bpo and pune-cx, and one user with a token per persona."""
    create_brand(connection, key="acme", name="Acme Air", now=NOW)
    create_brand(connection, key="globex", name="Globex Bank", now=NOW)
    seed = [InteractionIn.model_validate(interaction(external_id=f"seed-{vendor}", vendor=vendor,
                                                     agent={"external_id": f"agent-{vendor}"},
                                                     case={"external_id": f"case-{vendor}", "purpose": "billing"}))
            for vendor in ("manila-bpo", "pune-cx")]
    ingest_interactions(connection, [s.to_domain() for s in seed], steps=default_ingest_steps(), now=NOW,
                        may_create_brands=False)
    result = {}
    for username, (role, brand, vendor) in PERSONAS.items():
        accounts.create_user(connection, username=username, password="correct horse", role=role,
                             brand_key=brand, vendor_key=vendor, now=NOW)
        result[username] = Persona(username, accounts.create_token(connection, username=username, name="test", now=NOW))
    return result
