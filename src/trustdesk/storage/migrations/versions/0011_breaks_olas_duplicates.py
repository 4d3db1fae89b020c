"""operations follow-ups: OLA targets and case hand-offs between teams, scheduled and taken breaks,
customer duplicate-matching keys

Revision ID: 0011
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, *, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "ola_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("from_team_id", sa.Integer(), nullable=False),
        sa.Column("to_team_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("target_minutes", sa.Integer(), nullable=False),
        _fk("ola_targets", "brand_id", "brands", ondelete="CASCADE"),
        _fk("ola_targets", "from_team_id", "teams", ondelete="CASCADE"),
        _fk("ola_targets", "to_team_id", "teams", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ola_targets")),
        sa.UniqueConstraint("from_team_id", "to_team_id", "priority", name="uq_ola_targets_from_team_to_team_priority"),
    )
    op.create_table(
        "case_handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_team_id", sa.Integer(), nullable=False),
        sa.Column("to_team_id", sa.Integer(), nullable=False),
        sa.Column("handed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handed_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replied_by", sa.Integer(), nullable=True),
        _fk("case_handoffs", "case_id", "cases", ondelete="CASCADE"),
        _fk("case_handoffs", "from_team_id", "teams"),
        _fk("case_handoffs", "to_team_id", "teams"),
        _fk("case_handoffs", "handed_by", "users"),
        _fk("case_handoffs", "replied_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_handoffs")),
    )
    op.create_index("ix_case_handoffs_case", "case_handoffs", ["case_id"])
    op.create_table(
        "scheduled_breaks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("shift_date", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        _fk("scheduled_breaks", "agent_id", "agents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_breaks")),
        sa.UniqueConstraint("agent_id", "starts_at", name="uq_scheduled_breaks_agent_starts_at"),
    )
    op.create_index("ix_scheduled_breaks_agent_shift_date", "scheduled_breaks", ["agent_id", "shift_date"])
    op.create_table(
        "taken_breaks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _fk("taken_breaks", "agent_id", "agents", ondelete="CASCADE"),
        _fk("taken_breaks", "recorded_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taken_breaks")),
    )
    op.create_index("ix_taken_breaks_agent_started", "taken_breaks", ["agent_id", "started_at"])
    op.create_table(
        "customer_match_keys",
        sa.Column("customer_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("email_digest", sa.String(length=64), nullable=True),
        sa.Column("phone_digest", sa.String(length=64), nullable=True),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        _fk("customer_match_keys", "customer_id", "customers", ondelete="CASCADE"),
        _fk("customer_match_keys", "brand_id", "brands", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_match_keys")),
    )
    op.create_index("ix_customer_match_keys_brand_email", "customer_match_keys", ["brand_id", "email_digest"])
    op.create_index("ix_customer_match_keys_brand_phone", "customer_match_keys", ["brand_id", "phone_digest"])


def downgrade() -> None:
    for name in ("customer_match_keys", "taken_breaks", "scheduled_breaks", "case_handoffs", "ola_targets"):
        op.drop_table(name)
