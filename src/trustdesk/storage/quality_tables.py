"""Tables of human QA: per-brand scorecards, reviews with overrides, coaching, disputes, grading of
reviewers, review assignments and calibration sessions. The effective result itself lives in
``tables.quality_results``; a review rewrites it there and keeps its own record here.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from trustdesk.storage.tables import metadata, timestamp_column



# Every upload is a new version; one version per brand is active and is the one rescoring uses.
scorecards = Table(
    "scorecards",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("scorecard_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("yaml", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("uploaded_by", ForeignKey("users.id")),
    timestamp_column("uploaded_at"),
    UniqueConstraint("brand_id", "version", name="uq_scorecards_brand_version"),
)

# One row per submitted review: the criteria the reviewer changed (with reasons), the coaching note for
# the agent, and the score before and after, so the record stands even if the result is reviewed again.
quality_reviews = Table(
    "quality_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), nullable=False),
    Column("reviewer_id", ForeignKey("users.id"), nullable=False),
    Column("overrides", JSON, nullable=False),  # [{"criterion", "from", "to", "reason"}]
    Column("coaching_note", Text),
    Column("score_before", Float),
    Column("score_after", Float),
    timestamp_column("created_at"),
)

# Grade-the-grader: a lead's verdict on someone else's review.
quality_review_grades = Table(
    "quality_review_grades",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", ForeignKey("quality_reviews.id", ondelete="CASCADE"), nullable=False),
    Column("grader_id", ForeignKey("users.id"), nullable=False),
    Column("agrees", Boolean, nullable=False),
    Column("note", Text),
    timestamp_column("created_at"),
)

quality_disputes = Table(
    "quality_disputes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), nullable=False),
    Column("raised_by", ForeignKey("users.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(20), nullable=False),  # open | upheld | rejected
    timestamp_column("raised_at"),
    timestamp_column("due_at"),
    Column("decided_by", ForeignKey("users.id")),
    timestamp_column("decided_at", nullable=True),
    Column("decision_note", Text),
)

quality_assignments = Table(
    "quality_assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), nullable=False),
    Column("agent_id", ForeignKey("agents.id"), nullable=False),
    Column("reviewer_id", ForeignKey("users.id"), nullable=False),
    Column("period", String(40), nullable=False),  # "2026-10-01..2026-10-31"
    Column("seed", Integer, nullable=False),
    timestamp_column("created_at"),
    UniqueConstraint("interaction_id", "period", name="uq_quality_assignments_interaction_period"),
)

calibration_sessions = Table(
    "calibration_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    timestamp_column("created_at"),
)

calibration_items = Table(
    "calibration_items",
    metadata,
    Column("session_id", ForeignKey("calibration_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
)

# A reviewer's blind rating of one calibration item: criterion id -> pass | fail | not_applicable.
calibration_ratings = Table(
    "calibration_ratings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", ForeignKey("calibration_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), nullable=False),
    Column("reviewer_id", ForeignKey("users.id"), nullable=False),
    Column("ratings", JSON, nullable=False),
    timestamp_column("created_at"),
    UniqueConstraint("session_id", "interaction_id", "reviewer_id", name="uq_calibration_ratings_item_reviewer"),
)
