"""SQLAlchemy 2 table definitions: the one place the relational schema is described.

Alembic migrations in ``storage/migrations`` are generated from and checked against this metadata.
Personal customer fields live in one column, ``customers.personal_data``, so the privacy layer can
encrypt them as a unit.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def timestamp_column(name: str, *, nullable: bool = False) -> Column:
    """A time zone-aware timestamp column; every table stores UTC."""
    return Column(name, DateTime(timezone=True), nullable=nullable)


brands = Table(
    "brands",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    timestamp_column("created_at"),
)

vendors = Table(
    "vendors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("legal_name", String(300)),
    Column("is_in_house", Boolean, nullable=False, default=False),
    Column("countries", JSON, nullable=False, default=list),
    Column("sites", JSON, nullable=False, default=list),
    timestamp_column("created_at"),
)

teams = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("brand_id", "key", name="uq_teams_brand_key"),
)

agents = Table(
    "agents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("team_id", ForeignKey("teams.id")),
    Column("external_id", String(200), nullable=False),
    Column("display_name", String(200)),
    Column("country", String(2)),
    Column("languages", JSON, nullable=False, default=dict),
    Column("skills", JSON, nullable=False, default=list),
    Column("channels", JSON, nullable=False, default=list),
    Column("capacity", JSON, nullable=False, default=dict),
    Column("time_zone", String(64)),
    Column("shift_start", String(5)),
    Column("shift_end", String(5)),
    UniqueConstraint("brand_id", "external_id", name="uq_agents_brand_external_id"),
)

customers = Table(
    "customers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("country", String(2)),
    Column("personal_data", JSON, nullable=False, default=dict),
    timestamp_column("created_at"),
    UniqueConstraint("brand_id", "external_id", name="uq_customers_brand_external_id"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("purpose", String(200), nullable=False),
    Column("priority", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    timestamp_column("opened_at"),
    timestamp_column("updated_at"),
    UniqueConstraint("brand_id", "external_id", name="uq_cases_brand_external_id"),
)

interactions = Table(
    "interactions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("agent_id", ForeignKey("agents.id"), nullable=False),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("case_id", ForeignKey("cases.id"), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("language", String(16)),
    timestamp_column("started_at"),
    timestamp_column("ended_at"),
    Column("hold_seconds", Float, nullable=False),
    Column("wrap_seconds", Float, nullable=False),
    Column("handle_seconds", Float, nullable=False),
    Column("turn_count", Integer, nullable=False),
    Column("qa_score", Float),
    Column("qa_passed", Boolean),
    timestamp_column("ingested_at"),
    UniqueConstraint("brand_id", "external_id", name="uq_interactions_brand_external_id"),
    Index("ix_interactions_brand_started", "brand_id", "started_at"),
    Index("ix_interactions_brand_vendor_started", "brand_id", "vendor_id", "started_at"),
    Index("ix_interactions_case", "case_id"),
    # Every ingest batch reads its customers' contacts within the repeat-contact window (metrics rollups).
    Index("ix_interactions_customer_started", "customer_id", "started_at"),
)

# One row per interaction: the redacted turns as a JSON list of {speaker, text, offset_seconds, entities}.
# A document per transcript keeps ingest at one row per interaction and lets retention drop transcripts
# while keeping the interaction's facts for metrics.
transcripts = Table(
    "transcripts",
    metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("turns", JSON, nullable=False),
)

surveys = Table(
    "surveys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("csat", Integer),
    Column("nps", Integer),
    Column("comment", Text),
    timestamp_column("answered_at"),
)

quality_results = Table(
    "quality_results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("scorecard", String(200), nullable=False),
    Column("score", Float),
    Column("passed", Boolean),
    Column("criteria", JSON, nullable=False),
    Column("source", String(20), nullable=False),
    timestamp_column("scored_at"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(200), nullable=False, unique=True),
    Column("password_hash", String(300)),
    Column("role", String(30), nullable=False),
    Column("brand_id", ForeignKey("brands.id")),
    Column("vendor_id", ForeignKey("vendors.id")),
    Column("agent_id", ForeignKey("agents.id")),
    Column("display_name", String(200)),
    Column("active", Boolean, nullable=False, default=True),
    timestamp_column("created_at"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    timestamp_column("created_at"),
    timestamp_column("last_used_at", nullable=True),
)
from trustdesk.storage import audit_tables  # noqa: E402,F401  (registers its tables on metadata)
from trustdesk.storage import operations_tables  # noqa: E402,F401  (registers its tables on metadata)
from trustdesk.storage import governance_tables  # noqa: E402,F401  (registers its tables on metadata)
from trustdesk.storage import quality_tables  # noqa: E402,F401  (registers its tables on metadata)
from trustdesk.storage import metrics_tables  # noqa: E402,F401  (registers its tables on metadata)
from trustdesk.storage import access_tables  # noqa: E402,F401  (registers its tables on metadata)
from trustdesk.storage import privacy_tables  # noqa: E402,F401  (registers its tables on metadata)
