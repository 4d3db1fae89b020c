"""The tamper-evident audit log: entries with their chained leaf hashes, and signed tree heads."""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from trustdesk.storage.tables import metadata

audit_entries = Table(
    "audit_entries",
    metadata,
    # Assigned by the appender (previous id + 1 under a lock), never by the database, because the id is
    # part of the hashed entry and a gap must mean a deletion.
    Column("entry_id", Integer, primary_key=True, autoincrement=False),
    Column("brand_id", ForeignKey("brands.id")),
    Column("user", String(200), nullable=False),
    Column("role", String(30), nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("success", Boolean, nullable=False),
    Column("origin", String(200), nullable=False),
    Column("resource", String(300), nullable=False),
    Column("customer", String(300)),
    Column("fields", JSON, nullable=False),
    Column("purpose", String(200)),
    Column("case_ref", String(300)),
    Column("reason", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    Index("ix_audit_entries_brand_at", "brand_id", "at"),
)

audit_tree_heads = Table(
    "audit_tree_heads",
    metadata,
    Column("tree_size", Integer, primary_key=True, autoincrement=False),
    Column("root_hash", String(64), nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("signature", LargeBinary, nullable=False),
)

# One row (chain = 1): the id and hash of the newest entry. An appender locks it with SELECT ... FOR UPDATE,
# which serializes appenders and hands each the head its predecessor committed in one round trip; it also
# lets verification notice entries deleted from the end of the log.
audit_chain_head = Table(
    "audit_chain_head",
    metadata,
    Column("chain", Integer, primary_key=True, autoincrement=False),
    Column("entry_id", Integer, nullable=False),
    Column("entry_hash", String(64), nullable=False),
)
