"""voice of the customer and vendor governance

Revision ID: 0005
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, **options) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), **options)


def upgrade() -> None:
    op.create_table(
        "survey_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("wording", sa.JSON(), nullable=False),
        sa.Column("signing_key", sa.LargeBinary(length=64), nullable=False),
        sa.Column("link_valid_days", sa.Integer(), nullable=False),
        sa.Column("follow_up_business_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("survey_settings", "brand_id", "brands"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_settings")),
        sa.UniqueConstraint("brand_id", name=op.f("uq_survey_settings_brand_id")),
    )
    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        _fk("survey_invitations", "interaction_id", "interactions", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
        sa.UniqueConstraint("interaction_id", name=op.f("uq_survey_invitations_interaction_id")),
    )
    op.create_table(
        "survey_effort",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("ces", sa.Integer(), nullable=False),
        _fk("survey_effort", "interaction_id", "interactions", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_survey_effort")),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        _fk("complaints", "brand_id", "brands"),
        _fk("complaints", "vendor_id", "vendors"),
        _fk("complaints", "interaction_id", "interactions", ondelete="SET NULL"),
        _fk("complaints", "customer_id", "customers", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_complaints_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
    )
    op.create_index("ix_complaints_brand_status", "complaints", ["brand_id", "status"])
    op.create_table(
        "follow_up_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        _fk("follow_up_tasks", "brand_id", "brands"),
        _fk("follow_up_tasks", "vendor_id", "vendors"),
        _fk("follow_up_tasks", "interaction_id", "interactions", ondelete="SET NULL"),
        _fk("follow_up_tasks", "complaint_id", "complaints", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["closed_by"], ["users.id"], name=op.f("fk_follow_up_tasks_closed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_tasks")),
    )
    op.create_index("ix_follow_up_tasks_brand_vendor_status", "follow_up_tasks", ["brand_id", "vendor_id", "status"])
    op.create_table(
        "vendor_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("legal_name", sa.String(length=300), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("sites", sa.JSON(), nullable=False),
        sa.Column("contract_start", sa.Date(), nullable=True),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("vendor_registrations", "brand_id", "brands"),
        _fk("vendor_registrations", "vendor_id", "vendors"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_registrations")),
        sa.UniqueConstraint("brand_id", "vendor_id", name="uq_vendor_registrations_brand_vendor"),
    )
    for table, extra_columns, unique in [
        ("vendor_certifications",
         [sa.Column("name", sa.String(length=100), nullable=False), sa.Column("issued_on", sa.Date(), nullable=True),
          sa.Column("expires_on", sa.Date(), nullable=False)], "name"),
        ("vendor_agreements",
         [sa.Column("kind", sa.String(length=30), nullable=False), sa.Column("signed_on", sa.Date(), nullable=False),
          sa.Column("expires_on", sa.Date(), nullable=True)], "kind"),
        ("vendor_sla_targets",
         [sa.Column("priority", sa.String(length=20), nullable=False),
          sa.Column("first_response_minutes", sa.Integer(), nullable=False),
          sa.Column("resolution_minutes", sa.Integer(), nullable=False)], "priority"),
        ("due_diligence_items",
         [sa.Column("key", sa.String(length=50), nullable=False), sa.Column("title", sa.String(length=300), nullable=False),
          sa.Column("status", sa.String(length=20), nullable=False), sa.Column("evidence", sa.Text(), nullable=True),
          sa.Column("updated_by", sa.Integer(), nullable=True),
          sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True)], "key"),
    ]:
        constraints = [
            _fk(table, "registration_id", "vendor_registrations", ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("registration_id", unique, name=f"uq_{table}_registration_{unique}"),
        ]
        if table == "due_diligence_items":
            constraints.append(sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f(f"fk_{table}_updated_by_users")))
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("registration_id", sa.Integer(), nullable=False),
            *extra_columns,
            *constraints,
        )
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("margin", sa.Float(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("target_size", sa.Integer(), nullable=False),
        sa.Column("strata", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("audits", "brand_id", "brands"),
        _fk("audits", "vendor_id", "vendors"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_audits_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audits")),
    )
    op.create_table(
        "audit_samples",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        _fk("audit_samples", "audit_id", "audits", ondelete="CASCADE"),
        _fk("audit_samples", "interaction_id", "interactions", ondelete="CASCADE"),
        _fk("audit_samples", "vendor_id", "vendors"),
        sa.PrimaryKeyConstraint("audit_id", "interaction_id", name=op.f("pk_audit_samples")),
    )
    op.create_table(
        "audit_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("audit_findings", "audit_id", "audits", ondelete="CASCADE"),
        _fk("audit_findings", "interaction_id", "interactions", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_audit_findings_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_findings")),
    )
    op.create_table(
        "corrective_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("corrective_actions", "finding_id", "audit_findings", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_corrective_actions_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrective_actions")),
    )


def downgrade() -> None:
    for table in ("corrective_actions", "audit_findings", "audit_samples", "audits", "due_diligence_items",
                  "vendor_sla_targets", "vendor_agreements", "vendor_certifications", "vendor_registrations",
                  "follow_up_tasks", "complaints", "survey_effort", "survey_invitations", "survey_settings"):
        op.drop_table(table)
