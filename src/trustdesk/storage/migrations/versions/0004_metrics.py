"""metrics rollups and counted facts

Revision ID: 0004
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

_FLOAT_COUNTS = ("handle_seconds_sum", "qa_score_sum", "qa_score_sq_sum", "sentiment_change_sum")
# Column order of the table definition (RollupCounts field order).
_COUNT_ORDER = (
    "interactions", "handled", "handle_seconds_sum", "fcr_eligible", "fcr_resolved_first_contact", "csat_answers",
    "csat_positive", "nps_answers", "nps_promoters", "nps_detractors", "first_response_measured",
    "first_response_met", "resolution_measured", "resolution_met", "escalated", "transferred", "repeat_contacts",
    "qa_scored", "qa_score_sum", "qa_score_sq_sum", "compliance_checked", "compliance_passed", "critical_failed",
    "critical_fails", "sentiment_measured", "sentiment_change_sum",
)


def upgrade() -> None:
    op.create_table(
        "interaction_rollups",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        *(
            sa.Column(name, sa.Float() if name in _FLOAT_COUNTS else sa.Integer(), nullable=False)
            for name in _COUNT_ORDER
        ),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_interaction_rollups_agent_id_agents")),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_interaction_rollups_brand_id_brands")),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendors.id"], name=op.f("fk_interaction_rollups_vendor_id_vendors")),
        sa.PrimaryKeyConstraint(
            "brand_id", "day", "vendor_id", "agent_id", "team", "channel", "language", "purpose",
            name=op.f("pk_interaction_rollups"),
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "agent_day_rollups",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        *(
            sa.Column(name, sa.Float() if name in _FLOAT_COUNTS else sa.Integer(), nullable=False)
            for name in _COUNT_ORDER
        ),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_agent_day_rollups_agent_id_agents")),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_agent_day_rollups_brand_id_brands")),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendors.id"], name=op.f("fk_agent_day_rollups_vendor_id_vendors")),
        sa.PrimaryKeyConstraint(
            "brand_id", "day", "vendor_id", "agent_id", "team", name=op.f("pk_agent_day_rollups")
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "metric_facts",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("fact", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"], ["interactions.id"], name=op.f("fk_metric_facts_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_metric_facts")),
    )


def downgrade() -> None:
    op.drop_table("metric_facts")
    op.drop_table("agent_day_rollups")
    op.drop_table("interaction_rollups")
