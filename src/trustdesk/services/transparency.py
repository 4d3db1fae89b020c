"""The customer transparency page (PRV-8): who handled the customer's cases and where, what is held, consents.

The customer reaches it through a signed link that expires (no account): the token names the brand and the
customer and is signed with the application's secret, so it cannot be altered or extended. Consent switches
and the copy / erasure buttons act through the consent ledger and the data-subject request services.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import Connection, func, select

from trustdesk.core.privacy.consent import ConsentPurpose
from trustdesk.services import consent, dsar
from trustdesk.services.customer_view import find_visible_customer
from trustdesk.services.scope import Viewer
from trustdesk.storage import tables as t

LINK_SALT = "trustdesk-transparency-link"
LINK_LIFETIME = timedelta(days=14)
CUSTOMER_CHANNEL = "transparency_page"
CUSTOMER_ROLE = "customer"
# The exact words next to each switch; the consent ledger stores them with every decision.
CONSENT_WORDING = {
    ConsentPurpose.CALL_RECORDING: "Record my calls with customer service.",
    ConsentPurpose.QUALITY_ANALYTICS: "Use my conversations to check and improve service quality.",
    ConsentPurpose.AI_PROCESSING: "Let automated (AI) tools process my conversations.",
    ConsentPurpose.OFFSHORE_TRANSFER: "Let teams outside my country handle my cases.",
    ConsentPurpose.MARKETING: "Send me marketing messages.",
}
PERSONAL_CATEGORY_NAMES = {
    "name": "name", "email": "email address", "phone": "phone number", "address": "postal address",
    "date_of_birth": "date of birth", "account_number": "account number",
}


class LinkInvalid(ValueError):
    """The link was altered or was not issued by this installation."""


class LinkExpired(ValueError):
    """The link was genuine but is older than its lifetime."""


@dataclass(frozen=True)
class LinkSubject:
    brand: str
    customer: str


def _serializer(secret: str, now: datetime) -> URLSafeTimedSerializer:
    class _Signer(TimestampSigner):
        # Signing and checking use the ``now`` passed in, not the process clock.
        def get_timestamp(self) -> int:
            return int(now.timestamp())

    return URLSafeTimedSerializer(secret, salt=LINK_SALT, signer=_Signer)


def issue_link_token(connection: Connection, viewer: Viewer, *, brand_key: str, customer_external_id: str,
                     secret: str, now: datetime) -> str | None:
    """A signed token for the customer's page; None when the viewer may not look the customer up."""
    if find_visible_customer(connection, viewer, brand_key=brand_key, customer_external_id=customer_external_id) is None:
        return None
    return _serializer(secret, now).dumps({"brand": brand_key, "customer": customer_external_id})


def read_link_token(token: str, *, secret: str, now: datetime, lifetime: timedelta = LINK_LIFETIME) -> LinkSubject:
    try:
        payload = _serializer(secret, now).loads(token, max_age=int(lifetime.total_seconds()))
    except SignatureExpired as error:
        raise LinkExpired("this link has expired; ask customer service for a new one") from error
    except BadSignature as error:
        raise LinkInvalid("this link is not valid") from error
    return LinkSubject(brand=payload["brand"], customer=payload["customer"])


def _customer(connection: Connection, subject: LinkSubject) -> consent.CustomerRef | None:
    return consent.find_customer(connection, brand_key=subject.brand, customer_external_id=subject.customer,
                                 visible_brand_id=None)


def transparency_summary(connection: Connection, subject: LinkSubject, *, now: datetime) -> dict | None:
    """Everything the page shows; None when the customer no longer exists."""
    customer = _customer(connection, subject)
    if customer is None:
        return None
    handled = connection.execute(
        select(t.vendors.c.id.label("vendor_id"), t.vendors.c.name.label("vendor"), t.vendors.c.is_in_house,
               t.teams.c.name.label("team"), t.agents.c.country.label("agent_country"),
               func.count(t.interactions.c.id).label("interactions"))
        .select_from(t.interactions)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .outerjoin(t.teams, t.teams.c.id == t.agents.c.team_id)
        .where(t.interactions.c.customer_id == customer.customer_id)
        .group_by(t.vendors.c.id, t.vendors.c.name, t.vendors.c.is_in_house, t.teams.c.name, t.agents.c.country)
    ).all()
    # JSON columns cannot be grouped on PostgreSQL, so the vendors' registered countries come separately.
    vendor_countries = dict(connection.execute(
        select(t.vendors.c.id, t.vendors.c.countries).where(t.vendors.c.id.in_({row.vendor_id for row in handled}))).all())
    teams: dict[tuple[str, str | None], dict] = {}
    for row in handled:
        entry = teams.setdefault((row.vendor, row.team), {
            "vendor": row.vendor, "team": row.team, "outsourced": not row.is_in_house, "countries": set(), "interactions": 0})
        entry["countries"].update([row.agent_country] if row.agent_country else (vendor_countries[row.vendor_id] or []))
        entry["interactions"] += row.interactions
    personal = connection.execute(select(t.customers.c.personal_data, t.customers.c.country)
                                  .where(t.customers.c.id == customer.customer_id)).one()
    transcripts = connection.execute(
        select(func.count()).select_from(t.transcripts).join(t.interactions, t.interactions.c.id == t.transcripts.c.interaction_id)
        .where(t.interactions.c.customer_id == customer.customer_id)).scalar_one()
    surveys = connection.execute(
        select(func.count()).select_from(t.surveys).join(t.interactions, t.interactions.c.id == t.surveys.c.interaction_id)
        .where(t.interactions.c.customer_id == customer.customer_id)).scalar_one()
    categories = [PERSONAL_CATEGORY_NAMES[field] for field in PERSONAL_CATEGORY_NAMES if field in (personal.personal_data or {})]
    if personal.country:
        categories.append("country")
    if transcripts:
        categories.append(f"records of {transcripts} conversation(s), with personal details removed")
    if surveys:
        categories.append(f"{surveys} survey answer(s)")
    return {
        "brand": subject.brand,
        "customer": subject.customer,
        "handled_by": [{**entry, "countries": sorted(entry["countries"])} for entry in sorted(
            teams.values(), key=lambda entry: (entry["vendor"], entry["team"] or ""))],
        "data_categories": categories,
        "consents": [{"purpose": summary.purpose.value, "allowed": summary.allowed,
                      "wording": CONSENT_WORDING[summary.purpose],
                      "decided_at": summary.decided_by.at.isoformat() if summary.decided_by else None}
                     for summary in consent.summarize_consents(connection, customer)],
        "requests": dsar.list_customer_requests(connection, customer, now=now),
    }


def set_customer_consent(connection: Connection, subject: LinkSubject, *, purpose: str, allowed: bool,
                         now: datetime, origin: str) -> bool:
    """The customer's own decision from the page; False when the customer no longer exists."""
    customer = _customer(connection, subject)
    if customer is None:
        return False
    try:
        wording = CONSENT_WORDING[ConsentPurpose(purpose)]
    except ValueError:
        raise consent.ConsentInputError("purpose", f"{purpose!r} is not a consent purpose") from None
    consent.record_consent(connection, customer, purpose=purpose, decision="granted" if allowed else "withdrawn",
                           channel=CUSTOMER_CHANNEL, wording=wording, at=now, actor=f"customer:{customer.audit_name}",
                           role=CUSTOMER_ROLE, origin=origin)
    return True


def request_from_customer(connection: Connection, subject: LinkSubject, *, kind: str, now: datetime,
                          origin: str) -> dict | None:
    """Open an access ("copy") or erasure request for the customer; None when the customer no longer exists."""
    customer = _customer(connection, subject)
    if customer is None:
        return None
    if kind not in ("access", "erasure"):
        raise dsar.DsarInputError("kind", f"{kind!r}: the page asks for a copy (access) or erasure")
    actor = dsar.Actor(name=f"customer:{customer.audit_name}", role=CUSTOMER_ROLE, origin=origin)
    return dsar.open_request(connection, customer, kind=kind, changes=None, actor=actor, now=now)
