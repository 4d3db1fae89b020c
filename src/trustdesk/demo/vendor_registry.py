"""The demo vendors in each brand's vendor registry: legal names, sites, certifications (one expired, one
expiring within weeks), confidentiality and data-processing agreements, and contract SLA targets."""
from __future__ import annotations

from datetime import datetime

from trustdesk.core.model import Role
from trustdesk.demo.operation import Operation
from trustdesk.services import governance
from trustdesk.services.scope import Viewer

# The loader stores the directory with administrator rights, like ``trustdesk import``.
LOADER = Viewer(user_id=0, username="demo-loader", role=Role.ADMIN, brand_id=None, vendor_id=None)


def store_vendor_registry(connection, operation: Operation, *, now: datetime) -> None:
    served = {(agent.brand, agent.vendor) for agent in operation.agents}
    for vendor in operation.vendors:
        registration = governance.RegistrationIn(
            legal_name=vendor.legal_name,
            countries=sorted({site.country for site in vendor.sites} | {vendor.country}),
            sites=[governance.SiteIn(s.name, s.city, s.country, s.time_zone) for s in vendor.sites],
            contract_start=min(vendor.nda_signed_on, vendor.dpa_signed_on),
            contract_end=None,
            certifications=[governance.CertificationIn(c.name, c.expires_on) for c in vendor.certifications],
            agreements=[
                governance.AgreementIn(governance.AgreementKind.CONFIDENTIALITY.value, vendor.nda_signed_on),
                governance.AgreementIn(governance.AgreementKind.DATA_PROCESSING.value, vendor.dpa_signed_on),
            ],
            sla_targets=[governance.SlaTargetIn(t.priority.value, t.first_response_minutes, t.resolution_minutes)
                         for t in vendor.sla_targets],
        )
        for brand in sorted(brand for brand, key in served if key == vendor.key):
            governance.register_vendor(connection, LOADER, brand_key=brand, vendor_key=vendor.key,
                                       registration=registration, now=now)
