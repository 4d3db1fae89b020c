"""Churn-risk and relationship-value signals per customer over a period, from the interactions, surveys,
cases and complaints the viewer may see. Customers are named by external id only, never personal data."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Connection, func, select

from trustdesk.core.metrics.customer_signals import SignalLevel, activity_from_facts, score_customer
from trustdesk.core.metrics.facts import UNKNOWN_DIMENSION, InteractionFact
from trustdesk.core.metrics.repeat_contacts import mark_repeat_contacts
from trustdesk.core.model import CaseStatus, Role
from trustdesk.services.scope import Viewer, scope_interactions, scope_vendor_records
from trustdesk.services.tenancy import FieldError, as_utc, require_role, visible_brand_id
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import complaints

SIGNAL_READERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR, Role.QA_ANALYST}
DEFAULT_PERIOD_DAYS = 90
MAX_PERIOD_DAYS = 366
MAX_LIMIT = 1_000
_LEVEL_RANK = {SignalLevel.LOW: 0, SignalLevel.MEDIUM: 1, SignalLevel.HIGH: 2}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def list_customer_signals(
    connection: Connection,
    viewer: Viewer,
    *,
    brand_key: str | None,
    date_from: date | None,
    date_to: date | None,
    min_level: str,
    limit: int,
    now: datetime,
) -> list[dict]:
    """Customers whose churn risk is at least ``min_level``, riskiest (then most valuable) first."""
    require_role(viewer, SIGNAL_READERS, "see customer signals")
    brand_id = visible_brand_id(connection, viewer, brand_key)
    date_to = date_to or now.date()
    date_from = date_from or date_to - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if date_from > date_to:
        raise FieldError("date_from", "date_from is after date_to")
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise FieldError("date_from", f"the period spans at most {MAX_PERIOD_DAYS} days")
    if not 1 <= limit <= MAX_LIMIT:
        raise FieldError("limit", f"limit must be 1-{MAX_LIMIT}")
    threshold = _LEVEL_RANK[SignalLevel(min_level)]
    start, end = _start_of(date_from), _start_of(date_to + timedelta(days=1))
    rows = connection.execute(
        scope_interactions(
            select(t.interactions.c.id, t.interactions.c.started_at, t.interactions.c.vendor_id, t.interactions.c.agent_id,
                   t.interactions.c.channel, t.interactions.c.language, t.interactions.c.case_id,
                   t.customers.c.external_id.label("customer"), t.customers.c.created_at.label("customer_since"),
                   t.cases.c.purpose, t.cases.c.status.label("case_status"), t.surveys.c.csat, t.surveys.c.nps)
            .join(t.customers, t.customers.c.id == t.interactions.c.customer_id)
            .join(t.cases, t.cases.c.id == t.interactions.c.case_id)
            .outerjoin(t.surveys, t.surveys.c.interaction_id == t.interactions.c.id),
            viewer,
        ).where(t.interactions.c.brand_id == brand_id, t.interactions.c.started_at >= start, t.interactions.c.started_at < end)
    ).all()
    facts = mark_repeat_contacts([
        InteractionFact(
            interaction_id=str(row.id), customer_id=row.customer, case_id=str(row.case_id),
            started_at=as_utc(row.started_at), day=as_utc(row.started_at).date(), brand=str(brand_id),
            vendor=str(row.vendor_id), team=UNKNOWN_DIMENSION, agent=str(row.agent_id), channel=row.channel,
            language=row.language or UNKNOWN_DIMENSION, purpose=row.purpose, csat=row.csat, nps=row.nps,
        )
        for row in rows
    ])
    facts_by_customer: dict[str, list[InteractionFact]] = defaultdict(list)
    for fact in facts:
        facts_by_customer[fact.customer_id].append(fact)
    unresolved: dict[str, set[int]] = defaultdict(set)
    since: dict[str, datetime] = {}
    for row in rows:
        since[row.customer] = as_utc(row.customer_since)
        if row.case_status != CaseStatus.RESOLVED.value:
            unresolved[row.customer].add(row.case_id)
    complaint_counts = Counter(dict(connection.execute(
        scope_vendor_records(
            select(t.customers.c.external_id, func.count())
            .select_from(complaints).join(t.customers, t.customers.c.id == complaints.c.customer_id),
            complaints, viewer,
        ).where(complaints.c.brand_id == brand_id, complaints.c.received_at >= start, complaints.c.received_at < end)
        .group_by(t.customers.c.external_id)
    ).all()))
    results = []
    for customer, own_facts in facts_by_customer.items():
        activity = activity_from_facts(customer, own_facts, unresolved_cases=len(unresolved[customer]),
                                       complaints=complaint_counts[customer],
                                       tenure_days=max(0, (now - since[customer]).days))
        signals = score_customer(activity)
        if _LEVEL_RANK[signals.churn_risk.level] >= threshold:
            results.append((activity, signals))
    results.sort(key=lambda pair: (-pair[1].churn_risk.score, -pair[1].relationship_value.score, pair[0].customer_id))
    return [_signal_item(activity, signals) for activity, signals in results[:limit]]


def _signal_item(activity, signals) -> dict:
    def signal(value) -> dict:
        return {"score": value.score, "level": value.level.value,
                "reasons": [{"code": r.code.value, "points": r.points, "detail": r.detail} for r in value.reasons]}

    return {
        "customer": activity.customer_id, "contacts": activity.contacts, "repeat_contacts": activity.repeat_contacts,
        "negative_answers": activity.negative_answers, "unresolved_cases": activity.unresolved_cases,
        "complaints": activity.complaints, "churn_risk": signal(signals.churn_risk),
        "relationship_value": signal(signals.relationship_value), "is_valuable_at_risk": signals.is_valuable_at_risk,
    }
