"""agent-week rollups: the agent-day sums per week, filled from the existing agent-day rows

Revision ID: 0013
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0013"
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
# The Monday on or before a day: SQLite moves to the next Sunday (or stays on one), then back six days.
_WEEK_OF_DAY = {"sqlite": "date(day, 'weekday 0', '-6 days')", "postgresql": "CAST(date_trunc('week', day) AS date)"}


def upgrade() -> None:
    op.create_table(
        "agent_week_rollups",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("days_worked", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Float() if name in _FLOAT_COUNTS else sa.Integer(), nullable=False)
            for name in _COUNT_ORDER
        ),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_agent_week_rollups_agent_id_agents")),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_agent_week_rollups_brand_id_brands")),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendors.id"], name=op.f("fk_agent_week_rollups_vendor_id_vendors")),
        sa.PrimaryKeyConstraint("brand_id", "week", "vendor_id", "agent_id", name=op.f("pk_agent_week_rollups")),
        sqlite_with_rowid=False,
    )
    # Existing deployments already have daily rows: the weekly rows are their sums, so fill them once here.
    # Branches apply in any order: on a new database agent_day_rollups (0004) may not exist yet, nor data.
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("agent_day_rollups"):
        return
    week = _WEEK_OF_DAY[bind.dialect.name]
    counts = ", ".join(_COUNT_ORDER)
    sums = ", ".join(f"sum({name})" for name in _COUNT_ORDER)
    op.execute(
        f"INSERT INTO agent_week_rollups (week, brand_id, vendor_id, agent_id, days_worked, {counts}) "
        f"SELECT {week}, brand_id, vendor_id, agent_id, count(DISTINCT CASE WHEN interactions > 0 THEN day END), {sums} "
        f"FROM agent_day_rollups GROUP BY {week}, brand_id, vendor_id, agent_id"
    )


def downgrade() -> None:
    op.drop_table("agent_week_rollups")
