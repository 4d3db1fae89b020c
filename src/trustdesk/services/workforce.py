"""Workforce views: fairness and wellbeing per agent and vendor, staffing (Erlang C) and 24/7 coverage.

Derived from stored facts only:
- An agent *worked* a local day when they handled at least one interaction that day; the logged-in span of
  that day is their stored shift (time zone, start, end). Busy time is the interactions' handle time.
- A contact is *highly negative* when its QA result failed ``customer_sentiment`` (the customer ended more
  negative than they started) or its survey CSAT is 1 or 2.
- Break adherence: scheduled breaks of the shifts in the period honoured by a taken break
  (``services.breaks``); an agent without scheduled breaks has no value and is never flagged.
- Privacy-training standing per agent comes from ``services.training`` (records of the agent or of the
  user accounts linked to it): current, expiring within 30 days, expired or missing.
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
from trustdesk.core.workforce.training import CourseStanding
from trustdesk.core.workforce.wellbeing import (
    AgentActivity,
    BreakTally,
    WellbeingIndicators,
    WellbeingThresholds,
    WorkSpan,
    assess_agent,
    break_adherence,
)
from trustdesk.services.breaks import agent_breaks, break_tallies, find_break_agent
from trustdesk.services.scope import Viewer, scope_agents, scope_interactions
from trustdesk.services.training import list_agent_training, privacy_training_by_agent
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
    agent_id: int
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


@dataclass(frozen=True)
class _Assessment:
    per_agent: list[tuple[AgentActivity, WellbeingIndicators]]
    standing: dict[str, CourseStanding]  # by agent external id
    not_assessed: list[str]


def wellbeing_report(
    connection: Connection, viewer: Viewer, *, brand_id: int, start: date, end: date,
    thresholds: WellbeingThresholds, hours: BusinessHours, now: datetime,
) -> dict:
    """Indicators with flags per agent and per vendor over local days ``start``..``end`` (inclusive), and each
    agent's privacy-training standing at ``now``."""
    assessment = _assess(connection, viewer, brand_id=brand_id, start=start, end=end, thresholds=thresholds,
                         hours=hours, now=now)
    per_agent = assessment.per_agent
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
        "agents": [_agent_out(activity, result, assessment.standing[activity.external_id])
                   for activity, result in per_agent],
        "vendors": vendors,
        "not_assessed": sorted(assessment.not_assessed),
    }


def agent_profile(
    connection: Connection, viewer: Viewer, *, brand_id: int, agent_external_id: str, start: date, end: date,
    thresholds: WellbeingThresholds, hours: BusinessHours, now: datetime,
) -> dict:
    """One agent's record, wellbeing indicators, breaks and training over local days ``start``..``end``."""
    agent = find_break_agent(connection, viewer, brand_id=brand_id, agent_external_id=agent_external_id)
    row = connection.execute(
        select(t.agents, t.vendors.c.key.label("vendor"), t.teams.c.key.label("team"))
        .join(t.vendors, t.vendors.c.id == t.agents.c.vendor_id)
        .outerjoin(t.teams, t.teams.c.id == t.agents.c.team_id)
        .where(t.agents.c.id == agent.id)
    ).mappings().one()
    assessment = _assess(connection, viewer, brand_id=brand_id, start=start, end=end, thresholds=thresholds,
                         hours=hours, now=now, agent_id=agent.id)
    wellbeing = next((_agent_out(activity, result, assessment.standing[activity.external_id])
                      for activity, result in assessment.per_agent), None)
    training = list_agent_training(connection, agent_id=agent.id, now=now)
    return {
        "agent": row["external_id"], "name": row["display_name"], "vendor": row["vendor"], "team": row["team"],
        "country": row["country"], "time_zone": row["time_zone"],
        "shift": f"{row['shift_start']}-{row['shift_end']}" if row["shift_start"] else None,
        "languages": dict(sorted((row["languages"] or {}).items())), "skills": sorted(row["skills"] or []),
        "from": start.isoformat(), "to": end.isoformat(), "thresholds": _thresholds_out(thresholds),
        "wellbeing": wellbeing,
        "breaks": agent_breaks(connection, agent, start=start, end=end),
        "privacy_training": standing_out(privacy_training_by_agent(connection, [agent.id], now=now)[agent.id]),
        "training_records": training,
    }


def _assess(
    connection: Connection, viewer: Viewer, *, brand_id: int, start: date, end: date,
    thresholds: WellbeingThresholds, hours: BusinessHours, now: datetime, agent_id: int | None = None,
) -> _Assessment:
    agents = _agent_facts(connection, viewer, brand_id=brand_id, start=start, end=end, agent_id=agent_id)
    tallies = break_tallies(connection, {agent_id: facts.time_zone for agent_id, facts in agents.items()},
                            start=start, end=end)
    training = privacy_training_by_agent(connection, agents, now=now)
    per_agent: list[tuple[AgentActivity, WellbeingIndicators]] = []
    skipped = []
    for agent_id_, facts in agents.items():
        if not (facts.time_zone and facts.shift_start and facts.shift_end):
            skipped.append(facts.external_id)
            continue
        calendar = weekday_calendar(facts.time_zone, opens=hours.opens, closes=hours.closes,
                                    holiday_country=facts.country)
        activity = _activity(facts, tallies[agent_id_])
        per_agent.append((activity, assess_agent(activity, business_hours=calendar, thresholds=thresholds)))
    # Most flags first, so the people who need attention lead the list.
    per_agent.sort(key=lambda pair: (-len(pair[1].flags), pair[0].external_id))
    standing = {facts.external_id: training[agent_id_] for agent_id_, facts in agents.items()}
    return _Assessment(per_agent, standing, skipped)


def _agent_out(activity: AgentActivity, result: WellbeingIndicators, standing: CourseStanding) -> dict:
    return {"agent": activity.external_id, "vendor": activity.vendor, "contacts": activity.contacts_handled,
            "breaks_scheduled": activity.breaks_scheduled, "breaks_taken": activity.breaks_taken,
            **_indicators_out(result), "privacy_training": standing_out(standing)}


def standing_out(standing: CourseStanding) -> dict:
    return {"status": standing.currency.value, "expires_at": iso(standing.expires_at)}


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


def _agent_facts(connection: Connection, viewer: Viewer, *, brand_id: int, start: date, end: date,
                 agent_id: int | None = None) -> dict[int, _AgentFacts]:
    """Facts of the brand's agents the viewer may see (only ``agent_id`` when given) who worked in the period."""
    agent_rows = scope_agents(select(t.agents, t.vendors.c.key.label("vendor"))
                              .join(t.vendors, t.vendors.c.id == t.agents.c.vendor_id), viewer
                              ).where(t.agents.c.brand_id == brand_id)
    if agent_id is not None:
        agent_rows = agent_rows.where(t.agents.c.id == agent_id)
    agents = {
        row["id"]: _AgentFacts(row["id"], row["external_id"], row["vendor"], row["country"], row["time_zone"],
                               row["shift_start"], row["shift_end"])
        for row in connection.execute(agent_rows).mappings()
    }
    # A local day can start up to 14 hours before or after UTC midnight.
    lower = datetime.combine(start, time.min, tzinfo=UTC) - timedelta(hours=14)
    upper = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC) + timedelta(hours=14)
    worked = (
        scope_interactions(
            select(t.interactions.c.agent_id, t.interactions.c.started_at, t.interactions.c.handle_seconds,
                   t.surveys.c.csat, t.quality_results.c.criteria)
            .select_from(t.interactions)
            .outerjoin(t.surveys, t.surveys.c.interaction_id == t.interactions.c.id)
            .outerjoin(t.quality_results, t.quality_results.c.interaction_id == t.interactions.c.id), viewer)
        .where(t.interactions.c.brand_id == brand_id, t.interactions.c.started_at >= lower,
               t.interactions.c.started_at < upper)
    )
    if agent_id is not None:
        worked = worked.where(t.interactions.c.agent_id == agent_id)
    for row in connection.execute(worked):
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


def _activity(facts: _AgentFacts, breaks: BreakTally) -> AgentActivity:
    zone = load_zone(facts.time_zone)
    start, end = parse_clock_time(facts.shift_start), parse_clock_time(facts.shift_end)
    spans = []
    for day in sorted(facts.days):
        begins = datetime.combine(day, start, tzinfo=zone)
        ends_day = day + timedelta(days=1) if end <= start else day
        spans.append(WorkSpan(begins.astimezone(UTC), datetime.combine(ends_day, end, tzinfo=zone).astimezone(UTC)))
    return AgentActivity(
        external_id=facts.external_id, vendor=facts.vendor, time_zone=facts.time_zone, spans=tuple(spans),
        handle_seconds=facts.handle_seconds, breaks_scheduled=breaks.scheduled, breaks_taken=breaks.taken,
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
        "break_adherence": break_adherence([BreakTally(a.breaks_scheduled, a.breaks_taken) for a in activities]),
        "difficult_contact_share": sum(a.difficult_contacts for a in activities) / contacts if contacts else None,
    }
    # (limit, is_ceiling): break adherence is a floor, every other indicator a ceiling.
    limits = {"occupancy": (thresholds.max_occupancy, True), "after_hours_share": (thresholds.max_after_hours_share, True),
              "night_share": (thresholds.max_night_share, True),
              "consecutive_days": (thresholds.max_consecutive_days, True),
              "break_adherence": (thresholds.min_break_adherence, False),
              "difficult_contact_share": (thresholds.max_difficult_contact_share, True)}
    flags = [_flag(name, values[name], limit) for name, (limit, is_ceiling) in limits.items()
             if values[name] is not None and (values[name] > limit if is_ceiling else values[name] < limit)]
    flagged_agents = sum(1 for result in indicators if result.flags)
    return {"vendor": vendor, "agents": len(activities), "contacts": contacts, "flagged_agents": flagged_agents,
            "breaks_scheduled": sum(a.breaks_scheduled for a in activities),
            "breaks_taken": sum(a.breaks_taken for a in activities),
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
            "min_break_adherence": thresholds.min_break_adherence,
            "max_difficult_contact_share": thresholds.max_difficult_contact_share}


def _span_out(span) -> dict:
    return {"start": iso(span.start), "end": iso(span.end), "hours": span.hours}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
