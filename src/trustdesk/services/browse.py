"""Read use cases behind the interaction list, interaction detail, case and agent views.

Every query starts from ``scope`` so a viewer only ever sees their own tenant's rows. Customer
personal fields are never returned here; only the customer's external id.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Connection, func, select

from trustdesk.services.scope import Viewer, scope_agents, scope_by_brand, scope_interactions
from trustdesk.storage import tables as t
from trustdesk.storage.timestamps import iso_utc

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class InteractionFilters:
    brand: str | None = None
    vendor: str | None = None
    channel: str | None = None
    language: str | None = None
    agent: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True)
class Page:
    items: list[dict]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


SUMMARY_COLUMNS = (
    t.interactions.c.id,
    t.interactions.c.external_id,
    t.brands.c.key.label("brand"),
    t.vendors.c.key.label("vendor"),
    t.agents.c.external_id.label("agent"),
    t.customers.c.external_id.label("customer"),
    t.cases.c.external_id.label("case"),
    t.cases.c.purpose,
    t.cases.c.status,
    t.interactions.c.channel,
    t.interactions.c.language,
    t.interactions.c.started_at,
    t.interactions.c.ended_at,
    t.interactions.c.handle_seconds,
    t.interactions.c.turn_count,
    t.interactions.c.qa_score,
    t.interactions.c.qa_passed,
)


def join_interaction_context(query):
    """``query`` over interactions joined to its brand, vendor, agent, customer and case (for SUMMARY_COLUMNS)."""
    return (
        query.join(t.brands, t.brands.c.id == t.interactions.c.brand_id)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .join(t.customers, t.customers.c.id == t.interactions.c.customer_id)
        .join(t.cases, t.cases.c.id == t.interactions.c.case_id)
    )


def filter_interactions(query, filters: InteractionFilters):
    """``query`` narrowed by the list filters; scope is applied separately by ``services.scope``."""
    if filters.brand:
        query = query.where(t.brands.c.key == filters.brand)
    if filters.vendor:
        query = query.where(t.vendors.c.key == filters.vendor)
    if filters.channel:
        query = query.where(t.interactions.c.channel == filters.channel)
    if filters.language:
        query = query.where(t.interactions.c.language == filters.language)
    if filters.agent:
        query = query.where(t.agents.c.external_id == filters.agent)
    if filters.date_from:
        query = query.where(t.interactions.c.started_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(t.interactions.c.started_at < _start_of(filters.date_to + timedelta(days=1)))
    return query


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def list_interactions(connection: Connection, viewer: Viewer, filters: InteractionFilters) -> Page:
    """One page of interaction summaries visible to ``viewer``, newest first."""
    page_size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    page = max(1, filters.page)
    base = filter_interactions(scope_interactions(join_interaction_context(select(*SUMMARY_COLUMNS).select_from(t.interactions)), viewer), filters)
    total = connection.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = connection.execute(
        base.order_by(t.interactions.c.started_at.desc(), t.interactions.c.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).mappings()
    return Page(items=[interaction_summary(row) for row in rows], total=total, page=page, page_size=page_size)


def get_interaction(connection: Connection, viewer: Viewer, interaction_id: int) -> dict | None:
    """The interaction with its redacted transcript, survey and QA result, or None if not visible."""
    query = scope_interactions(join_interaction_context(select(*SUMMARY_COLUMNS).select_from(t.interactions)), viewer)
    row = connection.execute(query.where(t.interactions.c.id == interaction_id)).mappings().first()
    if row is None:
        return None
    detail = interaction_summary(row)
    detail["hold_seconds"], detail["wrap_seconds"] = connection.execute(
        select(t.interactions.c.hold_seconds, t.interactions.c.wrap_seconds).where(t.interactions.c.id == interaction_id)
    ).one()
    turns = connection.execute(select(t.transcripts.c.turns).where(t.transcripts.c.interaction_id == interaction_id)).scalar()
    detail["turns"] = [{"seq": seq, **turn} for seq, turn in enumerate(turns or [])]
    survey = connection.execute(select(t.surveys).where(t.surveys.c.interaction_id == interaction_id)).first()
    detail["survey"] = {"csat": survey.csat, "nps": survey.nps, "comment": survey.comment} if survey else None
    quality = connection.execute(select(t.quality_results).where(t.quality_results.c.interaction_id == interaction_id)).first()
    detail["quality"] = (
        {"scorecard": quality.scorecard, "score": quality.score, "passed": quality.passed,
         "criteria": quality.criteria, "source": quality.source}
        if quality
        else None
    )
    return detail


def get_case(connection: Connection, viewer: Viewer, brand_key: str, case_external_id: str) -> dict | None:
    """A case and the interactions in it the viewer may see, or None."""
    case = connection.execute(
        scope_by_brand(select(t.cases, t.brands.c.key.label("brand")).join(t.brands, t.brands.c.id == t.cases.c.brand_id), t.cases, viewer)
        .where(t.brands.c.key == brand_key, t.cases.c.external_id == case_external_id)
    ).mappings().first()
    if case is None:
        return None
    rows = connection.execute(
        scope_interactions(join_interaction_context(select(*SUMMARY_COLUMNS).select_from(t.interactions)), viewer)
        .where(t.interactions.c.case_id == case["id"])
        .order_by(t.interactions.c.started_at)
    ).mappings()
    interactions = [interaction_summary(row) for row in rows]
    if not interactions and not viewer.is_admin and viewer.vendor_id is not None:
        return None  # vendor staff only learn of cases their vendor worked on
    return {
        "brand": case["brand"],
        "external_id": case["external_id"],
        "purpose": case["purpose"],
        "priority": case["priority"],
        "status": case["status"],
        "opened_at": iso_utc(case["opened_at"]),
        "updated_at": iso_utc(case["updated_at"]),
        "interactions": interactions,
    }


def list_agents(connection: Connection, viewer: Viewer) -> list[dict]:
    rows = connection.execute(
        scope_agents(
            select(t.agents, t.vendors.c.key.label("vendor"), t.brands.c.key.label("brand"))
            .join(t.vendors, t.vendors.c.id == t.agents.c.vendor_id)
            .join(t.brands, t.brands.c.id == t.agents.c.brand_id),
            viewer,
        ).order_by(t.brands.c.key, t.agents.c.external_id)
    ).mappings()
    return [
        {
            "external_id": r["external_id"], "brand": r["brand"], "vendor": r["vendor"], "display_name": r["display_name"],
            "country": r["country"], "languages": r["languages"], "skills": r["skills"], "channels": r["channels"],
            "time_zone": r["time_zone"],
        }
        for r in rows
    ]


def list_filter_options(connection: Connection, viewer: Viewer) -> dict[str, list[str]]:
    """Values the interaction filters can take for this viewer."""
    def distinct(column):
        return sorted(
            v for v in connection.execute(
                scope_interactions(join_interaction_context(select(column).select_from(t.interactions)), viewer).distinct()
            ).scalars() if v
        )
    return {
        "brand": distinct(t.brands.c.key),
        "vendor": distinct(t.vendors.c.key),
        "channel": ["voice", "chat", "email", "social"],
        "language": distinct(t.interactions.c.language),
    }


def interaction_summary(row) -> dict:
    """The JSON summary of one row selected with SUMMARY_COLUMNS."""
    return {
        "id": row["id"],
        "external_id": row["external_id"],
        "brand": row["brand"],
        "vendor": row["vendor"],
        "agent": row["agent"],
        "customer": row["customer"],
        "case": row["case"],
        "purpose": row["purpose"],
        "status": row["status"],
        "channel": row["channel"],
        "language": row["language"],
        "started_at": iso_utc(row["started_at"]),
        "ended_at": iso_utc(row["ended_at"]),
        "handle_seconds": row["handle_seconds"],
        "turn_count": row["turn_count"],
        "qa_score": row["qa_score"],
        "qa_passed": row["qa_passed"],
    }


