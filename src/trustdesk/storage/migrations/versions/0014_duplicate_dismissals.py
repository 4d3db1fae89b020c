"""dismissed duplicate-customer suggestions

Revision ID: 0014
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0014"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(column: str, target: str, *, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    table = "customer_duplicate_dismissals"
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "customer_duplicate_dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("first_customer_id", sa.Integer(), nullable=False),
        sa.Column("second_customer_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("dismissed_by", sa.Integer(), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        _fk("brand_id", "brands", ondelete="CASCADE"),
        _fk("first_customer_id", "customers", ondelete="CASCADE"),
        _fk("second_customer_id", "customers", ondelete="CASCADE"),
        _fk("dismissed_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_duplicate_dismissals")),
        sa.UniqueConstraint("first_customer_id", "second_customer_id", name="uq_customer_duplicate_dismissals_pair"),
    )


def downgrade() -> None:
    op.drop_table("customer_duplicate_dismissals")
