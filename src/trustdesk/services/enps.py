"""eNPS pulse: agents answer "how likely are you to recommend working here?" (0-10) once a month.

Answers carry no agent id; a separate participation row stops a second answer in the same month. Results
per vendor are shown only from ``MIN_ANSWERS`` answers up, so nobody's answer can be singled out.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Integer, cast, func, insert, select

from trustdesk.core.model import Role
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import Conflict, FieldError, require_role
from trustdesk.storage import tables as t
from trustdesk.storage.operations_tables import enps_participation, enps_responses

MIN_ANSWERS = 5
PROMOTER, DETRACTOR_MAX = 9, 6  # 9-10 promote, 0-6 detract (the usual NPS bands)


def period_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


def answer_enps(connection: Connection, viewer: Viewer, *, score: int, now: datetime) -> str:
    """Store an agent's anonymous answer for the current month; returns the period."""
    require_role(viewer, {Role.AGENT}, "answer the agent eNPS pulse")
    if viewer.agent_id is None:
        raise FieldError("$.agent", "this login is not linked to an agent record")
    if not 0 <= score <= 10:
        raise FieldError("$.score", f"must be 0-10, got {score}")
    period = period_of(now)
    answered = connection.execute(
        select(enps_participation.c.id).where(enps_participation.c.agent_id == viewer.agent_id,
                                              enps_participation.c.period == period)
    ).first()
    if answered is not None:
        raise Conflict(f"already answered for {period}")
    brand_id, vendor_id = connection.execute(
        select(t.agents.c.brand_id, t.agents.c.vendor_id).where(t.agents.c.id == viewer.agent_id)
    ).one()
    connection.execute(insert(enps_participation).values(agent_id=viewer.agent_id, period=period))
    connection.execute(insert(enps_responses).values(brand_id=brand_id, vendor_id=vendor_id, period=period, score=score))
    return period


def enps_results(connection: Connection, viewer: Viewer, *, brand_id: int, period: str) -> list[dict]:
    """eNPS (-100..100) per vendor for a month; hidden below ``MIN_ANSWERS`` answers."""
    promoters = func.sum(cast(enps_responses.c.score >= PROMOTER, Integer))
    detractors = func.sum(cast(enps_responses.c.score <= DETRACTOR_MAX, Integer))
    query = (
        select(t.vendors.c.key, func.count().label("answers"), promoters.label("promoters"),
               detractors.label("detractors"))
        .select_from(enps_responses).join(t.vendors, t.vendors.c.id == enps_responses.c.vendor_id)
        .where(enps_responses.c.brand_id == brand_id, enps_responses.c.period == period)
        .group_by(t.vendors.c.key).order_by(t.vendors.c.key)
    )
    if not viewer.is_admin and viewer.vendor_id is not None:
        query = query.where(enps_responses.c.vendor_id == viewer.vendor_id)
    results = []
    for row in connection.execute(query):
        if row.answers < MIN_ANSWERS:
            results.append({"vendor": row.key, "answers": row.answers, "enps": None,
                            "note": f"fewer than {MIN_ANSWERS} answers: hidden to keep answers anonymous"})
            continue
        enps = round(100 * (row.promoters - row.detractors) / row.answers)
        results.append({"vendor": row.key, "answers": row.answers, "enps": enps,
                        "promoters": row.promoters, "detractors": row.detractors})
    return results
