"""Shared set-up of the QA integration tests: scored acme interactions for three agents, and agent users."""
from __future__ import annotations

from sqlalchemy import select

from tests.factories import NOW, Persona, interaction
from trustdesk.contracts.interaction import InteractionIn
from trustdesk.core.model import Role
from trustdesk.services import accounts
from trustdesk.services.consent import find_or_create_customer, record_consent
from trustdesk.services.ingest import ingest_interactions
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.storage import tables as t

NO_GREETING_TURNS = [
    {"speaker": "agent", "text": "Account number please. This call may be recorded.", "offset_seconds": 0.0},
    {"speaker": "customer", "text": "I was charged twice for my October bill.", "offset_seconds": 6.2},
    {"speaker": "agent", "text": "I'm sorry about that. I have refunded the duplicate charge today.", "offset_seconds": 20.0},
]


def scored_interaction(external_id: str, *, agent: str = "agent-7", vendor: str = "manila-bpo", day: int = 1,
                       greets: bool = True, **changes) -> dict:
    data = interaction(external_id=external_id, vendor=vendor, agent={"external_id": agent},
                       started_at=f"2026-10-{day:02d}T09:00:00Z", ended_at=f"2026-10-{day:02d}T09:07:30Z", **changes)
    if not greets:
        data["turns"] = NO_GREETING_TURNS
    return data


def grant_quality_analytics(connection, brand: str, customer: str) -> None:
    """Record the customer's consent to quality analytics: without it ingest stores but never scores."""
    brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand)).scalar_one()
    ref = find_or_create_customer(connection, brand_id=brand_id, brand_key=brand, customer_external_id=customer,
                                  country=None, now=NOW)
    record_consent(connection, ref, purpose="quality_analytics", decision="granted", channel="web",
                   wording="May we use this conversation to check and improve our service?", at=NOW,
                   actor="test", role="admin", origin="test")


def store(engine, items: list[dict], *, consenting: bool = True) -> dict[str, int]:
    """Ingest contract-shaped interactions through the real pipeline, their customers first consenting to
    quality analytics unless ``consenting`` is False; external id -> interaction id."""
    with engine.begin() as connection:
        for brand, customer in sorted({(i["brand"], i["customer"]["external_id"]) for i in items}):
            if consenting:
                grant_quality_analytics(connection, brand, customer)
        results = ingest_interactions(connection, [InteractionIn.model_validate(i).to_domain() for i in items],
                                      steps=default_ingest_steps(), now=NOW, may_create_brands=False)
    return {r.external_id: r.id for r in results}


def create_agent_user(engine, username: str, agent_external_id: str, *, vendor: str = "manila-bpo") -> Persona:
    with engine.begin() as connection:
        accounts.create_user(connection, username=username, password="correct horse", role=Role.AGENT,
                             brand_key="acme", vendor_key=vendor, agent_external_id=agent_external_id, now=NOW)
        return Persona(username, accounts.create_token(connection, username=username, name="test", now=NOW))


def create_user(engine, username: str, role: Role, *, brand: str | None = "acme", vendor: str | None = None) -> Persona:
    with engine.begin() as connection:
        accounts.create_user(connection, username=username, password="correct horse", role=role, brand_key=brand,
                             vendor_key=vendor, now=NOW)
        return Persona(username, accounts.create_token(connection, username=username, name="test", now=NOW))
