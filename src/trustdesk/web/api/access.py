"""``/api/v1``: minimized customer views, break-glass flags, brand privacy policies, training records, incidents."""
from __future__ import annotations

from datetime import date, datetime, timezone

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from trustdesk.contracts.paths import json_path
from trustdesk.core.model import Role
from trustdesk.core.privacy.access_policy import AccessDenied
from trustdesk.core.privacy.policy_table import PolicyError
from trustdesk.services import brand_policy, customer_view, incidents, training, transparency
from trustdesk.services.scope import Viewer
from trustdesk.web.deps import ConnectionDep, CurrentViewer
from trustdesk.web.errors import InputError

router = APIRouter(prefix="/api/v1", tags=["privacy access"])

PRIVACY_ROLES = {Role.ADMIN, Role.PRIVACY_OFFICER}
TRAINING_WRITERS = {Role.ADMIN, Role.PRIVACY_OFFICER, Role.BRAND_MANAGER}
TRAINING_READERS = TRAINING_WRITERS | {Role.VENDOR_MANAGER, Role.SUPERVISOR}


def origin_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def require_role(viewer: Viewer, allowed: set[Role], action: str) -> None:
    if viewer.role not in allowed:
        raise HTTPException(status_code=403, detail=f"role {viewer.role.value} may not {action}")


def _input_error(path: str, message: str, kind: str = "value_error") -> InputError:
    return InputError([{"path": path, "message": message, "type": kind}])


class BreakGlassIn(BaseModel):
    reason: str = Field(description="why full access is needed now; reviewed by the privacy officer")
    case: str | None = None
    purpose: str | None = None


def _view_or_404(connection, viewer, *, brand, external_id, case, purpose, request, reason=None) -> dict:
    try:
        view = customer_view.read_customer_view(
            connection, viewer, brand_key=brand, customer_external_id=external_id, case_external_id=case,
            purpose=purpose, keyring=request.app.state.keyring, now=datetime.now(timezone.utc), origin=origin_of(request),
            break_glass_reason=reason,
        )
    except customer_view.ViewRequestError as error:
        path = json_path([error.field] if reason is not None else ["query", error.field])
        raise _input_error(path, error.message) from error
    except AccessDenied as error:
        raise HTTPException(status_code=403, detail=str(error)) from error
    if view is None:
        raise HTTPException(status_code=404, detail="customer not found")
    return view.as_json()


@router.get("/brands/{brand}/customers/{external_id}")
def get_customer_view(brand: str, external_id: str, request: Request, connection: ConnectionDep,
                      viewer: CurrentViewer, case: str | None = None, purpose: str | None = None):
    """The customer as the caller's role may see them for this case's purpose (fields visible or masked)."""
    return _view_or_404(connection, viewer, brand=brand, external_id=external_id, case=case, purpose=purpose,
                        request=request)


@router.post("/brands/{brand}/customers/{external_id}/break-glass")
def post_break_glass(brand: str, external_id: str, body: BreakGlassIn, request: Request,
                     connection: ConnectionDep, viewer: CurrentViewer):
    """Full view (always-masked fields stay masked) with a written reason; audited and flagged."""
    return _view_or_404(connection, viewer, brand=brand, external_id=external_id, case=body.case,
                        purpose=body.purpose, request=request, reason=body.reason)


@router.get("/privacy/break-glass")
def get_break_glass_flags(connection: ConnectionDep, viewer: CurrentViewer, unreviewed: bool = False):
    require_role(viewer, PRIVACY_ROLES, "review break-glass accesses")
    return {"items": customer_view.list_break_glass_flags(connection, viewer, unreviewed_only=unreviewed)}


@router.post("/privacy/break-glass/{flag_id}/review")
def post_break_glass_review(flag_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    require_role(viewer, PRIVACY_ROLES, "review break-glass accesses")
    if not customer_view.review_break_glass_flag(connection, viewer, flag_id, now=datetime.now(timezone.utc)):
        raise HTTPException(status_code=404, detail="break-glass flag not found")
    return {"id": flag_id, "reviewed_by": viewer.username}


class PolicyIn(BaseModel):
    policy: str = Field(description="a preset name (default, gdpr, ccpa, hipaa, pci_dss) or a TOML text")


def _policy_json(connection, brand_id: int) -> dict:
    current = brand_policy.read_brand_policy(connection, brand_id)
    return {"brand": current.brand, "name": current.policy.name, "source": current.source,
            "dsar_deadline_days": current.policy.dsar_deadline_days,
            "incident_notification_hours": current.policy.incident_notification_hours,
            "updated_by": current.updated_by,
            "updated_at": current.updated_at.isoformat() if current.updated_at else None}


@router.get("/brands/{brand}/policy")
def get_brand_policy(brand: str, connection: ConnectionDep, viewer: CurrentViewer):
    brand_id = brand_policy.visible_brand_id(connection, viewer, brand)
    if brand_id is None:
        raise HTTPException(status_code=404, detail="brand not found")
    return _policy_json(connection, brand_id)


@router.put("/brands/{brand}/policy")
def put_brand_policy(brand: str, body: PolicyIn, request: Request, connection: ConnectionDep, viewer: CurrentViewer):
    """Select a preset or store a TOML policy for the brand; an invalid policy is a 422 naming its key."""
    brand_id = brand_policy.visible_brand_id(connection, viewer, brand)
    if brand_id is None:
        raise HTTPException(status_code=404, detail="brand not found")
    require_role(viewer, PRIVACY_ROLES, "change a brand's privacy policy")
    try:
        brand_policy.set_brand_policy(connection, brand_key=brand, source=body.policy, actor=viewer.username,
                                      role=viewer.role.value, origin=origin_of(request), now=datetime.now(timezone.utc))
    except PolicyError as error:
        raise _input_error("$.policy", str(error), "policy_error") from error
    return _policy_json(connection, brand_id)


class TrainingRecordIn(BaseModel):
    course: str
    completed_at: datetime
    expires_at: datetime | None = None
    username: str | None = None
    brand: str | None = None
    agent: str | None = None


@router.get("/training")
def get_training_records(connection: ConnectionDep, viewer: CurrentViewer):
    require_role(viewer, TRAINING_READERS, "read training records")
    return {"items": training.list_training_records(connection, viewer, now=datetime.now(timezone.utc))}


@router.post("/training", status_code=201)
def post_training_records(records: list[TrainingRecordIn], request: Request, connection: ConnectionDep,
                          viewer: CurrentViewer):
    """Load training records (all or none); each names a username, or a brand and an agent."""
    require_role(viewer, TRAINING_WRITERS, "load training records")
    rows = [training.TrainingInput(**record.model_dump()) for record in records]
    try:
        stored = training.load_training_records(
            connection, rows, actor=viewer, origin=origin_of(request), now=datetime.now(timezone.utc),
            path_of=lambda index, field: f"$[{index}].{field}",
        )
    except training.TrainingInputError as error:
        raise _input_error(error.path, error.message) from error
    return {"stored": stored}


class AffectedIn(BaseModel):
    date_from: date
    date_to: date
    vendor: str | None = None


class IncidentIn(BaseModel):
    kind: str = Field(description="breach | misdirected_data | lost_device | unauthorized_access | other")
    description: str
    discovered_at: datetime
    affected: AffectedIn


class NotificationIn(BaseModel):
    status: str = Field(description="notified | not_required")
    at: datetime | None = None
    reason: str | None = None


def _incident_error(error: incidents.IncidentInputError) -> InputError:
    return _input_error(json_path(error.field.split(".")), error.message)


@router.post("/brands/{brand}/incidents", status_code=201)
def post_incident(brand: str, body: IncidentIn, request: Request, connection: ConnectionDep, viewer: CurrentViewer):
    """Register an incident; its affected customers are found by the ``affected`` query and stored with it."""
    require_role(viewer, PRIVACY_ROLES, "register incidents")
    try:
        created = incidents.create_incident(
            connection, viewer, brand_key=brand, kind=body.kind, description=body.description,
            discovered_at=body.discovered_at, affected=incidents.AffectedQuery(**body.affected.model_dump()),
            now=datetime.now(timezone.utc), origin=origin_of(request),
        )
    except incidents.IncidentInputError as error:
        raise _incident_error(error) from error
    if created is None:
        raise HTTPException(status_code=404, detail="brand not found")
    return created


@router.get("/incidents")
def get_incidents(connection: ConnectionDep, viewer: CurrentViewer):
    require_role(viewer, PRIVACY_ROLES, "read the incident register")
    return {"items": incidents.list_incidents(connection, viewer, now=datetime.now(timezone.utc))}


@router.get("/incidents/{incident_id}")
def get_incident(incident_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    require_role(viewer, PRIVACY_ROLES, "read the incident register")
    found = incidents.get_incident(connection, viewer, incident_id, now=datetime.now(timezone.utc))
    if found is None:
        raise HTTPException(status_code=404, detail="incident not found")
    return found


@router.post("/incidents/{incident_id}/notification")
def post_incident_notification(incident_id: int, body: NotificationIn, request: Request, connection: ConnectionDep,
                               viewer: CurrentViewer):
    require_role(viewer, PRIVACY_ROLES, "update incidents")
    try:
        updated = incidents.update_notification(connection, viewer, incident_id, status=body.status, at=body.at,
                                                reason=body.reason, now=datetime.now(timezone.utc), origin=origin_of(request))
    except incidents.IncidentInputError as error:
        raise _incident_error(error) from error
    if updated is None:
        raise HTTPException(status_code=404, detail="incident not found")
    return updated


@router.post("/brands/{brand}/customers/{external_id}/transparency-link", status_code=201)
def post_transparency_link(brand: str, external_id: str, request: Request, connection: ConnectionDep,
                           viewer: CurrentViewer):
    """A signed link to the customer's transparency page (no account needed), valid for a limited time."""
    if viewer.role is Role.AUDITOR:
        raise HTTPException(status_code=403, detail="auditors do not contact customers")
    now = datetime.now(timezone.utc)
    token = transparency.issue_link_token(connection, viewer, brand_key=brand, customer_external_id=external_id,
                                          secret=request.app.state.secret_key, now=now)
    if token is None:
        raise HTTPException(status_code=404, detail="customer not found")
    return {"url": f"/transparency/{token}", "expires_at": (now + transparency.LINK_LIFETIME).isoformat()}
