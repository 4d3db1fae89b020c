"""Right of access: everything stored about one customer, as one machine-readable document (audited).

The same document feeds ``trustdesk dsar export``, the API and the readable HTML page, so the three can
never disagree. Transcripts are included as stored, that is redacted.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.services.audit import record_audit_event
from trustdesk.services.consent import CustomerRef, consent_history, summarize_consents
from trustdesk.services.dsar import Actor, list_customer_requests
from trustdesk.services.privacy_keys import Keyring, read_customer_record
from trustdesk.storage import tables as t
from trustdesk.storage.timestamps import iso_utc

EXPORT_FORMAT = "trustdesk-customer-export/1"




def _interactions(connection: Connection, customer: CustomerRef) -> list[dict]:
    rows = connection.execute(
        select(t.interactions, t.vendors.c.key.label("vendor"), t.agents.c.external_id.label("agent"),
               t.cases.c.external_id.label("case"), t.transcripts.c.turns,
               t.surveys.c.csat, t.surveys.c.nps, t.surveys.c.comment, t.surveys.c.id.label("survey_id"))
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .join(t.cases, t.cases.c.id == t.interactions.c.case_id)
        .outerjoin(t.transcripts, t.transcripts.c.interaction_id == t.interactions.c.id)
        .outerjoin(t.surveys, t.surveys.c.interaction_id == t.interactions.c.id)
        .where(t.interactions.c.customer_id == customer.customer_id)
        .order_by(t.interactions.c.started_at, t.interactions.c.id)
    ).all()
    return [
        {
            "external_id": row.external_id, "case": row.case, "channel": row.channel, "language": row.language,
            "started_at": iso_utc(row.started_at), "ended_at": iso_utc(row.ended_at), "vendor": row.vendor,
            "agent": row.agent, "qa_score": row.qa_score,
            "turns": [{"speaker": turn["speaker"], "text": turn["text"], "offset_seconds": turn["offset_seconds"]}
                      for turn in row.turns or []],
            "survey": {"csat": row.csat, "nps": row.nps, "comment": row.comment} if row.survey_id else None,
        }
        for row in rows
    ]


def _cases(connection: Connection, customer: CustomerRef) -> list[dict]:
    rows = connection.execute(select(t.cases).where(t.cases.c.customer_id == customer.customer_id)
                              .order_by(t.cases.c.opened_at, t.cases.c.id)).all()
    return [{"external_id": row.external_id, "purpose": row.purpose, "priority": row.priority, "status": row.status,
             "opened_at": iso_utc(row.opened_at), "updated_at": iso_utc(row.updated_at)} for row in rows]


def export_customer(connection: Connection, customer: CustomerRef, *, keyring: Keyring, actor: Actor,
                    now: datetime) -> dict:
    """The customer's full data document; the export is audited in the caller's transaction."""
    record = read_customer_record(connection, brand_id=customer.brand_id,
                                  customer_external_id=customer.external_id, keyring=keyring) or {}
    personal = {field: value for field, value in record.items() if field != "country"}
    document = {
        "format": EXPORT_FORMAT,
        "generated_at": iso_utc(now),
        "brand": customer.brand,
        "customer": {"external_id": customer.external_id, "country": record.get("country"),
                     "personal_data": personal},
        "consents": {
            "current": [{"purpose": s.purpose.value, "allowed": s.allowed,
                         "decided_at": iso_utc(s.decided_by.at) if s.decided_by else None,
                         "basis": "customer decision" if s.decided_by else "brand policy default"}
                        for s in summarize_consents(connection, customer)],
            "events": [{"purpose": e.purpose.value, "decision": e.decision.value, "at": iso_utc(e.at),
                        "channel": e.channel, "wording": e.wording} for e in consent_history(connection, customer)],
        },
        "cases": _cases(connection, customer),
        "interactions": _interactions(connection, customer),
        "requests": list_customer_requests(connection, customer, now=now),
    }
    record_audit_event(
        connection, actor=actor.name, role=actor.role, event_type=AuditEventType.EXPORT, at=now, origin=actor.origin,
        resource=f"customer:{customer.audit_name}", brand_id=customer.brand_id, customer=customer.audit_name,
        fields=sorted(personal), purpose="data_subject_access",
    )
    return document
