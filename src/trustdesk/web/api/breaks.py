"""Agents' breaks (the plan per shift, breaks taken) and the agent's workforce profile; scoped to the caller."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, Field

from trustdesk.core.model import Role
from trustdesk.core.workforce.wellbeing import WellbeingThresholds
from trustdesk.services import breaks, workforce
from trustdesk.services.tenancy import require_role, visible_brand_id
from trustdesk.web.api.service_errors import service_errors
from trustdesk.web.deps import ConnectionDep, CurrentViewer

router = APIRouter(prefix="/api/v1", tags=["workforce"])

PROFILE_READERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR, Role.AGENT}


class PlannedBreakIn(BaseModel):
    starts_at: AwareDatetime
    minutes: int = Field(gt=0, le=120)


class SchedulePlanIn(BaseModel):
    breaks: list[PlannedBreakIn] = Field(max_length=12)


class TakenBreakIn(BaseModel):
    started_at: AwareDatetime
    ended_at: AwareDatetime


def _period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    end = date_to or datetime.now(UTC).date()
    return date_from or end - timedelta(days=27), end


@router.put("/brands/{brand}/agents/{agent}/breaks/scheduled/{shift_date}")
def put_break_plan(brand: str, agent: str, shift_date: date, body: SchedulePlanIn, connection: ConnectionDep,
                   viewer: CurrentViewer):
    """Replace the breaks planned for the agent's shift starting on local ``shift_date``."""
    with service_errors():
        brand_id = visible_brand_id(connection, viewer, brand)
        record = breaks.find_break_agent(connection, viewer, brand_id=brand_id, agent_external_id=agent)
        count = breaks.schedule_breaks(connection, viewer, record, shift_date=shift_date,
                                       breaks=[breaks.PlannedBreak(item.starts_at, item.minutes) for item in body.breaks])
    return {"agent": agent, "shift_date": shift_date.isoformat(), "scheduled": count}


@router.post("/brands/{brand}/agents/{agent}/breaks/taken", status_code=201)
def post_break_taken(brand: str, agent: str, body: TakenBreakIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Log a break the agent took (the agent themselves, or a supervisor)."""
    with service_errors():
        brand_id = visible_brand_id(connection, viewer, brand)
        record = breaks.find_break_agent(connection, viewer, brand_id=brand_id, agent_external_id=agent)
        return breaks.record_break_taken(connection, viewer, record, started_at=body.started_at,
                                         ended_at=body.ended_at, now=datetime.now(UTC))


@router.get("/brands/{brand}/agents/{agent}/breaks")
def get_breaks(brand: str, agent: str, connection: ConnectionDep, viewer: CurrentViewer, date_from: date | None = None,
               date_to: date | None = None):
    """Scheduled and taken breaks over the shifts of the period (default the last 28 days), and the tally."""
    start, end = _period(date_from, date_to)
    with service_errors():
        brand_id = visible_brand_id(connection, viewer, brand)
        record = breaks.find_break_agent(connection, viewer, brand_id=brand_id, agent_external_id=agent)
        return breaks.agent_breaks(connection, record, start=start, end=end)


@router.get("/brands/{brand}/workforce/agents/{agent}")
def get_agent_profile(
    brand: str, agent: str, connection: ConnectionDep, viewer: CurrentViewer, date_from: date | None = None,
    date_to: date | None = None,
    min_break_adherence: Annotated[float, Query(ge=0, le=1)] = WellbeingThresholds.min_break_adherence,
):
    """The agent's record, wellbeing indicators with flags, breaks and training (privacy-training standing)."""
    start, end = _period(date_from, date_to)
    with service_errors():
        require_role(viewer, PROFILE_READERS, "read an agent's workforce profile")
        return workforce.agent_profile(
            connection, viewer, brand_id=visible_brand_id(connection, viewer, brand), agent_external_id=agent,
            start=start, end=end, thresholds=WellbeingThresholds(min_break_adherence=min_break_adherence),
            hours=workforce.BusinessHours(), now=datetime.now(UTC))
