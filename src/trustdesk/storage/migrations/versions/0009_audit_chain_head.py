"""audit chain head: the newest entry's id and hash, locked by appenders

Revision ID: 0009
Revises: 0001

The row is created by the first append after this migration (from the newest existing entry), so the
migration needs nothing from the audit branch and a log that is still empty needs no seed row.
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chain_head")),
    )


def downgrade() -> None:
    op.drop_table("audit_chain_head")
