"""outsourcing_disclosure checks an agent's "where are you?" answer against where the vendor registry says
the vendor works, at ingest and at rescore; the brand's own registration outranks the directory entry,
and a vendor the registry knows nothing about falls back to a place named in its key."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests.factories import NOW
from tests.integration.quality_support import scored_interaction, store
from trustdesk.services import directory
from trustdesk.services.quality import rescore_brand
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import vendor_registrations

LOCATION_TURNS = [
    {"speaker": "agent", "text": "Hello, Acme support, this call may be recorded. How can I help?"},
    {"speaker": "customer", "text": "Quick one: where are you based?"},
    {"speaker": "agent", "text": "I'm with Acme's service partner in Pune, India."},
]


def _outsourcing(engine, external_id: str) -> str:
    with engine.connect() as connection:
        criteria = connection.execute(
            sa.select(t.quality_results.c.criteria)
            .join(t.interactions, t.interactions.c.id == t.quality_results.c.interaction_id)
            .where(t.interactions.c.external_id == external_id)).scalar_one()
    return next(c["result"] for c in criteria if c["id"] == "outsourcing_disclosure")


def _register(engine, vendor: str, *, directory_countries: list[str],
              brand_countries: list[str] | None = None) -> None:
    with engine.begin() as connection:
        vendor_id = directory.save_vendor(connection, key=vendor, name=vendor, legal_name=None,
                                          countries=directory_countries, sites=[], now=NOW)
        if brand_countries is not None:
            brand_id = connection.execute(
                sa.select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
            connection.execute(sa.insert(vendor_registrations).values(
                brand_id=brand_id, vendor_id=vendor_id, legal_name=vendor, countries=brand_countries, sites=[],
                contract_start=date(2026, 1, 1), contract_end=None, updated_at=NOW))


def test_ingest_checks_the_answer_against_the_registered_countries(engine, personas):
    _register(engine, "northwind", directory_countries=["IN"])
    _register(engine, "southwind", directory_countries=["PH"])
    store(engine, [scored_interaction("call-in", vendor="northwind", turns=LOCATION_TURNS),
                   scored_interaction("call-ph", vendor="southwind", turns=LOCATION_TURNS),
                   # unknown to the registry and naming no place in its key: the disclosure phrase decides
                   scored_interaction("call-unknown", vendor="eastwind", turns=LOCATION_TURNS)])
    assert _outsourcing(engine, "call-in") == "pass"
    assert _outsourcing(engine, "call-ph") == "fail"
    assert _outsourcing(engine, "call-unknown") == "pass"


def test_the_brands_registration_outranks_the_directory_and_rescore_reads_it(engine, personas):
    _register(engine, "northwind", directory_countries=["IN"])
    store(engine, [scored_interaction("call-1", vendor="northwind", turns=LOCATION_TURNS)])
    assert _outsourcing(engine, "call-1") == "pass"
    # the brand records that the vendor now serves it from the Philippines only
    _register(engine, "northwind", directory_countries=["IN"], brand_countries=["PH"])
    with engine.begin() as connection:
        brand_id = connection.execute(sa.select(t.brands.c.id).where(t.brands.c.key == "acme")).scalar_one()
        rescore_brand(connection, brand_id=brand_id, now=NOW)
    assert _outsourcing(engine, "call-1") == "fail"
