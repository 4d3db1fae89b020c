"""Metrics tables: additive rollup rows and the facts each interaction last contributed to them.

``interaction_rollups`` is what dashboards and the metrics API read (one row per rollup key, the
``RollupCounts`` columns as sums). ``metric_facts`` keeps, per interaction, the facts as counted in the
rollups, so a later change (a survey, a QA result, a repeat contact, a case update) adds exactly the
difference between the new and the counted facts.
"""
from __future__ import annotations

from sqlalchemy import JSON, Column, Date, Float, ForeignKey, Integer, PrimaryKeyConstraint, String, Table

from trustdesk.core.metrics.rollup import COUNT_COLUMNS, RollupCounts
from trustdesk.storage.tables import metadata, timestamp_column

# Sums of seconds and QA points are fractional; every other column counts interactions or clocks.
FLOAT_COUNT_COLUMNS = frozenset(
    name for name in COUNT_COLUMNS if isinstance(getattr(RollupCounts(), name), float)
)


def _count_column(name: str) -> Column:
    return Column(name, Float if name in FLOAT_COUNT_COLUMNS else Integer, nullable=False, default=0)


ROLLUP_KEY_COLUMNS = ("brand_id", "day", "vendor_id", "agent_id", "team", "channel", "language", "purpose")

interaction_rollups = Table(
    "interaction_rollups",
    metadata,
    # The reporting day (UTC date of started_at) and the ids that tenant scoping filters on.
    Column("day", Date, nullable=False),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("agent_id", ForeignKey("agents.id"), nullable=False),
    Column("team", String(200), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("language", String(16), nullable=False),
    Column("purpose", String(200), nullable=False),
    *(_count_column(name) for name in COUNT_COLUMNS),
    # Every read is one brand over a range of days: the key starts with them, and on SQLite the table is
    # stored in key order (no rowid), so a period is one contiguous range of the table.
    PrimaryKeyConstraint(*ROLLUP_KEY_COLUMNS),
    sqlite_with_rowid=False,
)

AGENT_DAY_KEY_COLUMNS = ("brand_id", "day", "vendor_id", "agent_id", "team")

# The same sums without channel, language and purpose: about ten times fewer rows, read whenever a query
# neither groups nor filters by those (the vendor comparison, trends, the agent view).
agent_day_rollups = Table(
    "agent_day_rollups",
    metadata,
    Column("day", Date, nullable=False),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("agent_id", ForeignKey("agents.id"), nullable=False),
    Column("team", String(200), nullable=False),
    *(_count_column(name) for name in COUNT_COLUMNS),
    PrimaryKeyConstraint(*AGENT_DAY_KEY_COLUMNS),
    sqlite_with_rowid=False,
)

AGENT_WEEK_KEY_COLUMNS = ("brand_id", "week", "vendor_id", "agent_id")

# The agent-day sums added up per week (Monday to Sunday, ``week`` is the Monday) and over teams, with the
# number of days the agent handled at least one interaction. A period is read as its whole weeks from
# here and its first and last few days from agent_day_rollups: about five times fewer rows for the vendor
# comparison. Team is not in the key, so queries that group or filter by team read the days.
agent_week_rollups = Table(
    "agent_week_rollups",
    metadata,
    Column("week", Date, nullable=False),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False),
    Column("agent_id", ForeignKey("agents.id"), nullable=False),
    Column("days_worked", Integer, nullable=False, default=0),
    *(_count_column(name) for name in COUNT_COLUMNS),
    PrimaryKeyConstraint(*AGENT_WEEK_KEY_COLUMNS),
    sqlite_with_rowid=False,
)

metric_facts = Table(
    "metric_facts",
    metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    # InteractionFact fields as JSON: read back only to compute a delta, never queried by field.
    Column("fact", JSON, nullable=False),
)

# Per brand: the repeat-contact / FCR window in days (docs/metrics.md). A brand without a row uses the
# default; changing it rebuilds the brand's facts and rollups, since every stored flag depends on it.
brand_metric_settings = Table(
    "brand_metric_settings",
    metadata,
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True),
    Column("repeat_contact_window_days", Integer, nullable=False),
    timestamp_column("updated_at"),
)
