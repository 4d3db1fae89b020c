"""Tables of the operations area: agent presence, SLA contracts, case status history, escalations,
customer merges and the agents' eNPS pulse.

They reference the foundation tables by name; ``storage/tables.py`` imports this module so every table
sits on the one ``metadata``.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from trustdesk.storage.tables import metadata, timestamp_column



# Current routing state of an agent. Open interactions are not modeled, so the load per channel is
# whatever the presence feed last reported; an agent without a row has no load and zero occupancy.
agent_presence = Table(
    "agent_presence",
    metadata,
    Column("agent_id", ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True),
    Column("load", JSON, nullable=False, default=dict),
    Column("occupancy", Float, nullable=False, default=0.0),
    timestamp_column("updated_at"),
)

# A brand's contract with a vendor: SLA targets for one priority, in business minutes. ``opens``/``closes`` (HH:MM,
# Monday-Friday in the handling site's zone) bound business hours; both null means the clock runs 24/7.
sla_contracts = Table(
    "sla_contracts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id", ondelete="CASCADE"), nullable=False),
    Column("priority", String(20), nullable=False),
    Column("first_response_minutes", Integer, nullable=False),
    Column("next_response_minutes", Integer, nullable=False),
    Column("resolution_minutes", Integer, nullable=False),
    Column("opens", String(5)),
    Column("closes", String(5)),
    UniqueConstraint("brand_id", "vendor_id", "priority", name="uq_sla_contracts_brand_vendor_priority"),
)

case_status_changes = Table(
    "case_status_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(20), nullable=False),
    timestamp_column("changed_at"),
    Column("changed_by", ForeignKey("users.id")),
    Column("reason", Text),
    Index("ix_case_status_changes_case", "case_id", "changed_at"),
)

# One row per (case, clock, level): an escalation is recorded once, with the reason the rule gave.
escalations = Table(
    "escalations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("clock", String(30), nullable=False),
    Column("level", String(30), nullable=False),
    Column("reason", Text, nullable=False),
    timestamp_column("escalated_at"),
    Column("escalated_by", ForeignKey("users.id")),
    UniqueConstraint("case_id", "clock", "level", name="uq_escalations_case_clock_level"),
)

# An audited, reversible merge: the ids moved from the merged customer to the kept one are recorded, so
# an unmerge moves exactly those back.
customer_merges = Table(
    "customer_merges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("kept_customer_id", ForeignKey("customers.id"), nullable=False),
    Column("merged_customer_id", ForeignKey("customers.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("moved_case_ids", JSON, nullable=False),
    Column("moved_interaction_ids", JSON, nullable=False),
    Column("merged_by", ForeignKey("users.id")),
    timestamp_column("merged_at"),
    Column("unmerged_by", ForeignKey("users.id")),
    timestamp_column("unmerged_at", nullable=True),
    Column("unmerge_reason", Text),
    Index("ix_customer_merges_merged", "merged_customer_id"),
)

# eNPS answers carry no agent id; participation is kept apart so nobody answers twice in a period and
# no answer can be traced back to its agent.
enps_responses = Table(
    "enps_responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("period", String(7), nullable=False),
    Column("score", Integer, nullable=False),
    Index("ix_enps_responses_brand_period", "brand_id", "period"),
)

enps_participation = Table(
    "enps_participation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agent_id", ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
    Column("period", String(7), nullable=False),
    UniqueConstraint("agent_id", "period", name="uq_enps_participation_agent_period"),
)
