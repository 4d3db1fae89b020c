"""Calibration sessions: several reviewers rate the same interactions blind, and the page shows how far
they agree with each other and with the automatic scorer (Cohen's kappa per criterion, QA-4).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import combinations

from sqlalchemy import Connection, delete, insert, select

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.quality.calibration import agreement_by_criterion
from trustdesk.core.quality.results import Outcome
from trustdesk.services.audit import record_write
from trustdesk.services.quality import QualityInputError, automatic_result, scorecard_named
from trustdesk.storage.timestamps import iso_utc as iso
from trustdesk.services.scope import Viewer, scope_by_brand, scope_interactions
from trustdesk.storage import tables as t
from trustdesk.storage.quality_tables import calibration_items, calibration_ratings, calibration_sessions

AUTOMATIC_RATER = "automatic"


def create_session(connection: Connection, viewer: Viewer, *, brand_id: int, name: str,
                   interaction_ids: Sequence[int], now: datetime) -> int:
    """A session over interactions of one brand that the creator may see; returns its id."""
    if not name.strip():
        raise QualityInputError("$.name", "a calibration session needs a name")
    if not interaction_ids:
        raise QualityInputError("$.interaction_ids", "a calibration session needs at least one interaction")
    for index, interaction_id in enumerate(interaction_ids):
        found = connection.execute(
            scope_interactions(select(t.interactions.c.id)
                               .join(t.quality_results, t.quality_results.c.interaction_id == t.interactions.c.id), viewer)
            .where(t.interactions.c.id == interaction_id, t.interactions.c.brand_id == brand_id)
        ).first()
        if found is None:
            raise QualityInputError(f"$.interaction_ids[{index}]", f"no scored interaction {interaction_id} in this brand")
    session_id = connection.execute(insert(calibration_sessions).values(
        brand_id=brand_id, name=name.strip(), created_by=viewer.user_id, created_at=now,
    ).returning(calibration_sessions.c.id)).scalar_one()
    items = list(dict.fromkeys(interaction_ids))
    connection.execute(insert(calibration_items), [{"session_id": session_id, "interaction_id": i} for i in items])
    record_write(connection, viewer, event_type=AuditEventType.CALIBRATION_CHANGE, at=now, brand_id=brand_id,
                 resource=f"calibration:{session_id}", reason=f"session created over {len(items)} interaction(s)")
    return session_id


def list_sessions(connection: Connection, viewer: Viewer) -> list[dict]:
    rows = connection.execute(
        scope_by_brand(select(calibration_sessions, t.brands.c.key.label("brand"))
                       .join(t.brands, t.brands.c.id == calibration_sessions.c.brand_id), calibration_sessions, viewer)
        .order_by(calibration_sessions.c.created_at.desc(), calibration_sessions.c.id.desc())
    ).mappings()
    return [{"id": r["id"], "brand": r["brand"], "name": r["name"], "created_at": iso(r["created_at"])} for r in rows]


def _visible_session(connection: Connection, viewer: Viewer, session_id: int):
    return connection.execute(
        scope_by_brand(select(calibration_sessions, t.brands.c.key.label("brand"))
                       .join(t.brands, t.brands.c.id == calibration_sessions.c.brand_id), calibration_sessions, viewer)
        .where(calibration_sessions.c.id == session_id)
    ).mappings().first()


def _items(connection: Connection, viewer: Viewer, session_id: int) -> list[dict]:
    """The session's interactions the viewer may see, each with its stored result."""
    rows = connection.execute(
        scope_interactions(
            select(t.interactions.c.id, t.interactions.c.external_id, t.interactions.c.brand_id,
                   t.interactions.c.channel, t.quality_results.c.scorecard, t.quality_results.c.score,
                   t.quality_results.c.passed, t.quality_results.c.criteria)
            .select_from(calibration_items)
            .join(t.interactions, t.interactions.c.id == calibration_items.c.interaction_id)
            .join(t.quality_results, t.quality_results.c.interaction_id == t.interactions.c.id),
            viewer,
        ).where(calibration_items.c.session_id == session_id).order_by(t.interactions.c.id)
    ).mappings()
    return [dict(row) for row in rows]


def rate_item(connection: Connection, viewer: Viewer, session_id: int, *, interaction_id: int,
              ratings: Mapping[str, Outcome], now: datetime) -> bool:
    """Store (or replace) the viewer's rating of one session item; False if session or item is not visible."""
    session = _visible_session(connection, viewer, session_id)
    if session is None:
        return False
    item = next((i for i in _items(connection, viewer, session_id) if i["id"] == interaction_id), None)
    if item is None:
        raise QualityInputError("$.interaction_id", f"interaction {interaction_id} is not in this session")
    known = [c["id"] for c in item["criteria"]]
    for criterion in ratings:
        if criterion not in known:
            raise QualityInputError(f"$.ratings.{criterion}", f"criterion {criterion!r} is not scored on this interaction")
    if not ratings:
        raise QualityInputError("$.ratings", "rate at least one criterion")
    connection.execute(delete(calibration_ratings).where(
        calibration_ratings.c.session_id == session_id, calibration_ratings.c.interaction_id == interaction_id,
        calibration_ratings.c.reviewer_id == viewer.user_id))
    connection.execute(insert(calibration_ratings).values(
        session_id=session_id, interaction_id=interaction_id, reviewer_id=viewer.user_id,
        ratings={criterion: outcome.value for criterion, outcome in ratings.items()}, created_at=now))
    record_write(connection, viewer, event_type=AuditEventType.CALIBRATION_CHANGE, at=now, brand_id=session["brand_id"],
                 resource=f"calibration:{session_id}/interaction:{interaction_id}",
                 reason=f"rated {len(ratings)} criterion(s)")
    return True


def get_session(connection: Connection, viewer: Viewer, session_id: int) -> dict | None:
    """Items, every reviewer's ratings, and kappa per criterion for each pair of raters (the automatic
    scorer counts as a rater, with the machine's outcome even where a human later overrode it)."""
    session = _visible_session(connection, viewer, session_id)
    if session is None:
        return None
    items = _items(connection, viewer, session_id)
    visible_ids = {i["id"] for i in items}
    raters: dict[str, dict[str, dict[str, Outcome]]] = {}
    cards: dict[tuple[int, str], object] = {}
    for item in items:
        key = (item["brand_id"], item["scorecard"])
        if key not in cards:
            cards[key] = scorecard_named(connection, brand_id=item["brand_id"], scorecard_id=item["scorecard"])
        machine = automatic_result(item, cards[key])
        raters.setdefault(AUTOMATIC_RATER, {})[str(item["id"])] = {c.id: c.result for c in machine.criteria}
    for row in connection.execute(
        select(calibration_ratings, t.users.c.username).join(t.users, t.users.c.id == calibration_ratings.c.reviewer_id)
        .where(calibration_ratings.c.session_id == session_id).order_by(t.users.c.username)
    ).mappings():
        if row["interaction_id"] in visible_ids:
            raters.setdefault(row["username"], {})[str(row["interaction_id"])] = {
                criterion: Outcome(value) for criterion, value in row["ratings"].items()}
    reviewers = sorted(name for name in raters if name != AUTOMATIC_RATER)
    pairs = [(a, b) for a, b in combinations(reviewers, 2)] + [(name, AUTOMATIC_RATER) for name in reviewers]
    agreement = [
        {"raters": [a, b], "criteria": [
            {"criterion": row.criterion, "compared": row.compared, "observed_agreement": row.observed_agreement,
             "kappa": row.kappa}
            for row in agreement_by_criterion(raters[a], raters[b])]}
        for a, b in pairs
    ]
    return {
        "id": session["id"], "brand": session["brand"], "name": session["name"], "created_at": iso(session["created_at"]),
        "items": [{"interaction_id": i["id"], "external_id": i["external_id"], "channel": i["channel"],
                   "criteria": [c["id"] for c in i["criteria"]],
                   "ratings": {name: {c: o.value for c, o in raters[name].get(str(i["id"]), {}).items()}
                               for name in reviewers}} for i in items],
        "reviewers": reviewers,
        "agreement": agreement,
    }
