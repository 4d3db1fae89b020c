"""Privacy tables: per-customer data keys, the append-only consent ledger, data-subject requests."""
from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from trustdesk.storage.tables import metadata

# One data key per customer, wrapped by the master key. Deleting the row is the crypto-shredding step of
# an erasure: the customer's encrypted fields can never be read again, wherever copies of them survive.
customer_keys = Table(
    "customer_keys",
    metadata,
    Column("customer_id", ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    # Also inside wrapped_key's header; kept as a column so rotation finds the keys still under an old master.
    Column("master_key_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_customer_keys_master_key_id", "master_key_id"),
)

# Append-only: a withdrawal is a new row, never an update. The id orders events recorded at the same instant.
consent_events = Table(
    "consent_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("purpose", String(40), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("wording", Text, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Index("ix_consent_events_customer", "customer_id", "purpose"),
)

dsar_requests = Table(
    "dsar_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("state", String(20), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Column("note", Text),
    # Rectification only: the corrected field values, applied (encrypted) when the request completes and
    # then replaced by the list of field names, so no plaintext outlives the request.
    Column("changes", JSON),
    Column("received_by", String(200), nullable=False),
    Index("ix_dsar_requests_brand_state_due", "brand_id", "state", "due_at"),
)
