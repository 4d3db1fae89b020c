"""Scheduled escalation runs: every open case of every brand, its SLA and OLA clocks, and the escalations due.

A run is idempotent: an escalation is recorded once per (case, clock, level), so running twice, or a run
overlapping the server's loop, records nothing twice. Escalations of a run are recorded under no user
("the system"), with the reason the rule gave. A run also sweeps the metrics: a clock that breached while
nothing touched its case is counted in the rollups now rather than at the case's next change.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select

from trustdesk.config import minutes_setting
from trustdesk.core.model import CaseStatus
from trustdesk.core.routing.sla import SlaState
from trustdesk.services.metrics_rollups import update_rollups_for_interactions
from trustdesk.services.sla import CaseClocks, evaluate_cases, record_due_escalations
from trustdesk.storage import tables as t

# Cases evaluated per query: large enough to amortize the per-batch queries, small enough for steady progress.
BATCH_SIZE = 250


@dataclass(frozen=True)
class EscalationRun:
    cases_evaluated: int
    recorded: tuple[dict, ...]  # {"brand", "case", "clock", "level", "reason", "escalated_at"}
    facts_updated: int = 0  # interactions whose metric facts changed because a clock breached


def count_open_cases(connection: Connection, *, brand_id: int | None = None) -> int:
    query = select(func.count()).select_from(t.cases).where(t.cases.c.status != CaseStatus.RESOLVED.value)
    if brand_id is not None:
        query = query.where(t.cases.c.brand_id == brand_id)
    return connection.execute(query).scalar_one()


def escalate_open_cases(connection: Connection, *, brand_id: int | None = None, at: datetime, now: datetime,
                        on_progress: Callable[[int], None] = lambda _cases: None) -> EscalationRun:
    """Evaluate every open case (of one brand, or all) at ``at`` and record the escalations due at ``now``."""
    brands = connection.execute(select(t.brands.c.id, t.brands.c.key).order_by(t.brands.c.key)).all()
    recorded: list[dict] = []
    evaluated = facts_updated = 0
    for brand in brands:
        if brand_id is not None and brand.id != brand_id:
            continue
        last_id = 0
        while True:
            batch = connection.execute(
                select(t.cases).where(t.cases.c.brand_id == brand.id, t.cases.c.status != CaseStatus.RESOLVED.value,
                                      t.cases.c.id > last_id)
                .order_by(t.cases.c.id).limit(BATCH_SIZE)
            ).mappings().all()
            if not batch:
                break
            last_id = batch[-1]["id"]
            clocks = evaluate_cases(connection, batch, at=at)
            recorded += [{"brand": brand.key, **row} for row in record_due_escalations(connection, clocks, by=None,
                                                                                        now=now)]
            facts_updated += _count_breaches(connection, clocks, now=now)
            evaluated += len(batch)
            on_progress(len(batch))
    return EscalationRun(evaluated, tuple(recorded), facts_updated)


def _count_breaches(connection: Connection, clocks: list[CaseClocks], *, now: datetime) -> int:
    """Bring the facts of cases with a breached SLA clock up to date, judged at ``now``; unchanged facts cost
    no write, so a breach already counted is not counted again."""
    breached = [case.case_id for case in clocks if any(clock.state is SlaState.BREACHED for clock in case.clocks)]
    if not breached:
        return 0
    interaction_ids = connection.execute(
        select(t.interactions.c.id).where(t.interactions.c.case_id.in_(breached))).scalars().all()
    return update_rollups_for_interactions(connection, interaction_ids, at=now)


def escalation_interval(config: Mapping[str, object]) -> timedelta | None:
    """``[sla] escalate_every_minutes`` of the TOML configuration; None (no loop) when absent."""
    return minutes_setting(config, "sla", "escalate_every_minutes")
