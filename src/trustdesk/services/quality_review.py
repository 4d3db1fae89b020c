"""Human review of QA results: the queue, overrides with reasons, coaching notes, disputes with a
deadline, grading of reviewers and sampled review assignments.

Monitoring is transparent to agents: an agent sees the reviews of their own interactions, who made them
and every coaching note, and may dispute a score. Everything is read through ``services.scope``.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, case, exists, func, insert, select, update

from trustdesk.core.model import Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.quality import to_contract_dict
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.review import apply_overrides, result_from_contract
from trustdesk.core.quality.sampling import sample_reviews
from trustdesk.services import browse
from trustdesk.services.audit import record_write
from trustdesk.services.metrics_rollups import update_rollups_for_interactions
from trustdesk.services.quality import SOURCE_HUMAN, QualityInputError, scorecard_named, store_result
from trustdesk.storage.timestamps import iso_utc as iso
from trustdesk.services.scope import Viewer, scope_interactions
from trustdesk.storage import tables as t
from trustdesk.storage.quality_tables import (
    quality_assignments,
    quality_disputes,
    quality_review_grades,
    quality_reviews,
)

DISPUTE_DEADLINE = timedelta(days=7)
REVIEWER_ROLES = {Role.ADMIN, Role.BRAND_MANAGER, Role.SUPERVISOR, Role.QA_ANALYST}
LEAD_ROLES = {Role.ADMIN, Role.BRAND_MANAGER, Role.SUPERVISOR}
MAX_QUEUE_PAGE = 200


class QualityConflict(RuntimeError):
    """The request clashes with the record's state (e.g. a dispute already decided): HTTP 409."""


@dataclass(frozen=True)
class Override:
    criterion: str
    result: Outcome
    reason: str


# --- visibility ----------------------------------------------------------------------------------


def visible_interaction(connection: Connection, viewer: Viewer, interaction_id: int) -> dict | None:
    """brand, vendor and agent ids of an interaction the viewer may see, else None."""
    row = connection.execute(
        scope_interactions(select(t.interactions.c.id, t.interactions.c.brand_id, t.interactions.c.agent_id,
                                  t.interactions.c.external_id), viewer)
        .where(t.interactions.c.id == interaction_id)
    ).mappings().first()
    return dict(row) if row else None


def _stored_result(connection: Connection, interaction_id: int) -> dict | None:
    row = connection.execute(select(t.quality_results).where(t.quality_results.c.interaction_id == interaction_id)).first()
    if row is None:
        return None
    return {"scorecard": row.scorecard, "score": row.score, "passed": row.passed, "criteria": row.criteria,
            "source": row.source}


# --- queue ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    brand: str | None = None
    vendor: str | None = None
    channel: str | None = None
    language: str | None = None
    agent: str | None = None
    passed: bool | None = None
    source: str | None = None
    assigned_to_me: bool = False
    page: int = 1
    page_size: int = 50


def list_queue(connection: Connection, viewer: Viewer, filters: QueueFilters) -> browse.Page:
    """Scored interactions visible to the viewer, worst score first (ties: newest first)."""
    query = scope_interactions(browse.join_interaction_context(
        select(*browse.SUMMARY_COLUMNS, t.quality_results.c.source.label("source")).select_from(t.interactions)
    ).join(t.quality_results, t.quality_results.c.interaction_id == t.interactions.c.id), viewer)
    query = browse.filter_interactions(query, browse.InteractionFilters(
        brand=filters.brand, vendor=filters.vendor, channel=filters.channel, language=filters.language,
        agent=filters.agent))
    if filters.passed is not None:
        query = query.where(t.quality_results.c.passed.is_(filters.passed))
    if filters.source:
        query = query.where(t.quality_results.c.source == filters.source)
    if filters.assigned_to_me:
        query = query.where(exists().where(quality_assignments.c.interaction_id == t.interactions.c.id,
                                           quality_assignments.c.reviewer_id == viewer.user_id))
    page_size = max(1, min(filters.page_size, MAX_QUEUE_PAGE))
    page = max(1, filters.page)
    total = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = connection.execute(
        query.order_by(t.quality_results.c.score.asc(), t.interactions.c.started_at.desc(), t.interactions.c.id.desc())
        .limit(page_size).offset((page - 1) * page_size)
    ).mappings()
    items = [{**browse.interaction_summary(row), "source": row["source"]} for row in rows]
    return browse.Page(items=items, total=total, page=page, page_size=page_size)


# --- the review record of one interaction ----------------------------------------------------------


def get_review_view(connection: Connection, viewer: Viewer, interaction_id: int, *, now: datetime) -> dict | None:
    """The interaction with its effective result, every review (who, what, coaching), grades and disputes."""
    detail = browse.get_interaction(connection, viewer, interaction_id)
    if detail is None:
        return None
    reviewer = t.users.alias("reviewer")
    reviews = []
    for row in connection.execute(
        select(quality_reviews, reviewer.c.username).join(reviewer, reviewer.c.id == quality_reviews.c.reviewer_id)
        .where(quality_reviews.c.interaction_id == interaction_id).order_by(quality_reviews.c.created_at, quality_reviews.c.id)
    ).mappings():
        grades = [
            {"grader": g["username"], "agrees": g["agrees"], "note": g["note"], "created_at": iso(g["created_at"])}
            for g in connection.execute(
                select(quality_review_grades, t.users.c.username)
                .join(t.users, t.users.c.id == quality_review_grades.c.grader_id)
                .where(quality_review_grades.c.review_id == row["id"]).order_by(quality_review_grades.c.id)
            ).mappings()
        ]
        reviews.append({"id": row["id"], "reviewer": row["username"], "overrides": row["overrides"],
                        "coaching_note": row["coaching_note"], "score_before": row["score_before"],
                        "score_after": row["score_after"], "created_at": iso(row["created_at"]), "grades": grades})
    detail["reviews"] = reviews
    detail["disputes"] = _disputes(connection, viewer, now=now, interaction_id=interaction_id)
    return detail


# --- reviews and overrides -------------------------------------------------------------------------


def submit_review(connection: Connection, viewer: Viewer, interaction_id: int, *, overrides: Sequence[Override],
                  coaching_note: str | None, now: datetime) -> dict | None:
    """Record a review: override criteria (each with a reason) and/or coach the agent. The effective result
    becomes the reviewer's (source "human"), which rescoring never overwrites. None if not visible."""
    interaction = visible_interaction(connection, viewer, interaction_id)
    if interaction is None:
        return None
    stored = _stored_result(connection, interaction_id)
    if stored is None:
        raise QualityConflict("this interaction has no QA result to review")
    note = (coaching_note or "").strip() or None
    if not overrides and note is None:
        raise QualityInputError("$.overrides", "a review overrides at least one criterion or adds a coaching note")
    criteria_ids = [c["id"] for c in stored["criteria"]]
    seen: set[str] = set()
    for index, override in enumerate(overrides):
        if override.criterion not in criteria_ids:
            raise QualityInputError(f"$.overrides[{index}].criterion",
                                    f"criterion {override.criterion!r} is not in this result (has: {', '.join(criteria_ids)})")
        if override.criterion in seen:
            raise QualityInputError(f"$.overrides[{index}].criterion", f"criterion {override.criterion!r} is overridden twice")
        seen.add(override.criterion)
        if not override.reason.strip():
            raise QualityInputError(f"$.overrides[{index}].reason", "an override needs a reason")
    card = scorecard_named(connection, brand_id=interaction["brand_id"], scorecard_id=stored["scorecard"])
    current = result_from_contract(stored, external_id=interaction["external_id"])
    edited = apply_overrides(current, {o.criterion: o.result for o in overrides}, card)
    by_id = {o.criterion: o for o in overrides}
    criteria = []
    for before, after in zip(stored["criteria"], to_contract_dict(edited)["criteria"]):
        entry = {**before, "result": after["result"], "points": after["points"], "max_points": after["max_points"]}
        override = by_id.get(before["id"])
        if override is not None:
            entry.setdefault("automatic", {"result": before["result"], "points": before["points"],
                                           "max_points": before["max_points"]})
            entry.update(source=SOURCE_HUMAN, reviewed_by=viewer.username, override_reason=override.reason.strip())
        criteria.append(entry)
    store_result(connection, interaction_id=interaction_id, now=now, source=SOURCE_HUMAN,
                 result={"scorecard": stored["scorecard"], "score": edited.score, "passed": edited.passed,
                         "criteria": criteria})
    # The override changes the score and pass/fail the rollups counted for this interaction's day.
    update_rollups_for_interactions(connection, [interaction_id], at=now)
    records = [{"criterion": o.criterion, "from": next(c["result"] for c in stored["criteria"] if c["id"] == o.criterion),
                "to": o.result.value, "reason": o.reason.strip()} for o in overrides]
    review_id = connection.execute(insert(quality_reviews).values(
        interaction_id=interaction_id, reviewer_id=viewer.user_id, overrides=records, coaching_note=note,
        score_before=stored["score"], score_after=edited.score, created_at=now,
    ).returning(quality_reviews.c.id)).scalar_one()
    changed = ", ".join(f"{r['criterion']} {r['from']}->{r['to']}" for r in records)
    record_write(connection, viewer, event_type=AuditEventType.QA_REVIEW, at=now, brand_id=interaction["brand_id"],
                 resource=f"interaction:{interaction_id}/review:{review_id}",
                 reason=f"score {stored['score']} -> {edited.score}" + (f"; overrides: {changed}" if records else "")
                 + ("; coaching note added" if note else ""))
    return {"id": review_id, "reviewer": viewer.username, "score_before": stored["score"], "score": edited.score,
            "passed": edited.passed, "source": SOURCE_HUMAN, "overrides": records, "coaching_note": note}


def grade_review(connection: Connection, viewer: Viewer, review_id: int, *, agrees: bool, note: str | None,
                 now: datetime) -> dict | None:
    """A lead's verdict on another reviewer's review (grade-the-grader); None if the review is not visible."""
    row = connection.execute(select(quality_reviews.c.interaction_id, quality_reviews.c.reviewer_id)
                             .where(quality_reviews.c.id == review_id)).first()
    interaction = visible_interaction(connection, viewer, row.interaction_id) if row is not None else None
    if interaction is None:
        return None
    if row.reviewer_id == viewer.user_id:
        raise QualityConflict("a reviewer cannot grade their own review")
    grade_id = connection.execute(insert(quality_review_grades).values(
        review_id=review_id, grader_id=viewer.user_id, agrees=agrees, note=(note or "").strip() or None, created_at=now,
    ).returning(quality_review_grades.c.id)).scalar_one()
    record_write(connection, viewer, event_type=AuditEventType.QA_REVIEW, at=now, brand_id=interaction["brand_id"],
                 resource=f"interaction:{row.interaction_id}/review:{review_id}",
                 reason=f"review graded: {'agrees' if agrees else 'disagrees'}")
    return {"id": grade_id, "review_id": review_id, "grader": viewer.username, "agrees": agrees}


def reviewer_agreement(connection: Connection, viewer: Viewer) -> list[dict]:
    """Per reviewer: how many of their reviews leads graded and the share they agreed with."""
    reviewer = t.users.alias("reviewer")
    query = scope_interactions(
        select(reviewer.c.username, func.count(quality_review_grades.c.id),
               func.sum(case((quality_review_grades.c.agrees.is_(True), 1), else_=0)))
        .select_from(quality_review_grades)
        .join(quality_reviews, quality_reviews.c.id == quality_review_grades.c.review_id)
        .join(t.interactions, t.interactions.c.id == quality_reviews.c.interaction_id)
        .join(reviewer, reviewer.c.id == quality_reviews.c.reviewer_id)
        .group_by(reviewer.c.username).order_by(reviewer.c.username),
        viewer,
    )
    return [{"reviewer": name, "grades": graded, "agreement": (agreed or 0) / graded}
            for name, graded, agreed in connection.execute(query).all()]


# --- disputes ------------------------------------------------------------------------------------


def raise_dispute(connection: Connection, viewer: Viewer, interaction_id: int, *, reason: str,
                  now: datetime) -> dict | None:
    """An agent contests the score of their interaction; a reviewer must decide within DISPUTE_DEADLINE."""
    interaction = visible_interaction(connection, viewer, interaction_id)
    if interaction is None:
        return None
    if not reason.strip():
        raise QualityInputError("$.reason", "a dispute needs a reason")
    if _stored_result(connection, interaction_id) is None:
        raise QualityConflict("this interaction has no QA result to dispute")
    if connection.execute(select(quality_disputes.c.id).where(
            quality_disputes.c.interaction_id == interaction_id, quality_disputes.c.status == "open")).first():
        raise QualityConflict("this interaction already has an open dispute")
    dispute_id = connection.execute(insert(quality_disputes).values(
        interaction_id=interaction_id, raised_by=viewer.user_id, reason=reason.strip(), status="open",
        raised_at=now, due_at=now + DISPUTE_DEADLINE,
    ).returning(quality_disputes.c.id)).scalar_one()
    record_write(connection, viewer, event_type=AuditEventType.QA_DISPUTE, at=now, brand_id=interaction["brand_id"],
                 resource=f"interaction:{interaction_id}/dispute:{dispute_id}", reason="dispute raised")
    return _disputes(connection, viewer, now=now, dispute_id=dispute_id)[0]


def decide_dispute(connection: Connection, viewer: Viewer, dispute_id: int, *, upheld: bool, note: str,
                   overrides: Sequence[Override] = (), now: datetime) -> dict | None:
    """Uphold (optionally correcting criteria, recorded as a review) or reject an open dispute, with a note."""
    row = connection.execute(select(quality_disputes).where(quality_disputes.c.id == dispute_id)).first()
    interaction = visible_interaction(connection, viewer, row.interaction_id) if row is not None else None
    if interaction is None:
        return None
    if row.status != "open":
        raise QualityConflict(f"dispute {dispute_id} was already decided ({row.status})")
    if row.raised_by == viewer.user_id:
        raise QualityConflict("whoever raised a dispute cannot decide it")
    if not note.strip():
        raise QualityInputError("$.note", "a decision needs a note explaining it")
    if overrides and not upheld:
        raise QualityInputError("$.overrides", "only an upheld dispute changes the result")
    if overrides:
        submit_review(connection, viewer, row.interaction_id, overrides=overrides,
                      coaching_note=None, now=now)
    connection.execute(update(quality_disputes).where(quality_disputes.c.id == dispute_id).values(
        status="upheld" if upheld else "rejected", decided_by=viewer.user_id, decided_at=now,
        decision_note=note.strip()))
    record_write(connection, viewer, event_type=AuditEventType.QA_DISPUTE, at=now, brand_id=interaction["brand_id"],
                 resource=f"interaction:{row.interaction_id}/dispute:{dispute_id}",
                 reason=f"dispute {'upheld' if upheld else 'rejected'}")
    return _disputes(connection, viewer, now=now, dispute_id=dispute_id)[0]


def list_disputes(connection: Connection, viewer: Viewer, *, status: str | None, now: datetime) -> list[dict]:
    return _disputes(connection, viewer, now=now, status=status)


def _disputes(connection: Connection, viewer: Viewer, *, now: datetime, status: str | None = None,
              interaction_id: int | None = None, dispute_id: int | None = None) -> list[dict]:
    raiser, decider = t.users.alias("raiser"), t.users.alias("decider")
    query = scope_interactions(
        select(quality_disputes, raiser.c.username.label("raiser"), decider.c.username.label("decider"),
               t.interactions.c.external_id)
        .select_from(quality_disputes)
        .join(t.interactions, t.interactions.c.id == quality_disputes.c.interaction_id)
        .join(raiser, raiser.c.id == quality_disputes.c.raised_by)
        .outerjoin(decider, decider.c.id == quality_disputes.c.decided_by),
        viewer,
    )
    if status:
        query = query.where(quality_disputes.c.status == status)
    if interaction_id is not None:
        query = query.where(quality_disputes.c.interaction_id == interaction_id)
    if dispute_id is not None:
        query = query.where(quality_disputes.c.id == dispute_id)
    rows = connection.execute(query.order_by(quality_disputes.c.due_at, quality_disputes.c.id)).mappings()
    return [
        {"id": r["id"], "interaction_id": r["interaction_id"], "external_id": r["external_id"], "raised_by": r["raiser"],
         "reason": r["reason"], "status": r["status"], "raised_at": iso(r["raised_at"]), "due_at": iso(r["due_at"]),
         "overdue": r["status"] == "open" and _aware(r["due_at"]) < now,
         "decided_by": r["decider"], "decided_at": iso(r["decided_at"]), "decision_note": r["decision_note"]}
        for r in rows
    ]


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# --- sampled review assignments --------------------------------------------------------------------


def create_assignments(connection: Connection, viewer: Viewer, *, brand_id: int, period_start: date,
                       period_end: date, per_agent: int, reviewers: Sequence[str], seed: int,
                       now: datetime) -> dict:
    """Sample ``per_agent`` scored interactions of every agent in the period (the same number for each
    agent) and spread them over ``reviewers``; the seed makes the draw repeatable."""
    if period_end < period_start:
        raise QualityInputError("$.period_end", "period_end is before period_start")
    if per_agent < 1:
        raise QualityInputError("$.per_agent", "per_agent must be at least 1")
    reviewer_ids = []
    for index, username in enumerate(reviewers):
        row = connection.execute(select(t.users.c.id, t.users.c.role, t.users.c.brand_id)
                                 .where(t.users.c.username == username, t.users.c.active.is_(True))).first()
        if row is None or Role(row.role) not in REVIEWER_ROLES or row.brand_id not in (brand_id, None):
            raise QualityInputError(f"$.reviewers[{index}]", f"{username!r} is not a reviewer of this brand")
        reviewer_ids.append(row.id)
    if not reviewer_ids:
        raise QualityInputError("$.reviewers", "at least one reviewer is needed")
    period = f"{period_start.isoformat()}..{period_end.isoformat()}"
    start = datetime.combine(period_start, time.min, tzinfo=UTC)
    end = datetime.combine(period_end + timedelta(days=1), time.min, tzinfo=UTC)
    rows = connection.execute(
        scope_interactions(
            select(t.interactions.c.id, t.interactions.c.agent_id)
            .join(t.quality_results, t.quality_results.c.interaction_id == t.interactions.c.id), viewer)
        .where(t.interactions.c.brand_id == brand_id, t.interactions.c.started_at >= start,
               t.interactions.c.started_at < end)
    ).all()
    by_agent: dict[int, list[int]] = {}
    for interaction_id, agent_id in rows:
        by_agent.setdefault(agent_id, []).append(interaction_id)
    already = connection.execute(select(quality_assignments.c.id).where(
        quality_assignments.c.period == period, quality_assignments.c.agent_id.in_(list(by_agent)))).first()
    if already is not None:
        raise QualityConflict(f"reviews for period {period} were already sampled for these agents")
    plan = sample_reviews(by_agent, per_agent=per_agent, reviewer_ids=reviewer_ids, rng=random.Random(seed))
    if plan.assignments:
        connection.execute(insert(quality_assignments), [
            {"brand_id": brand_id, "interaction_id": a.interaction_id, "agent_id": a.agent_id,
             "reviewer_id": a.reviewer_id, "period": period, "seed": seed, "created_at": now}
            for a in plan.assignments])
    return {"period": period, "per_agent": plan.per_agent, "agents": len({a.agent_id for a in plan.assignments}),
            "assignments": len(plan.assignments), "seed": seed}


def list_assignments(connection: Connection, viewer: Viewer, *, mine: bool) -> list[dict]:
    reviewer = t.users.alias("reviewer")
    reviewed = exists().where(quality_reviews.c.interaction_id == quality_assignments.c.interaction_id,
                              quality_reviews.c.reviewer_id == quality_assignments.c.reviewer_id)
    query = scope_interactions(
        select(quality_assignments.c.interaction_id, quality_assignments.c.period, t.interactions.c.external_id,
               t.agents.c.external_id.label("agent"), reviewer.c.username.label("reviewer"),
               t.interactions.c.qa_score, reviewed.label("reviewed"))
        .select_from(quality_assignments)
        .join(t.interactions, t.interactions.c.id == quality_assignments.c.interaction_id)
        .join(t.agents, t.agents.c.id == quality_assignments.c.agent_id)
        .join(reviewer, reviewer.c.id == quality_assignments.c.reviewer_id),
        viewer,
    )
    if mine:
        query = query.where(quality_assignments.c.reviewer_id == viewer.user_id)
    rows = connection.execute(query.order_by(quality_assignments.c.period, t.agents.c.external_id,
                                             quality_assignments.c.interaction_id)).mappings()
    return [{"interaction_id": r["interaction_id"], "external_id": r["external_id"], "period": r["period"],
             "agent": r["agent"], "reviewer": r["reviewer"], "qa_score": r["qa_score"], "reviewed": bool(r["reviewed"])}
            for r in rows]
