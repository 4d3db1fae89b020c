"""Vendor governance API: the brand's vendor registry, document-expiry alerts, due-diligence checklists and audits."""
from __future__ import annotations

from datetime import date, datetime, timezone

from fastapi import APIRouter
from pydantic import BaseModel, Field

from trustdesk.services import audits, governance
from trustdesk.web.api.service_errors import service_errors
from trustdesk.web.deps import ConnectionDep, CurrentViewer

router = APIRouter(prefix="/api/v1", tags=["vendor governance"])


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SiteBody(BaseModel):
    name: str
    city: str
    country: str
    time_zone: str | None = None


class CertificationBody(BaseModel):
    name: str
    expires_on: date
    issued_on: date | None = None


class AgreementBody(BaseModel):
    kind: str
    signed_on: date
    expires_on: date | None = None


class SlaTargetBody(BaseModel):
    priority: str
    first_response_minutes: int
    resolution_minutes: int


class RegistrationBody(BaseModel):
    brand: str | None = None
    legal_name: str
    countries: list[str] = Field(default_factory=list)
    sites: list[SiteBody] = Field(default_factory=list)
    contract_start: date | None = None
    contract_end: date | None = None
    certifications: list[CertificationBody] = Field(default_factory=list)
    agreements: list[AgreementBody] = Field(default_factory=list)
    sla_targets: list[SlaTargetBody] = Field(default_factory=list)


class ChecklistUpdate(BaseModel):
    brand: str | None = None
    status: str
    evidence: str | None = None


class AuditBody(BaseModel):
    brand: str | None = None
    vendor: str | None = None
    title: str
    period_from: date
    period_to: date
    confidence: float = 0.95
    margin: float = 0.05
    seed: int | None = None


class FindingBody(BaseModel):
    interaction_id: int | None = None
    severity: str
    title: str
    detail: str | None = None


class ActionBody(BaseModel):
    description: str
    owner: str
    due_on: date


class ActionUpdate(BaseModel):
    status: str
    note: str | None = None


class AuditUpdate(BaseModel):
    status: str = Field(pattern="^closed$")


@router.get("/vendor-registry")
def get_registry(connection: ConnectionDep, viewer: CurrentViewer, brand: str | None = None, within_days: int = 30):
    with service_errors():
        return {"items": governance.list_registry(connection, viewer, brand_key=brand, today=_now().date(),
                                                  within_days=within_days)}


@router.get("/vendor-registry/{vendor}")
def get_registration(vendor: str, connection: ConnectionDep, viewer: CurrentViewer, brand: str | None = None,
                     within_days: int = 30):
    with service_errors():
        return governance.get_registration(connection, viewer, brand_key=brand, vendor_key=vendor, today=_now().date(),
                                           within_days=within_days)


@router.put("/vendor-registry/{vendor}")
def put_registration(vendor: str, body: RegistrationBody, connection: ConnectionDep, viewer: CurrentViewer):
    """Create or replace the brand's record of a vendor (lists are replaced; the checklist is kept)."""
    data = body.model_dump(exclude={"brand"})
    with service_errors():
        return governance.register_vendor(connection, viewer, brand_key=body.brand, vendor_key=vendor,
                                          registration=governance.registration_from_mapping(data), now=_now())


@router.get("/vendor-alerts")
def get_alerts(connection: ConnectionDep, viewer: CurrentViewer, brand: str | None = None, within_days: int = 30):
    """Certifications, agreements and contracts expired or expiring within ``within_days`` days."""
    with service_errors():
        return {"within_days": within_days,
                "items": governance.list_document_alerts(connection, viewer, brand_key=brand, today=_now().date(),
                                                         within_days=within_days)}


@router.get("/vendor-registry/{vendor}/checklist")
def get_checklist(vendor: str, connection: ConnectionDep, viewer: CurrentViewer, brand: str | None = None):
    with service_errors():
        return {"items": governance.get_checklist(connection, viewer, brand_key=brand, vendor_key=vendor)}


@router.patch("/vendor-registry/{vendor}/checklist/{item}")
def patch_checklist_item(vendor: str, item: str, body: ChecklistUpdate, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return governance.update_checklist_item(connection, viewer, brand_key=body.brand, vendor_key=vendor, item_key=item,
                                                status=body.status, evidence=body.evidence, now=_now())


@router.post("/audits", status_code=201)
def post_audit(body: AuditBody, connection: ConnectionDep, viewer: CurrentViewer):
    """Plan an audit: the sample size follows from confidence and margin; the seed is stored to redraw it."""
    with service_errors():
        return audits.create_audit(connection, viewer, brand_key=body.brand, vendor_key=body.vendor, title=body.title,
                                   period_from=body.period_from, period_to=body.period_to, confidence=body.confidence,
                                   margin=body.margin, seed=body.seed, now=_now())


@router.get("/audits")
def get_audits(connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return {"items": audits.list_audits(connection, viewer, today=_now().date())}


@router.get("/audits/{audit_id}")
def get_audit(audit_id: int, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return audits.get_audit(connection, viewer, audit_id, today=_now().date())


@router.patch("/audits/{audit_id}")
def patch_audit(audit_id: int, body: AuditUpdate, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return audits.close_audit(connection, viewer, audit_id, now=_now())


@router.post("/audits/{audit_id}/findings", status_code=201)
def post_finding(audit_id: int, body: FindingBody, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return audits.add_finding(connection, viewer, audit_id, interaction_id=body.interaction_id, severity=body.severity,
                                  title=body.title, detail=body.detail, now=_now())


@router.post("/findings/{finding_id}/corrective-actions", status_code=201)
def post_corrective_action(finding_id: int, body: ActionBody, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return audits.add_corrective_action(connection, viewer, finding_id, description=body.description, owner=body.owner,
                                            due_on=body.due_on, now=_now())


@router.patch("/corrective-actions/{action_id}")
def patch_corrective_action(action_id: int, body: ActionUpdate, connection: ConnectionDep, viewer: CurrentViewer):
    with service_errors():
        return audits.update_corrective_action(connection, viewer, action_id, status=body.status, note=body.note, now=_now())
