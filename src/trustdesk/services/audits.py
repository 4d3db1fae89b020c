"""Vendor audits (KPI-4): a stratified random sample of interactions sized from a target confidence and margin,
auditor findings with severity linked to sampled interactions, corrective actions with owner and due date,
and the follow-up status of each audit."""
from __future__ import annotations

import enum
import random
import secrets
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Connection, func, insert, select, update

from trustdesk.core.metrics.sampling import AuditCandidate, Stratum, draw_audit_sample
from trustdesk.core.model import Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services.audit import record_write
from trustdesk.services.scope import Viewer, scope_vendor_records
from trustdesk.services.tenancy import (
    Conflict,
    FieldError,
    NotPermitted,
    NotVisible,
    is_brand_side,
    iso,
    require_role,
    vendor_id_by_key,
    visible_brand_id,
)
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import audit_findings, audit_samples, audits, corrective_actions

AUDIT_READERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.AUDITOR, Role.SUPERVISOR}
# The brand side of an audit; a vendor manager counts only when they work for the brand, not a vendor.
AUDITORS = {Role.ADMIN, Role.BRAND_MANAGER, Role.AUDITOR, Role.VENDOR_MANAGER}
ACTION_WORKERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.AUDITOR, Role.VENDOR_MANAGER, Role.SUPERVISOR}
MAX_SEED = 2**31 - 1
MAX_PERIOD_DAYS = 366


class Severity(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class AuditStatus(str, enum.Enum):
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class ActionStatus(str, enum.Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"  # the vendor says it is done
    VERIFIED = "verified"  # the auditor checked it


# Vendor staff carry an action to done; only the audit side verifies it or sends it back.
VENDOR_ACTION_STATUSES = {ActionStatus.IN_PROGRESS, ActionStatus.DONE}


def _require_audit_side(viewer: Viewer, action: str) -> None:
    require_role(viewer, AUDITORS, action)
    if not is_brand_side(viewer):
        raise NotPermitted(f"vendor staff may not {action}")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def create_audit(
    connection: Connection,
    viewer: Viewer,
    *,
    brand_key: str | None,
    vendor_key: str | None,
    title: str,
    period_from: date,
    period_to: date,
    confidence: float,
    margin: float,
    seed: int | None,
    now: datetime,
) -> dict:
    """Plan an audit: draw the stratified sample (vendor x channel) of the period's interactions and store it."""
    _require_audit_side(viewer, "plan audits")
    brand_id = visible_brand_id(connection, viewer, brand_key, path="$.brand")
    vendor_id = vendor_id_by_key(connection, vendor_key, path="$.vendor") if vendor_key else None
    if not title.strip():
        raise FieldError("$.title", "title is required")
    if period_to < period_from:
        raise FieldError("$.period_to", "period_to is before period_from")
    if (period_to - period_from).days >= MAX_PERIOD_DAYS:
        raise FieldError("$.period_to", f"an audit period spans at most {MAX_PERIOD_DAYS} days")
    if not 0.5 <= confidence < 1:
        raise FieldError("$.confidence", "confidence must be at least 0.5 and below 1 (e.g. 0.95)")
    if not 0 < margin <= 0.5:
        raise FieldError("$.margin", "margin must be above 0 and at most 0.5 (e.g. 0.05)")
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    elif not 0 <= seed <= MAX_SEED:
        raise FieldError("$.seed", f"seed must be 0-{MAX_SEED}")
    query = (
        select(t.interactions.c.id, t.interactions.c.vendor_id, t.vendors.c.key.label("vendor"), t.interactions.c.channel)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .where(t.interactions.c.brand_id == brand_id,
               t.interactions.c.started_at >= _start_of(period_from),
               t.interactions.c.started_at < _start_of(period_to + timedelta(days=1)))
    )
    if vendor_id is not None:
        query = query.where(t.interactions.c.vendor_id == vendor_id)
    rows = connection.execute(query).all()
    by_id = {str(row.id): row for row in rows}
    sample = draw_audit_sample(
        (AuditCandidate(str(row.id), Stratum(row.vendor, row.channel)) for row in rows),
        rng=random.Random(seed), confidence=confidence, margin=margin,
    )
    strata = [{"vendor": a.stratum.vendor, "channel": a.stratum.channel, "population": a.population,
               "sample_size": a.sample_size} for a in sample.allocations]
    audit_id = connection.execute(insert(audits).values(
        brand_id=brand_id, vendor_id=vendor_id, title=title.strip(), period_from=period_from, period_to=period_to,
        confidence=confidence, margin=margin, seed=seed, population=sample.population, target_size=sample.target_size,
        strata=strata, status=AuditStatus.IN_PROGRESS.value, created_by=viewer.user_id, created_at=now,
    ).returning(audits.c.id)).scalar_one()
    if sample.interaction_ids:
        connection.execute(insert(audit_samples), [
            {"audit_id": audit_id, "interaction_id": int(i), "vendor_id": by_id[i].vendor_id, "channel": by_id[i].channel}
            for i in sample.interaction_ids
        ])
    record_write(connection, viewer, event_type=AuditEventType.VENDOR_GOVERNANCE, at=now, brand_id=brand_id,
                 resource=f"vendor_audit:{audit_id}", reason=f"audit planned; {len(sample.interaction_ids)} sampled (seed {seed})")
    return get_audit(connection, viewer, audit_id, today=now.date())


def _audit_query(viewer: Viewer):
    query = (
        select(audits, t.brands.c.key.label("brand"), t.vendors.c.key.label("vendor"))
        .join(t.brands, t.brands.c.id == audits.c.brand_id)
        .outerjoin(t.vendors, t.vendors.c.id == audits.c.vendor_id)
    )
    return scope_vendor_records(query, audits, viewer)


def _visible_audit(connection: Connection, viewer: Viewer, audit_id: int):
    require_role(viewer, AUDIT_READERS, "see audits")
    row = connection.execute(_audit_query(viewer).where(audits.c.id == audit_id)).first()
    if row is None:
        raise NotVisible("audit not found")
    return row


def _follow_up(actions: list[dict], *, today: date) -> dict:
    open_actions = [a for a in actions if a["status"] != ActionStatus.VERIFIED.value]
    return {"actions": len(actions), "open": len(open_actions),
            "overdue": sum(1 for a in open_actions if date.fromisoformat(a["due_on"]) < today),
            "verified": len(actions) - len(open_actions)}


def _summary(row) -> dict:
    return {"id": row.id, "brand": row.brand, "vendor": row.vendor, "title": row.title,
            "period_from": row.period_from.isoformat(), "period_to": row.period_to.isoformat(),
            "confidence": row.confidence, "margin": row.margin, "seed": row.seed, "population": row.population,
            "target_size": row.target_size, "strata": row.strata, "status": row.status, "created_at": iso(row.created_at)}


def list_audits(connection: Connection, viewer: Viewer, *, today: date) -> list[dict]:
    require_role(viewer, AUDIT_READERS, "see audits")
    rows = connection.execute(_audit_query(viewer).order_by(audits.c.created_at.desc(), audits.c.id.desc())).all()
    actions_by_audit: dict[int, list[dict]] = {row.id: [] for row in rows}
    if rows:
        for action in connection.execute(
            select(corrective_actions.c.status, corrective_actions.c.due_on, audit_findings.c.audit_id)
            .join(audit_findings, audit_findings.c.id == corrective_actions.c.finding_id)
            .where(audit_findings.c.audit_id.in_(list(actions_by_audit)))
        ):
            actions_by_audit[action.audit_id].append({"status": action.status, "due_on": action.due_on.isoformat()})
    return [{**_summary(row), "follow_up": _follow_up(actions_by_audit[row.id], today=today)} for row in rows]


def get_audit(connection: Connection, viewer: Viewer, audit_id: int, *, today: date) -> dict:
    """The audit's plan, its sampled interactions, findings with their corrective actions, and follow-up status."""
    row = _visible_audit(connection, viewer, audit_id)
    sample = [
        {"interaction_id": s.interaction_id, "external_id": s.external_id, "vendor": s.vendor, "channel": s.channel,
         "findings": s.findings}
        for s in connection.execute(
            select(audit_samples.c.interaction_id, t.interactions.c.external_id, t.vendors.c.key.label("vendor"),
                   audit_samples.c.channel, func.count(audit_findings.c.id).label("findings"))
            .join(t.interactions, t.interactions.c.id == audit_samples.c.interaction_id)
            .join(t.vendors, t.vendors.c.id == audit_samples.c.vendor_id)
            .outerjoin(audit_findings, (audit_findings.c.audit_id == audit_samples.c.audit_id)
                       & (audit_findings.c.interaction_id == audit_samples.c.interaction_id))
            .where(audit_samples.c.audit_id == audit_id)
            .group_by(audit_samples.c.interaction_id, t.interactions.c.external_id, t.vendors.c.key, audit_samples.c.channel)
            .order_by(t.vendors.c.key, audit_samples.c.channel, audit_samples.c.interaction_id)
        )
    ]
    findings = _findings(connection, audit_id)
    actions = [action for finding in findings for action in finding["corrective_actions"]]
    return {**_summary(row), "sample": sample, "findings": findings, "follow_up": _follow_up(actions, today=today)}


def _findings(connection: Connection, audit_id: int) -> list[dict]:
    findings = [
        {"id": f.id, "interaction_id": f.interaction_id, "interaction": f.external_id, "severity": f.severity,
         "title": f.title, "detail": f.detail, "created_at": iso(f.created_at), "corrective_actions": []}
        for f in connection.execute(
            select(audit_findings, t.interactions.c.external_id)
            .outerjoin(t.interactions, t.interactions.c.id == audit_findings.c.interaction_id)
            .where(audit_findings.c.audit_id == audit_id).order_by(audit_findings.c.id)
        )
    ]
    by_id = {f["id"]: f for f in findings}
    if by_id:
        for action in connection.execute(
            select(corrective_actions).where(corrective_actions.c.finding_id.in_(list(by_id))).order_by(corrective_actions.c.id)
        ):
            by_id[action.finding_id]["corrective_actions"].append(_action(action))
    return findings


def _action(row) -> dict:
    return {"id": row.id, "finding_id": row.finding_id, "description": row.description, "owner": row.owner,
            "due_on": row.due_on.isoformat(), "status": row.status, "note": row.note, "updated_at": iso(row.updated_at)}


def add_finding(
    connection: Connection, viewer: Viewer, audit_id: int, *, interaction_id: int | None, severity: str, title: str,
    detail: str | None, now: datetime,
) -> dict:
    """Record a finding; when it names an interaction, that interaction must be in the audit's sample."""
    row = _visible_audit(connection, viewer, audit_id)
    _require_audit_side(viewer, "record audit findings")
    if row.status == AuditStatus.CLOSED.value:
        raise Conflict("this audit is closed")
    try:
        severity_value = Severity(severity)
    except ValueError as error:
        raise FieldError("$.severity", f"severity {severity!r} is not one of low, medium, high, critical") from error
    if not title.strip():
        raise FieldError("$.title", "title is required")
    if interaction_id is not None and connection.execute(
        select(audit_samples.c.interaction_id).where(audit_samples.c.audit_id == audit_id,
                                                     audit_samples.c.interaction_id == interaction_id)
    ).first() is None:
        raise FieldError("$.interaction_id", f"interaction {interaction_id} is not in this audit's sample")
    finding_id = connection.execute(insert(audit_findings).values(
        audit_id=audit_id, interaction_id=interaction_id, severity=severity_value.value, title=title.strip(),
        detail=(detail or "").strip() or None, created_by=viewer.user_id, created_at=now,
    ).returning(audit_findings.c.id)).scalar_one()
    record_write(connection, viewer, event_type=AuditEventType.VENDOR_GOVERNANCE, at=now, brand_id=row.brand_id,
                 resource=f"vendor_audit:{audit_id}/finding:{finding_id}", reason=f"{severity_value.value} finding recorded")
    return next(f for f in _findings(connection, audit_id) if f["id"] == finding_id)


def _visible_finding(connection: Connection, viewer: Viewer, finding_id: int):
    audit_id = connection.execute(select(audit_findings.c.audit_id).where(audit_findings.c.id == finding_id)).scalar()
    if audit_id is None:
        raise NotVisible("finding not found")
    try:
        return _visible_audit(connection, viewer, audit_id)
    except NotVisible as error:
        raise NotVisible("finding not found") from error


def add_corrective_action(
    connection: Connection, viewer: Viewer, finding_id: int, *, description: str, owner: str, due_on: date, now: datetime
) -> dict:
    audit = _visible_finding(connection, viewer, finding_id)
    _require_audit_side(viewer, "assign corrective actions")
    if audit.status == AuditStatus.CLOSED.value:
        raise Conflict("this audit is closed")
    if not description.strip():
        raise FieldError("$.description", "description is required")
    if not owner.strip():
        raise FieldError("$.owner", "owner is required")
    if due_on < now.date():
        raise FieldError("$.due_on", "due_on lies in the past")
    action_id = connection.execute(insert(corrective_actions).values(
        finding_id=finding_id, description=description.strip(), owner=owner.strip(), due_on=due_on,
        status=ActionStatus.OPEN.value, updated_by=viewer.user_id, updated_at=now,
    ).returning(corrective_actions.c.id)).scalar_one()
    record_write(connection, viewer, event_type=AuditEventType.VENDOR_GOVERNANCE, at=now, brand_id=audit.brand_id,
                 resource=f"vendor_audit:{audit.id}/finding:{finding_id}/action:{action_id}",
                 reason=f"corrective action assigned, due {due_on.isoformat()}")
    return _action(connection.execute(select(corrective_actions).where(corrective_actions.c.id == action_id)).one())


def update_corrective_action(
    connection: Connection, viewer: Viewer, action_id: int, *, status: str, note: str | None, now: datetime
) -> dict:
    """Vendor staff move an action to in_progress or done; the audit side verifies it or sends it back."""
    require_role(viewer, ACTION_WORKERS, "work on corrective actions")
    finding_id = connection.execute(select(corrective_actions.c.finding_id).where(corrective_actions.c.id == action_id)).scalar()
    if finding_id is None:
        raise NotVisible("corrective action not found")
    try:
        audit = _visible_finding(connection, viewer, finding_id)
    except NotVisible as error:
        raise NotVisible("corrective action not found") from error
    if audit.status == AuditStatus.CLOSED.value:
        raise Conflict("this audit is closed")
    try:
        new_status = ActionStatus(status)
    except ValueError as error:
        raise FieldError("$.status", f"status {status!r} is not one of open, in_progress, done, verified") from error
    is_audit_side = is_brand_side(viewer) and viewer.role in AUDITORS
    if not is_audit_side and new_status not in VENDOR_ACTION_STATUSES:
        raise NotPermitted("only the audit side verifies a corrective action or reopens it")
    values: dict = {"status": new_status.value, "updated_by": viewer.user_id, "updated_at": now}
    note = (note or "").strip()
    if note:
        values["note"] = note
    connection.execute(update(corrective_actions).where(corrective_actions.c.id == action_id).values(**values))
    record_write(connection, viewer, event_type=AuditEventType.VENDOR_GOVERNANCE, at=now, brand_id=audit.brand_id,
                 resource=f"vendor_audit:{audit.id}/finding:{finding_id}/action:{action_id}",
                 reason=f"corrective action marked {new_status.value}")
    return _action(connection.execute(select(corrective_actions).where(corrective_actions.c.id == action_id)).one())


def close_audit(connection: Connection, viewer: Viewer, audit_id: int, *, now: datetime) -> dict:
    """Close an audit once every corrective action is verified."""
    row = _visible_audit(connection, viewer, audit_id)
    _require_audit_side(viewer, "close audits")
    audit = get_audit(connection, viewer, audit_id, today=now.date())
    if audit["status"] == AuditStatus.CLOSED.value:
        raise Conflict("this audit is already closed")
    if audit["follow_up"]["open"]:
        raise Conflict(f"{audit['follow_up']['open']} corrective action(s) are not verified yet")
    connection.execute(update(audits).where(audits.c.id == audit_id).values(status=AuditStatus.CLOSED.value))
    record_write(connection, viewer, event_type=AuditEventType.VENDOR_GOVERNANCE, at=now, brand_id=row.brand_id,
                 resource=f"vendor_audit:{audit_id}", reason="audit closed")
    return get_audit(connection, viewer, audit_id, today=now.date())
