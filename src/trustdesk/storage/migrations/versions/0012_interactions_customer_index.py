"""index interactions by customer and start time (repeat-contact neighbourhood at ingest)

Revision ID: 0012
Revises: 0001
"""
from alembic import op

revision = "0012"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_interactions_customer_started", "interactions", ["customer_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_interactions_customer_started", table_name="interactions")
