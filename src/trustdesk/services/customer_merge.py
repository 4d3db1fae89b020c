"""One customer timeline: merge duplicate customer records of one person, audited and reversible.

A merge moves the merged record's cases and interactions to the kept record and stores who, when, why and
exactly which ids moved; an unmerge moves those ids back and records who undid it, when and why. The
merged record itself is kept (its consent and personal data belong to the privacy layer), so nothing is lost.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from trustdesk.core.model import Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services.audit import record_write
from trustdesk.services.directory import brand_key_by_id
from trustdesk.services.scope import Viewer, scope_by_brand, scope_interactions
from trustdesk.services.sla import iso
from trustdesk.services.tenancy import Conflict, FieldError, NotVisible, require_role
from trustdesk.storage import tables as t
from trustdesk.storage.operations_tables import customer_merges

# Merging moves every vendor's history of a person, so only brand-side staff may do it.
MERGE_ROLES = frozenset({Role.ADMIN, Role.BRAND_MANAGER, Role.PRIVACY_OFFICER})


def merge_customers(
    connection: Connection, viewer: Viewer | None, *, brand_id: int, keep: str, merged: str, reason: str, now: datetime,
) -> dict:
    """Move ``merged``'s cases and interactions to ``keep``; returns the merge record. ``viewer`` None: the CLI."""
    if viewer is not None:
        require_role(viewer, MERGE_ROLES, "merge customer records")
        if viewer.vendor_id is not None:
            require_role(viewer, {Role.ADMIN}, "merge customer records as vendor staff")
    if not reason.strip():
        raise FieldError("$.reason", "say why these records are the same person (e.g. same phone and email)")
    if keep == merged:
        raise FieldError("$.merged", "a customer record cannot be merged into itself")
    kept_id = brand_customer_id(connection, brand_id, keep, "$.keep")
    merged_id = brand_customer_id(connection, brand_id, merged, "$.merged")
    if _active_merge_of(connection, merged_id) is not None:
        raise Conflict(f"customer {merged!r} is already merged; unmerge it first")
    if _active_merge_of(connection, kept_id) is not None:
        raise Conflict(f"customer {keep!r} was merged into another record; keep that one instead")
    case_ids = list(connection.execute(select(t.cases.c.id).where(t.cases.c.customer_id == merged_id)
                                       .order_by(t.cases.c.id)).scalars())
    interaction_ids = list(connection.execute(select(t.interactions.c.id).where(t.interactions.c.customer_id == merged_id)
                                              .order_by(t.interactions.c.id)).scalars())
    if case_ids:
        connection.execute(update(t.cases).where(t.cases.c.id.in_(case_ids)).values(customer_id=kept_id))
    if interaction_ids:
        connection.execute(update(t.interactions).where(t.interactions.c.id.in_(interaction_ids)).values(customer_id=kept_id))
    merge_id = connection.execute(
        insert(customer_merges).values(
            brand_id=brand_id, kept_customer_id=kept_id, merged_customer_id=merged_id, reason=reason.strip(),
            moved_case_ids=case_ids, moved_interaction_ids=interaction_ids,
            merged_by=viewer.user_id if viewer is not None else None, merged_at=now,
        ).returning(customer_merges.c.id)
    ).scalar_one()
    _audit(connection, viewer, brand_id=brand_id, merge_id=merge_id, customer=keep, now=now,
           reason=f"{merged} merged into {keep}: {len(case_ids)} case(s), {len(interaction_ids)} interaction(s) moved")
    return get_merge(connection, merge_id=merge_id)


def unmerge_customers(connection: Connection, viewer: Viewer | None, *, brand_id: int, merge_id: int, reason: str,
                      now: datetime) -> dict:
    """Move exactly the ids a merge moved back to the merged record, and record the unmerge."""
    if viewer is not None:
        require_role(viewer, MERGE_ROLES, "unmerge customer records")
    record = connection.execute(
        select(customer_merges).where(customer_merges.c.id == merge_id, customer_merges.c.brand_id == brand_id)
    ).mappings().first()
    if record is None:
        raise NotVisible("merge not found")
    if record["unmerged_at"] is not None:
        raise Conflict(f"merge {merge_id} was already undone")
    if not reason.strip():
        raise FieldError("$.reason", "say why the merge is undone")
    if record["moved_case_ids"]:
        connection.execute(update(t.cases).where(t.cases.c.id.in_(record["moved_case_ids"]))
                           .values(customer_id=record["merged_customer_id"]))
    if record["moved_interaction_ids"]:
        connection.execute(update(t.interactions).where(t.interactions.c.id.in_(record["moved_interaction_ids"]))
                           .values(customer_id=record["merged_customer_id"]))
    connection.execute(update(customer_merges).where(customer_merges.c.id == merge_id).values(
        unmerged_at=now, unmerged_by=viewer.user_id if viewer is not None else None, unmerge_reason=reason.strip()))
    undone = get_merge(connection, merge_id=merge_id)
    _audit(connection, viewer, brand_id=brand_id, merge_id=merge_id, customer=undone["merged"], now=now,
           reason=f"merge of {undone['merged']} into {undone['keep']} undone")
    return undone


def _audit(connection: Connection, viewer: Viewer | None, *, brand_id: int, merge_id: int, customer: str,
           reason: str, now: datetime) -> None:
    brand_key = brand_key_by_id(connection, brand_id)
    record_write(connection, viewer, event_type=AuditEventType.CUSTOMER_MERGE, at=now, brand_id=brand_id,
                 resource=f"customer_merge:{brand_key}/{merge_id}", customer=f"{brand_key}/{customer}", reason=reason)


def get_merge(connection: Connection, *, merge_id: int) -> dict:
    kept, merged = t.customers.alias("kept"), t.customers.alias("merged")
    merger, unmerger = t.users.alias("merger"), t.users.alias("unmerger")
    row = connection.execute(
        select(customer_merges, kept.c.external_id.label("keep"), merged.c.external_id.label("merged"),
               merger.c.username.label("merged_by_name"), unmerger.c.username.label("unmerged_by_name"))
        .join(kept, kept.c.id == customer_merges.c.kept_customer_id)
        .join(merged, merged.c.id == customer_merges.c.merged_customer_id)
        .outerjoin(merger, merger.c.id == customer_merges.c.merged_by)
        .outerjoin(unmerger, unmerger.c.id == customer_merges.c.unmerged_by)
        .where(customer_merges.c.id == merge_id)
    ).mappings().one()
    return _merge_out(row)


def list_merges(connection: Connection, viewer: Viewer, *, brand_id: int) -> list[dict]:
    require_role(viewer, MERGE_ROLES | {Role.AUDITOR}, "read customer merges")
    if not viewer.is_admin and viewer.vendor_id is not None:
        raise NotVisible("merges not found")
    ids = connection.execute(select(customer_merges.c.id).where(customer_merges.c.brand_id == brand_id)
                             .order_by(customer_merges.c.id)).scalars()
    return [get_merge(connection, merge_id=merge_id) for merge_id in ids]


def customer_timeline(connection: Connection, viewer: Viewer, *, brand_id: int, customer: str) -> dict:
    """The person's cases and interactions the viewer may see, oldest first, across channels and vendors."""
    row = connection.execute(
        scope_by_brand(select(t.customers.c.id), t.customers, viewer)
        .where(t.customers.c.brand_id == brand_id, t.customers.c.external_id == customer)
    ).first()
    if row is None:
        raise NotVisible("customer not found")
    interactions = connection.execute(
        scope_interactions(
            select(t.interactions.c.external_id, t.interactions.c.channel, t.interactions.c.started_at,
                   t.vendors.c.key.label("vendor"), t.agents.c.external_id.label("agent"),
                   t.cases.c.external_id.label("case"))
            .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
            .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
            .join(t.cases, t.cases.c.id == t.interactions.c.case_id), viewer)
        .where(t.interactions.c.customer_id == row.id)
        .order_by(t.interactions.c.started_at, t.interactions.c.id)
    ).mappings().all()
    if not interactions and not viewer.is_admin and viewer.vendor_id is not None:
        raise NotVisible("customer not found")
    merged_from = connection.execute(
        select(t.customers.c.external_id)
        .join(customer_merges, customer_merges.c.merged_customer_id == t.customers.c.id)
        .where(customer_merges.c.kept_customer_id == row.id, customer_merges.c.unmerged_at.is_(None))
        .order_by(t.customers.c.external_id)
    ).scalars().all()
    return {
        "customer": customer,
        "merged_from": list(merged_from),
        "interactions": [{"external_id": r["external_id"], "case": r["case"], "channel": r["channel"],
                          "vendor": r["vendor"], "agent": r["agent"], "started_at": iso(r["started_at"])}
                         for r in interactions],
    }


def brand_customer_id(connection: Connection, brand_id: int, external_id: str, field: str) -> int:
    """The id of the brand's customer ``external_id``; a 422 on ``field`` when there is none."""
    customer_id = connection.execute(
        select(t.customers.c.id).where(t.customers.c.brand_id == brand_id, t.customers.c.external_id == external_id)
    ).scalar()
    if customer_id is None:
        raise FieldError(field, f"unknown customer {external_id!r} in this brand")
    return customer_id


def _active_merge_of(connection: Connection, merged_customer_id: int) -> int | None:
    return connection.execute(
        select(customer_merges.c.id).where(customer_merges.c.merged_customer_id == merged_customer_id,
                                           customer_merges.c.unmerged_at.is_(None))
    ).scalar()


def _merge_out(row: Mapping) -> dict:
    return {
        "id": row["id"], "keep": row["keep"], "merged": row["merged"], "reason": row["reason"],
        "merged_by": row["merged_by_name"], "merged_at": iso(row["merged_at"]),
        "moved_case_ids": list(row["moved_case_ids"]), "moved_interaction_ids": list(row["moved_interaction_ids"]),
        "unmerged_by": row["unmerged_by_name"], "unmerged_at": iso(row["unmerged_at"]),
        "unmerge_reason": row["unmerge_reason"],
    }
