"""privacy: customer data keys, consent ledger, data-subject requests

Revision ID: 0007
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_keys",
        sa.Column("customer_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("master_key_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_customer_keys_customer_id_customers"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_keys")),
    )
    op.create_index("ix_customer_keys_master_key_id", "customer_keys", ["master_key_id"])
    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_consent_events_brand_id_brands")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_consent_events_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_events")),
    )
    op.create_index("ix_consent_events_customer", "consent_events", ["customer_id", "purpose"])
    op.create_table(
        "dsar_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("received_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_dsar_requests_brand_id_brands")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_dsar_requests_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dsar_requests")),
    )
    op.create_index("ix_dsar_requests_brand_state_due", "dsar_requests", ["brand_id", "state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_dsar_requests_brand_state_due", table_name="dsar_requests")
    op.drop_table("dsar_requests")
    op.drop_index("ix_consent_events_customer", table_name="consent_events")
    op.drop_table("consent_events")
    op.drop_index("ix_customer_keys_master_key_id", table_name="customer_keys")
    op.drop_table("customer_keys")
