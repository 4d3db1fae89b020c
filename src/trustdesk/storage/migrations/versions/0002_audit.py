"""audit log and signed tree heads

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("entry_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=True),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("resource", sa.String(length=300), nullable=False),
        sa.Column("customer", sa.String(length=300), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("case_ref", sa.String(length=300), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_audit_entries_brand_id_brands")),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_audit_entries")),
    )
    op.create_index("ix_audit_entries_brand_at", "audit_entries", ["brand_id", "at"])
    op.create_table(
        "audit_tree_heads",
        sa.Column("tree_size", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name=op.f("pk_audit_tree_heads")),
    )


def downgrade() -> None:
    op.drop_table("audit_tree_heads")
    op.drop_index("ix_audit_entries_brand_at", table_name="audit_entries")
    op.drop_table("audit_entries")
