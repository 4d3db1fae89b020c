"""Workforce views: fairness and wellbeing per agent and vendor, staffing (Erlang C) and 24/7 coverage.

Derived from stored facts only:
- An agent *worked* a local day when they handled at least one interaction that day; the logged-in span of
  that day is their stored shift (time zone, start, end). Busy time is the interactions' handle time.
- A contact is *highly negative* when its QA result failed ``customer_sentiment`` (the customer ended more
  negative than they started) or its survey CSAT is 1 or 2.
- Breaks are not recorded, so break adherence has no data and is never flagged.
- Business hours for the after-hours share: Monday-Friday ``opens``-``closes`` in the agent's zone, closed on
  the agent's country's public holidays.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, Integer, cast, func, select

from trustdesk.core.workforce.calendar import load_zone, weekday_calendar
from trustdesk.core.workforce.coverage import ScheduledAgent, check_coverage
from trustdesk.core.workforce.shifts import Shift, parse_clock_time
from trustdesk.core.workforce.staffing import agents_needed
from trustdesk.core.workforce.wellbeing import (
    AgentActivity,
    WellbeingIndicators,
    WellbeingThresholds,
    WorkSpan,
    assess_agent,
)
from trustdesk.services.scope import Viewer, scope_agents, scope_interactions
from trustdesk.services.sla import aware, iso
from trustdesk.storage import tables as t

NEGATIVE_CSAT = 2  # CSAT 1-2 of 5


@dataclass(frozen=True)
class BusinessHours:
    opens: time = time(8, 0)
    closes: time = time(18, 0)


@dataclass(frozen=True)
class StaffingTarget:
    """Service level target (e.g. 80% answered in 20 s) and the occupancy cap staffing must respect."""

    service_level: float = 0.8
    answer_seconds: float = 20.0
    max_occupancy: float = 0.85


@dataclass
class _AgentFacts:
    external_id: str
    vendor: str
    country: str | None
    time_zone: str | None
    shift_start: str | None
    shift_end: str | None
    days: set[date] = field(default_factory=set)
    handle_seconds: float = 0.0
    contacts: int = 0
    difficult: int = 0


def wellbeing_report(
    connection: Connection, viewer: Viewer, *, brand_id: int, start: date, end: date,
    thresholds: WellbeingThresholds, hours: BusinessHours,
) -> dict:
    """Indicators with flags per agent and per vendor over local days ``start``..``end`` (inclusive)."""
    agents = _agent_facts(connection, viewer, brand_id=brand_id, start=start, end=end)
    activities: list[tuple[AgentActivity, object]] = []
    skipped = []
    for facts in agents.values():
        if not (facts.time_zone and facts.shift_start and facts.shift_end):
            skipped.append(facts.external_id)
            continue
        calendar = weekday_calendar(facts.time_zone, opens=hours.opens, closes=hours.closes,
                                    holiday_country=facts.country)
        activities.append((_activity(facts), calendar))
    per_agent = [(activity, assess_agent(activity, business_hours=calendar, thresholds=thresholds))
                 for activity, calendar in activities]
    # Most flags first, so the people who need attention lead the list.
    per_agent.sort(key=lambda pair: (-len(pair[1].flags), pair[0].external_id))
    # Each agent's after-hours share is measured on their own site's calendar, so vendor figures are
    # time-weighted sums of the agents' results rather than one calendar applied to everyone.
    vendors = [
        _vendor_out(vendor, [(activity, result) for activity, result in per_agent if activity.vendor == vendor],
                    thresholds)
        for vendor in sorted({activity.vendor for activity, _ in per_agent})
    ]
    return {
        "from": start.isoformat(), "to": end.isoformat(),
        "thresholds": _thresholds_out(thresholds),
        "agents": [{"agent": activity.external_id, "vendor": activity.vendor, "contacts": activity.contacts_handled,
                    **_indicators_out(result)} for activity, result in per_agent],
        "vendors": vendors,
        "not_assessed": sorted(skipped),
        "break_adherence": "not recorded: breaks are not stored, so adherence is never flagged",
    }


def staffing_report(
    connection: Connection, viewer: Viewer, *, brand_id: int, at: datetime, days: int = 60,
    target: StaffingTarget, max_queues: int = 8,
) -> dict:
    """Erlang C agents needed per UTC hour of day and queue (channel-language) from the last ``days`` days."""
    since = at - timedelta(days=days)
    if connection.dialect.name == "sqlite":  # stored as 'YYYY-MM-DD HH:MM:SS' in UTC
        hour = cast(func.strftime("%H", t.interactions.c.started_at), Integer)
    else:
        hour = cast(func.extract("hour", func.timezone("UTC", t.interactions.c.started_at)), Integer)
    rows = connection.execute(
        scope_interactions(
            select(t.interactions.c.channel, t.interactions.c.language, hour.label("hour"),
                   func.count().label("volume"), func.avg(t.interactions.c.handle_seconds).label("aht"))
            .select_from(t.interactions), viewer)
        .where(t.interactions.c.brand_id == brand_id, t.interactions.c.started_at >= since,
               t.interactions.c.started_at < at)
        .group_by(t.interactions.c.channel, t.interactions.c.language, hour)
    ).all()
    by_queue: dict[str, dict[int, tuple[float, float]]] = defaultdict(dict)
    for row in rows:
        queue = f"{row.channel}-{row.language or 'unknown'}"
        by_queue[queue][int(row.hour)] = (row.volume / days, float(row.aht or 0.0))
    ranked = sorted(by_queue, key=lambda queue: (-sum(v for v, _ in by_queue[queue].values()), queue))
    queues = []
    for queue in ranked[:max_queues]:
        hours = []
        for hour_of_day in range(24):
            volume, aht = by_queue[queue].get(hour_of_day, (0.0, 0.0))
            if volume == 0 or aht <= 0:
                hours.append({"hour": hour_of_day, "volume": 0.0, "aht_seconds": None, "agents": 0,
                              "service_level": None})
                continue
            result = agents_needed(volume, aht, 3600, target.service_level, target.answer_seconds,
                                   max_occupancy=target.max_occupancy)
            hours.append({"hour": hour_of_day, "volume": round(volume, 2), "aht_seconds": round(aht),
                          "agents": result.agents, "service_level": round(result.service_level, 3)})
        queues.append({"queue": queue, "hours": hours, "peak_agents": max(h["agents"] for h in hours)})
    return {"days": days, "since": iso(since), "until": iso(at), "service_level": target.service_level,
            "answer_seconds": target.answer_seconds, "max_occupancy": target.max_occupancy,
            "queues": queues, "other_queues": max(0, len(ranked) - max_queues)}


def coverage_report(connection: Connection, viewer: Viewer, *, brand_id: int, week_start: datetime,
                    minimum_agents: int = 1) -> dict:
    """Uncovered UTC hours of a week across every site, and hours without a speaker of each language served."""
    rows = connection.execute(
        scope_agents(select(t.agents, t.vendors.c.key.label("vendor"))
                     .join(t.vendors, t.vendors.c.id == t.agents.c.vendor_id), viewer)
        .where(t.agents.c.brand_id == brand_id)
    ).mappings().all()
    scheduled = [
        ScheduledAgent(row["external_id"], row["vendor"], row["time_zone"],
                       Shift(parse_clock_time(row["shift_start"]), parse_clock_time(row["shift_end"])),
                       tuple(sorted((row["languages"] or {}).items())))
        for row in rows if row["time_zone"] and row["shift_start"] and row["shift_end"]
    ]
    languages = sorted(code for code in connection.execute(
        scope_interactions(select(t.interactions.c.language).distinct(), viewer)
        .where(t.interactions.c.brand_id == brand_id, t.interactions.c.language.is_not(None))).scalars())
    report = check_coverage(scheduled, period_start=week_start, required_languages=languages,
                            minimum_agents=minimum_agents)
    return {
        "week_start": iso(report.period_start), "hours": report.period_hours, "agents_scheduled": len(scheduled),
        "minimum_agents": minimum_agents, "languages": languages, "fully_covered": report.is_fully_covered,
        "uncovered": [_span_out(span) for span in report.uncovered],
        "language_gaps": [{"language": gap.language, "hours": sum(s.hours for s in gap.spans),
                           "spans": [_span_out(span) for span in gap.spans]} for gap in report.language_gaps],
        "sites": sorted({f"{a.site} ({a.time_zone})" for a in scheduled}),
    }


def recognition_feed(connection: Connection, viewer: Viewer, *, brand_id: int, since: datetime,
                     limit: int = 20) -> dict:
    """Top QA scores and positive survey comments per agent since ``since``, newest praise first."""
    base = scope_interactions(
        select(t.interactions.c.id, t.interactions.c.external_id, t.interactions.c.started_at,
               t.interactions.c.qa_score, t.agents.c.external_id.label("agent"), t.vendors.c.key.label("vendor"))
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id), viewer
    ).where(t.interactions.c.brand_id == brand_id, t.interactions.c.started_at >= since)
    top_qa = connection.execute(
        base.where(t.interactions.c.qa_score.is_not(None))
        .order_by(t.interactions.c.qa_score.desc(), t.interactions.c.started_at.desc()).limit(limit)
    ).mappings().all()
    praise = connection.execute(
        base.add_columns(t.surveys.c.csat, t.surveys.c.comment)
        .join(t.surveys, t.surveys.c.interaction_id == t.interactions.c.id)
        .where(t.surveys.c.csat >= 4, t.surveys.c.comment.is_not(None), t.surveys.c.comment != "")
        .order_by(t.interactions.c.started_at.desc()).limit(limit)
    ).mappings().all()
    return {
        "top_qa": [{"agent": r["agent"], "vendor": r["vendor"], "interaction": r["external_id"], "id": r["id"],
                    "qa_score": r["qa_score"], "at": iso(r["started_at"])} for r in top_qa],
        "praise": [{"agent": r["agent"], "vendor": r["vendor"], "interaction": r["external_id"], "id": r["id"],
                    "csat": r["csat"], "comment": r["comment"], "at": iso(r["started_at"])} for r in praise],
    }


def _agent_facts(connection: Connection, viewer: Viewer, *, brand_id: int, start: date, end: date
                 ) -> dict[int, _AgentFacts]:
    agents = {
        row["id"]: _AgentFacts(row["external_id"], row["vendor"], row["country"], row["time_zone"],
                               row["shift_start"], row["shift_end"])
        for row in connection.execute(
            scope_agents(select(t.agents, t.vendors.c.key.label("vendor"))
                         .join(t.vendors, t.vendors.c.id == t.agents.c.vendor_id), viewer)
            .where(t.agents.c.brand_id == brand_id)
        ).mappings()
    }
    # A local day can start up to 14 hours before or after UTC midnight.
    lower = datetime.combine(start, time.min, tzinfo=UTC) - timedelta(hours=14)
    upper = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC) + timedelta(hours=14)
    rows = connection.execute(
        scope_interactions(
            select(t.interactions.c.agent_id, t.interactions.c.started_at, t.interactions.c.handle_seconds,
                   t.surveys.c.csat, t.quality_results.c.criteria)
            .select_from(t.interactions)
            .outerjoin(t.surveys, t.surveys.c.interaction_id == t.interactions.c.id)
            .outerjoin(t.quality_results, t.quality_results.c.interaction_id == t.interactions.c.id), viewer)
        .where(t.interactions.c.brand_id == brand_id, t.interactions.c.started_at >= lower,
               t.interactions.c.started_at < upper)
    )
    for row in rows:
        facts = agents.get(row.agent_id)
        if facts is None:
            continue
        zone = load_zone(facts.time_zone) if facts.time_zone else UTC
        day = aware(row.started_at).astimezone(zone).date()
        if not start <= day <= end:
            continue
        facts.days.add(day)
        facts.handle_seconds += row.handle_seconds or 0.0
        facts.contacts += 1
        facts.difficult += is_highly_negative(row.csat, row.criteria)
    return {agent_id: facts for agent_id, facts in agents.items() if facts.contacts}


def is_highly_negative(csat: int | None, criteria: Sequence[Mapping] | None) -> bool:
    """CSAT 1-2, or the customer ended the contact more negative than they began."""
    if csat is not None and csat <= NEGATIVE_CSAT:
        return True
    return any(item.get("id") == "customer_sentiment" and item.get("result") == "fail" for item in criteria or ())


def _activity(facts: _AgentFacts) -> AgentActivity:
    zone = load_zone(facts.time_zone)
    start, end = parse_clock_time(facts.shift_start), parse_clock_time(facts.shift_end)
    spans = []
    for day in sorted(facts.days):
        begins = datetime.combine(day, start, tzinfo=zone)
        ends_day = day + timedelta(days=1) if end <= start else day
        spans.append(WorkSpan(begins.astimezone(UTC), datetime.combine(ends_day, end, tzinfo=zone).astimezone(UTC)))
    return AgentActivity(
        external_id=facts.external_id, vendor=facts.vendor, time_zone=facts.time_zone, spans=tuple(spans),
        handle_seconds=facts.handle_seconds, breaks_scheduled=0, breaks_taken=0,
        contacts_handled=facts.contacts, difficult_contacts=facts.difficult,
    )


def _vendor_out(vendor: str, assessed: list[tuple[AgentActivity, WellbeingIndicators]],
                thresholds: WellbeingThresholds) -> dict:
    activities = [activity for activity, _ in assessed]
    indicators = [result for _, result in assessed]
    worked = sum((span.end - span.start).total_seconds() for a in activities for span in a.spans)
    shares = {}
    for name in ("after_hours_share", "night_share"):
        weighted = sum(getattr(result, name) * sum((s.end - s.start).total_seconds() for s in a.spans)
                       for a, result in zip(activities, indicators, strict=True) if getattr(result, name) is not None)
        shares[name] = weighted / worked if worked else None
    handle = sum(a.handle_seconds for a in activities)
    contacts = sum(a.contacts_handled for a in activities)
    values = {
        "occupancy": handle / worked if worked else None,
        "after_hours_share": shares["after_hours_share"],
        "night_share": shares["night_share"],
        "consecutive_days": max((result.consecutive_days for result in indicators), default=0),
        "break_adherence": None,
        "difficult_contact_share": sum(a.difficult_contacts for a in activities) / contacts if contacts else None,
    }
    limits = {"occupancy": (thresholds.max_occupancy, True), "after_hours_share": (thresholds.max_after_hours_share, True),
              "night_share": (thresholds.max_night_share, True),
              "consecutive_days": (thresholds.max_consecutive_days, True),
              "difficult_contact_share": (thresholds.max_difficult_contact_share, True)}
    flags = [_flag(name, values[name], limit) for name, (limit, _) in limits.items()
             if values[name] is not None and values[name] > limit]
    flagged_agents = sum(1 for result in indicators if result.flags)
    return {"vendor": vendor, "agents": len(activities), "contacts": contacts, "flagged_agents": flagged_agents,
            **{name: _round(value) for name, value in values.items()}, "flags": flags}


def _indicators_out(result: WellbeingIndicators) -> dict:
    return {
        "occupancy": _round(result.occupancy), "after_hours_share": _round(result.after_hours_share),
        "night_share": _round(result.night_share), "consecutive_days": result.consecutive_days,
        "break_adherence": _round(result.break_adherence),
        "difficult_contact_share": _round(result.difficult_contact_share),
        "flags": [_flag(flag.indicator.value, flag.value, flag.threshold) for flag in result.flags],
    }


def _flag(indicator: str, value: float, threshold: float) -> dict:
    if indicator == "consecutive_days":
        reason = f"worked {value:g} consecutive days (limit {threshold:g})"
    elif indicator == "break_adherence":
        reason = f"took {value:.0%} of scheduled breaks (minimum {threshold:.0%})"
    else:
        reason = f"{indicator.replace('_', ' ')} {value:.0%} is above the limit {threshold:.0%}"
    return {"indicator": indicator, "value": _round(value), "threshold": threshold, "reason": reason}


def _thresholds_out(thresholds: WellbeingThresholds) -> dict:
    return {"max_occupancy": thresholds.max_occupancy, "max_after_hours_share": thresholds.max_after_hours_share,
            "max_night_share": thresholds.max_night_share, "max_consecutive_days": thresholds.max_consecutive_days,
            "max_difficult_contact_share": thresholds.max_difficult_contact_share}


def _span_out(span) -> dict:
    return {"start": iso(span.start), "end": iso(span.end), "hours": span.hours}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
