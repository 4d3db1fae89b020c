"""``/api/v1`` privacy endpoints: consent ledger, erasure, data export, data-subject requests."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from trustdesk.core.model import Role
from trustdesk.services import consent, dsar
from trustdesk.services.customer_export import export_customer
from trustdesk.services.erasure import erase_customer
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep, CurrentViewer
from trustdesk.web.errors import InputError
from trustdesk.storage.timestamps import iso_utc

router = APIRouter(prefix="/api/v1", tags=["privacy"])

# Agents and supervisors record what a customer says on a contact; the privacy officer handles requests.
CONSENT_ROLES = {Role.ADMIN, Role.BRAND_MANAGER, Role.SUPERVISOR, Role.AGENT, Role.PRIVACY_OFFICER}
DATA_SUBJECT_ROLES = {Role.ADMIN, Role.PRIVACY_OFFICER}


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    purpose: Literal["call_recording", "quality_analytics", "ai_processing", "offshore_transfer", "marketing"]
    decision: Literal["granted", "withdrawn"]
    channel: str = Field(min_length=1, max_length=consent.MAX_CHANNEL)
    wording: str = Field(min_length=1, max_length=4000, description="The exact wording shown or read to the customer.")
    at: datetime | None = Field(default=None, description="When the customer decided; default: now.")


class DsarIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer: str = Field(min_length=1, max_length=200)
    kind: Literal["access", "rectification", "erasure"]
    changes: dict[str, str] | None = Field(default=None, description="Rectification only: corrected values.")


class DsarTransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    state: Literal["in_progress", "completed", "rejected"]
    note: str | None = Field(default=None, max_length=4000)


def _require(viewer: Viewer, roles: set[Role], action: str) -> None:
    if viewer.role not in roles:
        raise HTTPException(status_code=403, detail=f"role {viewer.role.value} may not {action}")


def _actor(request: Request, viewer: Viewer) -> dsar.Actor:
    return dsar.Actor(name=viewer.username, role=viewer.role.value,
                      origin=request.client.host if request.client else "unknown")


def _customer(connection, viewer: Viewer, brand: str, customer_external_id: str) -> consent.CustomerRef:
    found = consent.find_customer_for_viewer(connection, viewer, brand_key=brand,
                                             customer_external_id=customer_external_id)
    if found is None:
        raise HTTPException(status_code=404, detail="customer not found")
    return found




def _event_document(event) -> dict:
    return {"purpose": event.purpose.value, "decision": event.decision.value, "at": iso_utc(event.at),
            "channel": event.channel, "wording": event.wording}


def _consents_document(connection, customer: consent.CustomerRef) -> dict:
    return {
        "brand": customer.brand, "customer": customer.external_id,
        "current": [{"purpose": s.purpose.value, "allowed": s.allowed,
                     "basis": "customer decision" if s.decided_by else "brand policy default",
                     "decided_at": iso_utc(s.decided_by.at) if s.decided_by else None}
                    for s in consent.summarize_consents(connection, customer)],
        "events": [_event_document(e) for e in consent.consent_history(connection, customer)],
    }


@router.get("/brands/{brand}/customers/{customer_external_id}/consents")
def get_consents(brand: str, customer_external_id: str, connection: ConnectionDep, viewer: CurrentViewer):
    """The customer's current consent per purpose (with its basis) and the full ledger."""
    _require(viewer, CONSENT_ROLES, "read consents")
    return _consents_document(connection, _customer(connection, viewer, brand, customer_external_id))


@router.post("/brands/{brand}/customers/{customer_external_id}/consents", status_code=201)
def post_consent(brand: str, customer_external_id: str, body: ConsentIn, request: Request, connection: ConnectionDep,
                 viewer: CurrentViewer):
    """Append a consent decision to the ledger (audited); the new current state comes back."""
    _require(viewer, CONSENT_ROLES, "record consent")
    customer = _customer(connection, viewer, brand, customer_external_id)
    now = datetime.now(timezone.utc)
    if body.at is not None and body.at.tzinfo is None:
        raise InputError([{"path": "$.at", "message": "must carry a time zone (e.g. Z)", "type": "timezone"}])
    if body.at is not None and body.at > now:
        raise InputError([{"path": "$.at", "message": "a decision cannot lie in the future", "type": "future"}])
    actor = _actor(request, viewer)
    try:
        consent.record_consent(connection, customer, purpose=body.purpose, decision=body.decision,
                               channel=body.channel, wording=body.wording, at=body.at or now, actor=actor.name,
                               role=actor.role, origin=actor.origin)
    except consent.ConsentInputError as error:
        raise InputError([{"path": f"$.{error.field}", "message": error.message, "type": "value_error"}]) from error
    return _consents_document(connection, customer)


@router.post("/brands/{brand}/customers/{customer_external_id}/erasure")
def post_erasure(brand: str, customer_external_id: str, request: Request, connection: ConnectionDep,
                 viewer: CurrentViewer):
    """Erase the customer now (crypto-shredding); interaction facts stay for metrics."""
    _require(viewer, DATA_SUBJECT_ROLES, "erase customers")
    actor = _actor(request, viewer)
    report = erase_customer(connection, _customer(connection, viewer, brand, customer_external_id), actor=actor.name,
                            role=actor.role, origin=actor.origin, now=datetime.now(timezone.utc))
    return {"customer": report.customer, "data_key_destroyed": report.data_key_destroyed,
            "interactions_kept": report.interactions_kept, "transcripts_deleted": report.transcripts_deleted,
            "survey_comments_cleared": report.survey_comments_cleared,
            "evidence_quotes_cleared": report.evidence_quotes_cleared}


@router.get("/brands/{brand}/customers/{customer_external_id}/export")
def get_export(brand: str, customer_external_id: str, request: Request, connection: ConnectionDep,
               viewer: CurrentViewer):
    """Everything stored about the customer, machine-readable (right of access); audited."""
    _require(viewer, DATA_SUBJECT_ROLES, "export customer data")
    return export_customer(connection, _customer(connection, viewer, brand, customer_external_id),
                           keyring=request.app.state.keyring, actor=_actor(request, viewer),
                           now=datetime.now(timezone.utc))


@router.post("/brands/{brand}/dsar-requests", status_code=201)
def post_dsar_request(brand: str, body: DsarIn, request: Request, connection: ConnectionDep, viewer: CurrentViewer):
    """Receive a data-subject request; its due date follows the brand's policy."""
    _require(viewer, DATA_SUBJECT_ROLES, "receive data-subject requests")
    customer = consent.find_customer_for_viewer(connection, viewer, brand_key=brand, customer_external_id=body.customer)
    if customer is None:
        raise InputError([{"path": "$.customer", "message": f"customer {body.customer!r} not found in brand {brand!r}",
                           "type": "not_found"}])
    try:
        return dsar.open_request(connection, customer, kind=body.kind, changes=body.changes,
                                 actor=_actor(request, viewer), now=datetime.now(timezone.utc))
    except dsar.DsarInputError as error:
        raise InputError([{"path": f"$.{error.field}", "message": error.message, "type": "value_error"}]) from error


def _visible_brand(viewer: Viewer) -> int | None:
    return None if viewer.is_admin else viewer.brand_id


@router.get("/dsar-requests")
def get_dsar_requests(connection: ConnectionDep, viewer: CurrentViewer, overdue: bool = False):
    """Requests soonest due first; ``overdue=true`` lists the open ones past their due date."""
    _require(viewer, DATA_SUBJECT_ROLES, "list data-subject requests")
    return {"items": dsar.list_requests(connection, visible_brand_id=_visible_brand(viewer),
                                        now=datetime.now(timezone.utc), overdue_only=overdue)}


@router.get("/dsar-requests/{request_id}")
def get_dsar_request(request_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    _require(viewer, DATA_SUBJECT_ROLES, "read data-subject requests")
    found = dsar.get_request(connection, request_id, visible_brand_id=_visible_brand(viewer),
                             now=datetime.now(timezone.utc))
    if found is None:
        raise HTTPException(status_code=404, detail="request not found")
    return found


@router.post("/dsar-requests/{request_id}/transitions")
def post_dsar_transition(request_id: int, body: DsarTransitionIn, request: Request, connection: ConnectionDep,
                         viewer: CurrentViewer):
    """Move a request on; completing an erasure erases, completing a rectification writes the corrections."""
    _require(viewer, DATA_SUBJECT_ROLES, "change data-subject requests")
    try:
        moved = dsar.move_request(connection, request_id, target=body.state, note=body.note,
                                  actor=_actor(request, viewer), keyring=request.app.state.keyring,
                                  visible_brand_id=_visible_brand(viewer), now=datetime.now(timezone.utc))
    except dsar.DsarInputError as error:
        raise InputError([{"path": f"$.{error.field}", "message": error.message, "type": "value_error"}]) from error
    if moved is None:
        raise HTTPException(status_code=404, detail="request not found")
    return moved
