"""quality: per-brand scorecards, reviews, grades, disputes, assignments, calibration

Revision ID: 0003
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def _users_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"))


def upgrade() -> None:
    op.create_table(
        "scorecards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("scorecard_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("yaml", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_scorecards_brand_id_brands")),
        _users_fk("scorecards", "uploaded_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecards")),
        sa.UniqueConstraint("brand_id", "version", name="uq_scorecards_brand_version"),
    )
    op.create_table(
        "quality_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("coaching_note", sa.Text(), nullable=True),
        sa.Column("score_before", sa.Float(), nullable=True),
        sa.Column("score_after", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"],
                                name=op.f("fk_quality_reviews_interaction_id_interactions"), ondelete="CASCADE"),
        _users_fk("quality_reviews", "reviewer_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_reviews")),
    )
    op.create_table(
        "quality_review_grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("grader_id", sa.Integer(), nullable=False),
        sa.Column("agrees", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["quality_reviews.id"],
                                name=op.f("fk_quality_review_grades_review_id_quality_reviews"), ondelete="CASCADE"),
        _users_fk("quality_review_grades", "grader_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_review_grades")),
    )
    op.create_table(
        "quality_disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("raised_by", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"],
                                name=op.f("fk_quality_disputes_interaction_id_interactions"), ondelete="CASCADE"),
        _users_fk("quality_disputes", "raised_by"),
        _users_fk("quality_disputes", "decided_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_disputes")),
    )
    op.create_table(
        "quality_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_quality_assignments_brand_id_brands")),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"],
                                name=op.f("fk_quality_assignments_interaction_id_interactions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_quality_assignments_agent_id_agents")),
        _users_fk("quality_assignments", "reviewer_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_assignments")),
        sa.UniqueConstraint("interaction_id", "period", name="uq_quality_assignments_interaction_period"),
    )
    op.create_table(
        "calibration_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_calibration_sessions_brand_id_brands")),
        _users_fk("calibration_sessions", "created_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_sessions")),
    )
    op.create_table(
        "calibration_items",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["calibration_sessions.id"],
                                name=op.f("fk_calibration_items_session_id_calibration_sessions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"],
                                name=op.f("fk_calibration_items_interaction_id_interactions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "interaction_id", name=op.f("pk_calibration_items")),
    )
    op.create_table(
        "calibration_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["calibration_sessions.id"],
                                name=op.f("fk_calibration_ratings_session_id_calibration_sessions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"],
                                name=op.f("fk_calibration_ratings_interaction_id_interactions"), ondelete="CASCADE"),
        _users_fk("calibration_ratings", "reviewer_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_ratings")),
        sa.UniqueConstraint("session_id", "interaction_id", "reviewer_id", name="uq_calibration_ratings_item_reviewer"),
    )


def downgrade() -> None:
    for table in ("calibration_ratings", "calibration_items", "calibration_sessions", "quality_assignments",
                  "quality_disputes", "quality_review_grades", "quality_reviews", "scorecards"):
        op.drop_table(table)
