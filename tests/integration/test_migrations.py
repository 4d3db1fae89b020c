"""The Alembic migrations build exactly the schema the table definitions describe, on both databases."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from trustdesk.storage.tables import metadata


def test_migrated_schema_matches_the_table_definitions(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    # SQLite cannot report some constraint details the same way; types and columns must still agree.
    assert differences == [], differences
