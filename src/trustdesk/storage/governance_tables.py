"""Tables of the voice of the customer (survey links, effort scores, complaints, follow-up tasks) and of
vendor governance (the brand's vendor registry, documents, SLA targets, due diligence, audits)."""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from trustdesk.storage.tables import metadata, timestamp_column



# Per brand: which survey questions are asked and how they are worded, the key that signs survey links
# and how long links and follow-up tasks last.
survey_settings = Table(
    "survey_settings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False, unique=True),
    Column("questions", JSON, nullable=False),
    Column("wording", JSON, nullable=False),
    Column("signing_key", LargeBinary(64), nullable=False),
    Column("link_valid_days", Integer, nullable=False),
    Column("follow_up_business_days", Integer, nullable=False),
    timestamp_column("updated_at"),
)

survey_invitations = Table(
    "survey_invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), nullable=False, unique=True),
    timestamp_column("issued_at"),
    timestamp_column("expires_at"),
    timestamp_column("answered_at", nullable=True),
)

# The customer-effort answer (CES 1-7) beside the interaction's row in ``surveys``.
survey_effort = Table(
    "survey_effort",
    metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("ces", Integer, nullable=False),
)

complaints = Table(
    "complaints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id")),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="SET NULL")),
    Column("customer_id", ForeignKey("customers.id", ondelete="SET NULL")),
    Column("channel", String(10), nullable=False),
    Column("category", String(50), nullable=False),
    Column("summary", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("resolution", Text),
    Column("created_by", ForeignKey("users.id")),
    timestamp_column("received_at"),
    timestamp_column("resolved_at", nullable=True),
    Index("ix_complaints_brand_status", "brand_id", "status"),
)

follow_up_tasks = Table(
    "follow_up_tasks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    # The vendor whose supervisors own the task: the agent's vendor.
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="SET NULL")),
    Column("complaint_id", ForeignKey("complaints.id", ondelete="CASCADE")),
    Column("reason", String(20), nullable=False),
    Column("detail", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("note", Text),
    timestamp_column("created_at"),
    timestamp_column("due_at"),
    timestamp_column("closed_at", nullable=True),
    Column("closed_by", ForeignKey("users.id")),
    Index("ix_follow_up_tasks_brand_vendor_status", "brand_id", "vendor_id", "status"),
)

# The brand's record of a vendor it contracts: legal identity, where the work happens, the contract term.
vendor_registrations = Table(
    "vendor_registrations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("legal_name", String(300), nullable=False),
    Column("countries", JSON, nullable=False),
    Column("sites", JSON, nullable=False),
    Column("contract_start", Date),
    Column("contract_end", Date),
    timestamp_column("updated_at"),
    UniqueConstraint("brand_id", "vendor_id", name="uq_vendor_registrations_brand_vendor"),
)

vendor_certifications = Table(
    "vendor_certifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("registration_id", ForeignKey("vendor_registrations.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("issued_on", Date),
    Column("expires_on", Date, nullable=False),
    UniqueConstraint("registration_id", "name", name="uq_vendor_certifications_registration_name"),
)

vendor_agreements = Table(
    "vendor_agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("registration_id", ForeignKey("vendor_registrations.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("signed_on", Date, nullable=False),
    Column("expires_on", Date),
    UniqueConstraint("registration_id", "kind", name="uq_vendor_agreements_registration_kind"),
)

vendor_sla_targets = Table(
    "vendor_sla_targets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("registration_id", ForeignKey("vendor_registrations.id", ondelete="CASCADE"), nullable=False),
    Column("priority", String(20), nullable=False),
    Column("first_response_minutes", Integer, nullable=False),
    Column("resolution_minutes", Integer, nullable=False),
    UniqueConstraint("registration_id", "priority", name="uq_vendor_sla_targets_registration_priority"),
)

due_diligence_items = Table(
    "due_diligence_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("registration_id", ForeignKey("vendor_registrations.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(50), nullable=False),
    Column("title", String(300), nullable=False),
    Column("status", String(20), nullable=False),
    Column("evidence", Text),
    Column("updated_by", ForeignKey("users.id")),
    timestamp_column("updated_at", nullable=True),
    UniqueConstraint("registration_id", "key", name="uq_due_diligence_items_registration_key"),
)

audits = Table(
    "audits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id")),  # None: the audit covers every vendor of the brand
    Column("title", String(300), nullable=False),
    Column("period_from", Date, nullable=False),
    Column("period_to", Date, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("margin", Float, nullable=False),
    # The draw is reproducible: the same interactions and seed give the same sample.
    Column("seed", Integer, nullable=False),
    Column("population", Integer, nullable=False),
    Column("target_size", Integer, nullable=False),
    Column("strata", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_by", ForeignKey("users.id")),
    timestamp_column("created_at"),
)

audit_samples = Table(
    "audit_samples",
    metadata,
    Column("audit_id", ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("channel", String(10), nullable=False),
)

audit_findings = Table(
    "audit_findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", ForeignKey("audits.id", ondelete="CASCADE"), nullable=False),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="SET NULL")),
    Column("severity", String(20), nullable=False),
    Column("title", String(300), nullable=False),
    Column("detail", Text),
    Column("created_by", ForeignKey("users.id")),
    timestamp_column("created_at"),
)

corrective_actions = Table(
    "corrective_actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("finding_id", ForeignKey("audit_findings.id", ondelete="CASCADE"), nullable=False),
    Column("description", Text, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("note", Text),
    Column("updated_by", ForeignKey("users.id")),
    timestamp_column("updated_at"),
)
