"""The brand's vendor registry (KPI-4): legal identity, sites, certifications, agreements, contract SLA targets,
document-expiry alerts and the due-diligence checklist. Vendor staff see only their own vendor's record."""
from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, delete, insert, select, update

from trustdesk.core.model import Priority, Role
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.workforce.vendors import (
    DUE_DILIGENCE_ITEMS,
    ChecklistStatus,
    DocumentKind,
    VendorDocument,
    document_alerts,
)
from trustdesk.services import directory
from trustdesk.services.audit import record_write
from trustdesk.services.scope import Viewer, scope_vendor_records
from trustdesk.services.tenancy import (
    FieldError,
    NotPermitted,
    NotVisible,
    is_brand_side,
    iso,
    require_role,
    visible_brand_id,
)
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import (
    due_diligence_items,
    vendor_agreements,
    vendor_certifications,
    vendor_registrations,
    vendor_sla_targets,
)

GOVERNANCE_READERS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.AUDITOR, Role.PRIVACY_OFFICER}
REGISTRY_EDITORS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER}
CHECKLIST_EDITORS = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.AUDITOR}
# Vendor staff supply evidence and say they are working on an item; only the brand side signs it off.
VENDOR_CHECKLIST_STATUSES = {ChecklistStatus.PENDING, ChecklistStatus.IN_PROGRESS}
MAX_ALERT_WINDOW_DAYS = 365


class AgreementKind(str, enum.Enum):
    CONFIDENTIALITY = "confidentiality"
    DATA_PROCESSING = "data_processing"
    MASTER_SERVICES = "master_services"


@dataclass(frozen=True)
class SiteIn:
    name: str
    city: str
    country: str
    time_zone: str | None = None


@dataclass(frozen=True)
class CertificationIn:
    name: str
    expires_on: date
    issued_on: date | None = None


@dataclass(frozen=True)
class AgreementIn:
    kind: str
    signed_on: date
    expires_on: date | None = None


@dataclass(frozen=True)
class SlaTargetIn:
    priority: str
    first_response_minutes: int
    resolution_minutes: int


@dataclass(frozen=True)
class RegistrationIn:
    legal_name: str
    countries: Sequence[str]
    sites: Sequence[SiteIn]
    contract_start: date | None
    contract_end: date | None
    certifications: Sequence[CertificationIn]
    agreements: Sequence[AgreementIn]
    sla_targets: Sequence[SlaTargetIn]


def _validate(registration: RegistrationIn) -> None:
    if not registration.legal_name.strip():
        raise FieldError("$.legal_name", "legal_name is required")
    for index, country in enumerate(registration.countries):
        if len(country) != 2 or not country.isalpha() or not country.isupper():
            raise FieldError(f"$.countries[{index}]", f"country {country!r} is not an ISO 3166 alpha-2 code")
    for index, site in enumerate(registration.sites):
        if len(site.country) != 2 or not site.country.isupper():
            raise FieldError(f"$.sites[{index}].country", f"country {site.country!r} is not an ISO 3166 alpha-2 code")
    if registration.contract_start and registration.contract_end and registration.contract_end <= registration.contract_start:
        raise FieldError("$.contract_end", "contract_end must follow contract_start")
    _unique(registration.certifications, "certifications", lambda c: c.name.strip().lower())
    for index, certification in enumerate(registration.certifications):
        if not certification.name.strip():
            raise FieldError(f"$.certifications[{index}].name", "name is required")
        if certification.issued_on and certification.issued_on >= certification.expires_on:
            raise FieldError(f"$.certifications[{index}].expires_on", "expires_on must follow issued_on")
    _unique(registration.agreements, "agreements", lambda a: a.kind)
    for index, agreement in enumerate(registration.agreements):
        if agreement.kind not in {k.value for k in AgreementKind}:
            raise FieldError(f"$.agreements[{index}].kind",
                             f"kind {agreement.kind!r} is not one of {', '.join(k.value for k in AgreementKind)}")
        if agreement.expires_on and agreement.expires_on <= agreement.signed_on:
            raise FieldError(f"$.agreements[{index}].expires_on", "expires_on must follow signed_on")
    _unique(registration.sla_targets, "sla_targets", lambda s: s.priority)
    for index, target in enumerate(registration.sla_targets):
        if target.priority not in {p.value for p in Priority}:
            raise FieldError(f"$.sla_targets[{index}].priority", f"priority {target.priority!r} is not one of low, normal, high, urgent")
        if target.first_response_minutes <= 0:
            raise FieldError(f"$.sla_targets[{index}].first_response_minutes", "must be a positive number of minutes")
        if target.resolution_minutes < target.first_response_minutes:
            raise FieldError(f"$.sla_targets[{index}].resolution_minutes", "must be at least first_response_minutes")


def _unique(items, field: str, key) -> None:
    seen = set()
    for index, item in enumerate(items):
        if key(item) in seen:
            raise FieldError(f"$.{field}[{index}]", f"{field} lists {key(item)!r} twice")
        seen.add(key(item))


def register_vendor(
    connection: Connection, viewer: Viewer, *, brand_key: str | None, vendor_key: str, registration: RegistrationIn, now: datetime
) -> dict:
    """Create or replace the brand's record of a vendor; the due-diligence checklist is created once and kept."""
    require_role(viewer, REGISTRY_EDITORS, "edit the vendor registry")
    if not is_brand_side(viewer):
        raise NotPermitted("vendor staff cannot edit the brand's vendor registry")
    brand_id = visible_brand_id(connection, viewer, brand_key, path="$.brand")
    _validate(registration)
    vendor_id = connection.execute(select(t.vendors.c.id).where(t.vendors.c.key == vendor_key)).scalar()
    if vendor_id is None:
        vendor_id = directory.save_vendor(
            connection, key=vendor_key, name=registration.legal_name, legal_name=registration.legal_name,
            countries=registration.countries, sites=[_site_dict(s) for s in registration.sites], now=now)
    values = {"legal_name": registration.legal_name.strip(), "countries": list(registration.countries),
              "sites": [_site_dict(s) for s in registration.sites], "contract_start": registration.contract_start,
              "contract_end": registration.contract_end, "updated_at": now}
    registration_id = connection.execute(
        select(vendor_registrations.c.id).where(vendor_registrations.c.brand_id == brand_id,
                                                vendor_registrations.c.vendor_id == vendor_id)
    ).scalar()
    if registration_id is None:
        registration_id = connection.execute(insert(vendor_registrations).values(
            brand_id=brand_id, vendor_id=vendor_id, **values).returning(vendor_registrations.c.id)).scalar_one()
        connection.execute(insert(due_diligence_items), [
            {"registration_id": registration_id, "key": key, "title": title, "status": ChecklistStatus.PENDING.value}
            for key, title in DUE_DILIGENCE_ITEMS
        ])
    else:
        connection.execute(update(vendor_registrations).where(vendor_registrations.c.id == registration_id).values(**values))
    for table in (vendor_certifications, vendor_agreements, vendor_sla_targets):
        connection.execute(delete(table).where(table.c.registration_id == registration_id))
    if registration.certifications:
        connection.execute(insert(vendor_certifications), [
            {"registration_id": registration_id, "name": c.name.strip(), "issued_on": c.issued_on, "expires_on": c.expires_on}
            for c in registration.certifications])
    if registration.agreements:
        connection.execute(insert(vendor_agreements), [
            {"registration_id": registration_id, "kind": a.kind, "signed_on": a.signed_on, "expires_on": a.expires_on}
            for a in registration.agreements])
    if registration.sla_targets:
        connection.execute(insert(vendor_sla_targets), [
            {"registration_id": registration_id, "priority": s.priority, "first_response_minutes": s.first_response_minutes,
             "resolution_minutes": s.resolution_minutes} for s in registration.sla_targets])
    record_write(connection, viewer, event_type=AuditEventType.VENDOR_GOVERNANCE, at=now, brand_id=brand_id,
                 resource=f"vendor_registration:{registration_id}/vendor:{vendor_key}",
                 reason=f"registry record saved: {len(registration.certifications)} certification(s), "
                        f"{len(registration.agreements)} agreement(s), {len(registration.sla_targets)} SLA target(s)")
    return get_registration(connection, viewer, brand_key=brand_key, vendor_key=vendor_key, today=now.date())


def _site_dict(site: SiteIn) -> dict:
    return {"name": site.name, "city": site.city, "country": site.country, "time_zone": site.time_zone}


def _registration_query(viewer: Viewer, brand_id: int):
    query = (
        select(vendor_registrations, t.vendors.c.key.label("vendor"), t.brands.c.key.label("brand"))
        .join(t.vendors, t.vendors.c.id == vendor_registrations.c.vendor_id)
        .join(t.brands, t.brands.c.id == vendor_registrations.c.brand_id)
        .where(vendor_registrations.c.brand_id == brand_id)
    )
    return scope_vendor_records(query, vendor_registrations, viewer)


def _children(connection: Connection, table, registration_ids: list[int], order) -> dict[int, list]:
    grouped: dict[int, list] = {rid: [] for rid in registration_ids}
    if registration_ids:
        for row in connection.execute(select(table).where(table.c.registration_id.in_(registration_ids)).order_by(order)):
            grouped[row.registration_id].append(row)
    return grouped


def _documents(row, certifications, agreements) -> list[VendorDocument]:
    documents = [VendorDocument(row.vendor, DocumentKind.CERTIFICATION, c.name, c.expires_on) for c in certifications]
    documents += [VendorDocument(row.vendor, DocumentKind.AGREEMENT, a.kind, a.expires_on) for a in agreements]
    if row.contract_end is not None:
        documents.append(VendorDocument(row.vendor, DocumentKind.CONTRACT, "contract", row.contract_end))
    return documents


def _alert_dict(alert) -> dict:
    return {"vendor": alert.document.vendor, "kind": alert.document.kind.value, "name": alert.document.name,
            "expires_on": alert.document.expires_on.isoformat(), "state": alert.state.value, "days_left": alert.days_left}


def _registrations(connection: Connection, viewer: Viewer, brand_id: int, *, today: date, within_days: int,
                   vendor_key: str | None = None) -> list[dict]:
    query = _registration_query(viewer, brand_id)
    if vendor_key is not None:
        query = query.where(t.vendors.c.key == vendor_key)
    rows = connection.execute(query.order_by(t.vendors.c.key)).all()
    ids = [row.id for row in rows]
    certifications = _children(connection, vendor_certifications, ids, vendor_certifications.c.name)
    agreements = _children(connection, vendor_agreements, ids, vendor_agreements.c.kind)
    targets = _children(connection, vendor_sla_targets, ids, vendor_sla_targets.c.first_response_minutes)
    checklist = _children(connection, due_diligence_items, ids, due_diligence_items.c.id)
    result = []
    for row in rows:
        alerts = document_alerts(_documents(row, certifications[row.id], agreements[row.id]), today=today, within_days=within_days)
        items = checklist[row.id]
        result.append({
            "brand": row.brand, "vendor": row.vendor, "legal_name": row.legal_name, "countries": row.countries,
            "sites": row.sites, "contract_start": _day(row.contract_start), "contract_end": _day(row.contract_end),
            "certifications": [{"name": c.name, "issued_on": _day(c.issued_on), "expires_on": _day(c.expires_on)}
                               for c in certifications[row.id]],
            "agreements": [{"kind": a.kind, "signed_on": _day(a.signed_on), "expires_on": _day(a.expires_on)}
                           for a in agreements[row.id]],
            "sla_targets": [{"priority": s.priority, "first_response_minutes": s.first_response_minutes,
                             "resolution_minutes": s.resolution_minutes} for s in targets[row.id]],
            "alerts": [_alert_dict(alert) for alert in alerts],
            "checklist": {"done": sum(1 for i in items if i.status in (ChecklistStatus.DONE.value, ChecklistStatus.NOT_APPLICABLE.value)),
                          "failed": sum(1 for i in items if i.status == ChecklistStatus.FAILED.value), "total": len(items)},
            "updated_at": iso(row.updated_at),
        })
    return result


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _check_window(within_days: int) -> None:
    if not 0 <= within_days <= MAX_ALERT_WINDOW_DAYS:
        raise FieldError("within_days", f"within_days must be 0-{MAX_ALERT_WINDOW_DAYS}")


def list_registry(connection: Connection, viewer: Viewer, *, brand_key: str | None, today: date, within_days: int) -> list[dict]:
    """Every vendor registered for the brand (vendor staff: their own), with alerts and checklist progress."""
    require_role(viewer, GOVERNANCE_READERS, "see the vendor registry")
    _check_window(within_days)
    return _registrations(connection, viewer, visible_brand_id(connection, viewer, brand_key), today=today, within_days=within_days)


def get_registration(connection: Connection, viewer: Viewer, *, brand_key: str | None, vendor_key: str, today: date,
                     within_days: int = 30) -> dict:
    require_role(viewer, GOVERNANCE_READERS, "see the vendor registry")
    _check_window(within_days)
    found = _registrations(connection, viewer, visible_brand_id(connection, viewer, brand_key), today=today,
                           within_days=within_days, vendor_key=vendor_key)
    if not found:
        raise NotVisible(f"vendor {vendor_key!r} is not registered for this brand")
    return found[0]


def list_document_alerts(connection: Connection, viewer: Viewer, *, brand_key: str | None, today: date, within_days: int) -> list[dict]:
    """Certifications, agreements and contracts expired or expiring within ``within_days``, most urgent first."""
    registry = list_registry(connection, viewer, brand_key=brand_key, today=today, within_days=within_days)
    alerts = [alert for entry in registry for alert in entry["alerts"]]
    return sorted(alerts, key=lambda a: (a["days_left"], a["vendor"], a["kind"], a["name"]))


def _registration_id(connection: Connection, viewer: Viewer, brand_key: str | None, vendor_key: str) -> int:
    brand_id = visible_brand_id(connection, viewer, brand_key)
    registration_id = connection.execute(
        _registration_query(viewer, brand_id).with_only_columns(vendor_registrations.c.id).where(t.vendors.c.key == vendor_key)
    ).scalar()
    if registration_id is None:
        raise NotVisible(f"vendor {vendor_key!r} is not registered for this brand")
    return registration_id


def _checklist_item(row) -> dict:
    return {"key": row.key, "title": row.title, "status": row.status, "evidence": row.evidence,
            "updated_by": row.username, "updated_at": iso(row.updated_at)}


def get_checklist(connection: Connection, viewer: Viewer, *, brand_key: str | None, vendor_key: str) -> list[dict]:
    require_role(viewer, GOVERNANCE_READERS, "see due-diligence checklists")
    registration_id = _registration_id(connection, viewer, brand_key, vendor_key)
    rows = connection.execute(
        select(due_diligence_items, t.users.c.username)
        .outerjoin(t.users, t.users.c.id == due_diligence_items.c.updated_by)
        .where(due_diligence_items.c.registration_id == registration_id).order_by(due_diligence_items.c.id)
    )
    return [_checklist_item(row) for row in rows]


def update_checklist_item(
    connection: Connection, viewer: Viewer, *, brand_key: str | None, vendor_key: str, item_key: str,
    status: str, evidence: str | None, now: datetime,
) -> dict:
    """Set an item's status and evidence note, recording who and when."""
    require_role(viewer, CHECKLIST_EDITORS, "update due-diligence checklists")
    registration_id = _registration_id(connection, viewer, brand_key, vendor_key)
    try:
        new_status = ChecklistStatus(status)
    except ValueError as error:
        raise FieldError("$.status", f"status {status!r} is not one of {', '.join(s.value for s in ChecklistStatus)}") from error
    if not is_brand_side(viewer) and new_status not in VENDOR_CHECKLIST_STATUSES:
        raise NotPermitted("vendor staff may add evidence and mark an item in progress; the brand signs it off")
    evidence = (evidence or "").strip() or None
    if new_status in (ChecklistStatus.DONE, ChecklistStatus.FAILED, ChecklistStatus.NOT_APPLICABLE) and evidence is None:
        raise FieldError("$.evidence", f"an item marked {new_status.value} needs an evidence note")
    updated = connection.execute(
        update(due_diligence_items)
        .where(due_diligence_items.c.registration_id == registration_id, due_diligence_items.c.key == item_key)
        .values(status=new_status.value, evidence=evidence, updated_by=viewer.user_id, updated_at=now)
    ).rowcount
    if updated != 1:
        raise NotVisible(f"checklist item {item_key!r} not found")
    brand_id = connection.execute(
        select(vendor_registrations.c.brand_id).where(vendor_registrations.c.id == registration_id)).scalar_one()
    record_write(connection, viewer, event_type=AuditEventType.VENDOR_GOVERNANCE, at=now, brand_id=brand_id,
                 resource=f"vendor_registration:{registration_id}/vendor:{vendor_key}/checklist:{item_key}",
                 reason=f"due-diligence item marked {new_status.value}")
    return next(item for item in get_checklist(connection, viewer, brand_key=brand_key, vendor_key=vendor_key)
                if item["key"] == item_key)


def registration_from_mapping(data: Mapping) -> RegistrationIn:
    """A RegistrationIn from plain values (the demo loader and the API's parsed body share this)."""
    return RegistrationIn(
        legal_name=data["legal_name"], countries=list(data.get("countries", [])),
        sites=[SiteIn(**site) for site in data.get("sites", [])], contract_start=data.get("contract_start"),
        contract_end=data.get("contract_end"),
        certifications=[CertificationIn(**c) for c in data.get("certifications", [])],
        agreements=[AgreementIn(**a) for a in data.get("agreements", [])],
        sla_targets=[SlaTargetIn(**s) for s in data.get("sla_targets", [])],
    )
