"""Erasure of one customer (right to be forgotten): crypto-shredding plus removal of what is not encrypted.

The customer's data key is destroyed, so their encrypted fields (and any copy of them in backups) can no
longer be read; the ciphertext itself is emptied too. Transcripts of their interactions are deleted, survey
comments nulled, and quoted evidence in QA results replaced, because free text can name the customer in ways
redaction missed. What is left are facts without personal data (times, channel, vendor, scores, ratings),
so metrics stay true.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services.audit import record_audit_event
from trustdesk.services.consent import CustomerRef
from trustdesk.services.customer_matching import forget_customer
from trustdesk.services.privacy_keys import shred_data_key
from trustdesk.storage import tables as t
from trustdesk.storage.privacy_tables import dsar_requests

ERASED_QUOTE = "[erased]"


@dataclass(frozen=True)
class ErasureReport:
    customer: str
    data_key_destroyed: bool
    interactions_kept: int
    transcripts_deleted: int
    survey_comments_cleared: int
    evidence_quotes_cleared: int


def _without_quotes(criteria: list) -> tuple[list, int]:
    cleared = 0
    result = []
    for criterion in criteria:
        evidence = []
        for item in criterion.get("evidence") or []:
            if item.get("quote") not in (None, ERASED_QUOTE):
                item = {**item, "quote": ERASED_QUOTE}
                cleared += 1
            evidence.append(item)
        result.append({**criterion, "evidence": evidence} if "evidence" in criterion else criterion)
    return result, cleared


def erase_customer(connection: Connection, customer: CustomerRef, *, actor: str, role: str, origin: str,
                   now: datetime) -> ErasureReport:
    """Erase the customer's personal data in the caller's transaction, with its audit entry. Idempotent."""
    if connection.dialect.name == "sqlite":
        # Without it SQLite leaves deleted bytes in free pages of the file, where they can still be read.
        connection.exec_driver_sql("PRAGMA secure_delete = ON")
    key_destroyed = shred_data_key(connection, customer.customer_id)
    # The blind-index digests are keyed hashes of the email and phone: personal data, erased with the rest.
    forget_customer(connection, customer.customer_id)
    connection.execute(update(t.customers).where(t.customers.c.id == customer.customer_id).values(personal_data={}))
    interaction_ids = list(connection.execute(
        select(t.interactions.c.id).where(t.interactions.c.customer_id == customer.customer_id)).scalars())
    transcripts_deleted = connection.execute(
        delete(t.transcripts).where(t.transcripts.c.interaction_id.in_(interaction_ids))).rowcount
    comments_cleared = connection.execute(
        update(t.surveys).where(t.surveys.c.interaction_id.in_(interaction_ids), t.surveys.c.comment.is_not(None))
        .values(comment=None)).rowcount
    quotes_cleared = 0
    for row in connection.execute(select(t.quality_results.c.id, t.quality_results.c.criteria)
                                  .where(t.quality_results.c.interaction_id.in_(interaction_ids))).all():
        criteria, cleared = _without_quotes(row.criteria or [])
        if cleared:
            connection.execute(update(t.quality_results).where(t.quality_results.c.id == row.id)
                               .values(criteria=criteria))
            quotes_cleared += cleared
    # A pending rectification holds corrected values in the clear; keep only which fields it named.
    for request in connection.execute(select(dsar_requests.c.id, dsar_requests.c.changes).where(
            dsar_requests.c.customer_id == customer.customer_id, dsar_requests.c.changes.is_not(None))).all():
        if isinstance(request.changes, dict):
            connection.execute(update(dsar_requests).where(dsar_requests.c.id == request.id)
                               .values(changes=sorted(request.changes)))
    record_audit_event(
        connection, actor=actor, role=role, event_type=AuditEventType.ERASURE, at=now, origin=origin,
        resource=f"customer:{customer.audit_name}", brand_id=customer.brand_id, customer=customer.audit_name,
        reason=f"data key {'destroyed' if key_destroyed else 'already absent'}; {transcripts_deleted} transcripts "
               f"deleted, {comments_cleared} survey comments cleared",
    )
    return ErasureReport(customer=customer.audit_name, data_key_destroyed=key_destroyed,
                         interactions_kept=len(interaction_ids), transcripts_deleted=transcripts_deleted,
                         survey_comments_cleared=comments_cleared, evidence_quotes_cleared=quotes_cleared)
