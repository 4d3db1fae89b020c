"""Tables of purpose-bound access: brand policies, training records, break-glass flags, retention marks, incidents."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, JSON, String, Table, Text

from trustdesk.storage.tables import metadata

# The privacy policy a brand chose: a preset name or a TOML text (usually ``extends = "<preset>"``).
# A brand without a row follows the shipped default preset.
brand_policies = Table(
    "brand_policies",
    metadata,
    Column("brand_id", ForeignKey("brands.id"), primary_key=True, autoincrement=False),
    Column("source", Text, nullable=False),
    Column("policy_name", String(200), nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# A course completion by a user account or by an agent record (whichever the training system knows).
training_records = Table(
    "training_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE")),
    Column("agent_id", ForeignKey("agents.id", ondelete="CASCADE")),
    Column("course", String(200), nullable=False),
    Column("completed_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_training_records_user", "user_id"),
    Index("ix_training_records_agent", "agent_id"),
)

# Every break-glass access, for the privacy officer to review.
break_glass_flags = Table(
    "break_glass_flags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("customer_id", ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    Column("case_external_id", String(200)),
    Column("purpose", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("fields", JSON, nullable=False),
    Column("audit_entry_id", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reviewed_by", String(200)),
    Column("reviewed_at", DateTime(timezone=True)),
    Index("ix_break_glass_flags_brand_at", "brand_id", "at"),
)

# Records the retention sweep anonymized in place, so a second sweep does not count them again.
retention_anonymized = Table(
    "retention_anonymized",
    metadata,
    Column("data_class", String(40), primary_key=True),
    Column("record_id", Integer, primary_key=True, autoincrement=False),
    Column("anonymized_at", DateTime(timezone=True), nullable=False),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("description", Text, nullable=False),
    Column("discovered_at", DateTime(timezone=True), nullable=False),
    Column("notification_hours", Integer, nullable=False),
    Column("notification_status", String(20), nullable=False),
    Column("notified_at", DateTime(timezone=True)),
    Column("status_reason", Text),
    # The query that found the affected customers, kept so the list can be explained later.
    Column("affected_query", JSON, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_incidents_brand_discovered", "brand_id", "discovered_at"),
)

incident_customers = Table(
    "incident_customers",
    metadata,
    Column("incident_id", ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("customer_id", ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True),
)
