"""per-brand metric settings (the repeat-contact window)

Revision ID: 0010
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "brand_metric_settings",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("repeat_contact_window_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_brand_metric_settings_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("brand_id", name=op.f("pk_brand_metric_settings")),
    )


def downgrade() -> None:
    op.drop_table("brand_metric_settings")
