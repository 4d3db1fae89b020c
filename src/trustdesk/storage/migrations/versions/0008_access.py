"""brand policies, training records, break-glass flags, retention marks, incidents

Revision ID: 0008
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "brand_policies",
        sa.Column("brand_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("policy_name", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_brand_policies_brand_id_brands")),
        sa.PrimaryKeyConstraint("brand_id", name=op.f("pk_brand_policies")),
    )
    op.create_table(
        "training_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_training_records_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_training_records_agent_id_agents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_records")),
    )
    op.create_index("ix_training_records_user", "training_records", ["user_id"])
    op.create_index("ix_training_records_agent", "training_records", ["agent_id"])
    op.create_table(
        "break_glass_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("case_external_id", sa.String(length=200), nullable=True),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("audit_entry_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_break_glass_flags_brand_id_brands")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_break_glass_flags_user_id_users")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_break_glass_flags_customer_id_customers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass_flags")),
    )
    op.create_index("ix_break_glass_flags_brand_at", "break_glass_flags", ["brand_id", "at"])
    op.create_table(
        "retention_anonymized",
        sa.Column("data_class", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("anonymized_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("data_class", "record_id", name=op.f("pk_retention_anonymized")),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("discovered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notification_hours", sa.Integer(), nullable=False),
        sa.Column("notification_status", sa.String(length=20), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("affected_query", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_incidents_brand_id_brands")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index("ix_incidents_brand_discovered", "incidents", ["brand_id", "discovered_at"])
    op.create_table(
        "incident_customers",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_incident_customers_incident_id_incidents"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_incident_customers_customer_id_customers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id", "customer_id", name=op.f("pk_incident_customers")),
    )


def downgrade() -> None:
    op.drop_table("incident_customers")
    op.drop_index("ix_incidents_brand_discovered", table_name="incidents")
    op.drop_table("incidents")
    op.drop_table("retention_anonymized")
    op.drop_index("ix_break_glass_flags_brand_at", table_name="break_glass_flags")
    op.drop_table("break_glass_flags")
    op.drop_index("ix_training_records_agent", table_name="training_records")
    op.drop_index("ix_training_records_user", table_name="training_records")
    op.drop_table("training_records")
    op.drop_table("brand_policies")
