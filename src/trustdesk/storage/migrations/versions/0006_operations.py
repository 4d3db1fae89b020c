"""operations: agent presence, SLA contracts, case status history, escalations, customer merges, eNPS

Revision ID: 0006
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, *, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "agent_presence",
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("load", sa.JSON(), nullable=False),
        sa.Column("occupancy", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("agent_presence", "agent_id", "agents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("agent_id", name=op.f("pk_agent_presence")),
    )
    op.create_table(
        "sla_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("next_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("opens", sa.String(length=5), nullable=True),
        sa.Column("closes", sa.String(length=5), nullable=True),
        _fk("sla_contracts", "brand_id", "brands", ondelete="CASCADE"),
        _fk("sla_contracts", "vendor_id", "vendors", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_contracts")),
        sa.UniqueConstraint("brand_id", "vendor_id", "priority", name="uq_sla_contracts_brand_vendor_priority"),
    )
    op.create_table(
        "case_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        _fk("case_status_changes", "case_id", "cases", ondelete="CASCADE"),
        _fk("case_status_changes", "changed_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_changes")),
    )
    op.create_index("ix_case_status_changes_case", "case_status_changes", ["case_id", "changed_at"])
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("clock", sa.String(length=30), nullable=False),
        sa.Column("level", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalated_by", sa.Integer(), nullable=True),
        _fk("escalations", "case_id", "cases", ondelete="CASCADE"),
        _fk("escalations", "escalated_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
        sa.UniqueConstraint("case_id", "clock", "level", name="uq_escalations_case_clock_level"),
    )
    op.create_table(
        "customer_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("kept_customer_id", sa.Integer(), nullable=False),
        sa.Column("merged_customer_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moved_case_ids", sa.JSON(), nullable=False),
        sa.Column("moved_interaction_ids", sa.JSON(), nullable=False),
        sa.Column("merged_by", sa.Integer(), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unmerged_by", sa.Integer(), nullable=True),
        sa.Column("unmerged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unmerge_reason", sa.Text(), nullable=True),
        _fk("customer_merges", "brand_id", "brands"),
        _fk("customer_merges", "kept_customer_id", "customers"),
        _fk("customer_merges", "merged_customer_id", "customers"),
        _fk("customer_merges", "merged_by", "users"),
        _fk("customer_merges", "unmerged_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_merges")),
    )
    op.create_index("ix_customer_merges_merged", "customer_merges", ["merged_customer_id"])
    op.create_table(
        "enps_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        _fk("enps_responses", "brand_id", "brands"),
        _fk("enps_responses", "vendor_id", "vendors"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enps_responses")),
    )
    op.create_index("ix_enps_responses_brand_period", "enps_responses", ["brand_id", "period"])
    op.create_table(
        "enps_participation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        _fk("enps_participation", "agent_id", "agents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enps_participation")),
        sa.UniqueConstraint("agent_id", "period", name="uq_enps_participation_agent_period"),
    )


def downgrade() -> None:
    for name in ("enps_participation", "enps_responses", "customer_merges", "escalations", "case_status_changes",
                 "sla_contracts", "agent_presence"):
        op.drop_table(name)
