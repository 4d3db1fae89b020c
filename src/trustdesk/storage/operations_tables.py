"""Tables of the operations area: agent presence, SLA contracts, case status history, escalations,
customer merges, their duplicate-matching keys and dismissed duplicate suggestions, OLA targets and case hand-offs between teams, agents'
scheduled and taken breaks, and the agents' eNPS pulse.

They reference the foundation tables by name; ``storage/tables.py`` imports this module so every table
sits on the one ``metadata``.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
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

# Internal targets between teams (OLA): ``to_team`` owes ``from_team`` an answer within ``target_minutes``
# business minutes of the owing team's calendar, for cases of one priority.
ola_targets = Table(
    "ola_targets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("from_team_id", ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("to_team_id", ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("priority", String(20), nullable=False),
    Column("target_minutes", Integer, nullable=False),
    UniqueConstraint("from_team_id", "to_team_id", "priority", name="uq_ola_targets_from_team_to_team_priority"),
)

# A case handed from one team to another: the OLA clock runs from ``handed_at`` until the receiving team
# replies, recorded here or implied by its first response to the customer afterwards.
case_handoffs = Table(
    "case_handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("from_team_id", ForeignKey("teams.id"), nullable=False),
    Column("to_team_id", ForeignKey("teams.id"), nullable=False),
    timestamp_column("handed_at"),
    Column("handed_by", ForeignKey("users.id")),
    Column("note", Text),
    timestamp_column("replied_at", nullable=True),
    Column("replied_by", ForeignKey("users.id")),
    Index("ix_case_handoffs_case", "case_id"),
)

# Breaks planned for one shift (``shift_date`` is the local date the shift starts on).
scheduled_breaks = Table(
    "scheduled_breaks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agent_id", ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
    Column("shift_date", Date, nullable=False),
    timestamp_column("starts_at"),
    Column("minutes", Integer, nullable=False),
    UniqueConstraint("agent_id", "starts_at", name="uq_scheduled_breaks_agent_starts_at"),
    Index("ix_scheduled_breaks_agent_shift_date", "agent_id", "shift_date"),
)

# Breaks as actually taken, from the agent's own log or the presence feed.
taken_breaks = Table(
    "taken_breaks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agent_id", ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
    timestamp_column("started_at"),
    timestamp_column("ended_at"),
    Column("recorded_by", ForeignKey("users.id")),
    timestamp_column("recorded_at"),
    Index("ix_taken_breaks_agent_started", "agent_id", "started_at"),
)

# Keyed blind index of a customer's identifiers (HMAC of the normalized value), so duplicate records can be
# found without decrypting everyone. One row per customer whose fields were indexed; ``key_id`` names the
# master key the HMAC key came from, so rows made under an older key are recomputed. Erasure deletes the row.
customer_match_keys = Table(
    "customer_match_keys",
    metadata,
    Column("customer_id", ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("email_digest", String(64)),
    Column("phone_digest", String(64)),
    timestamp_column("indexed_at"),
    Index("ix_customer_match_keys_brand_email", "brand_id", "email_digest"),
    Index("ix_customer_match_keys_brand_phone", "brand_id", "phone_digest"),
)

# Suggested pairs a person judged to be two different customers, so they are not suggested again; the pair is
# stored lowest customer id first.
customer_duplicate_dismissals = Table(
    "customer_duplicate_dismissals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("first_customer_id", ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    Column("second_customer_id", ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("dismissed_by", ForeignKey("users.id")),
    timestamp_column("dismissed_at"),
    UniqueConstraint("first_customer_id", "second_customer_id", name="uq_customer_duplicate_dismissals_pair"),
)
