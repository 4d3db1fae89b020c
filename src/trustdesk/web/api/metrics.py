"""``GET /api/v1/metrics``: KPIs per group over a period (CONTRACTS.md section 5), from the rollups only."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from trustdesk.contracts.metrics import MetricsRowOut
from trustdesk.core.metrics.rollup import Dimension
from trustdesk.core.model import Role
from trustdesk.services import metric_settings, metrics
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import visible_brand_id
from trustdesk.web.api.service_errors import service_errors
from trustdesk.web.deps import ConnectionDep, CurrentViewer
from trustdesk.web.errors import InputError

router = APIRouter(prefix="/api/v1", tags=["metrics"])

# Everyone with a tenant role reads metrics; the scope narrows vendor staff to their vendor and agents
# to themselves. Privacy officers and auditors work on records and logs, not performance figures.
METRICS_ROLES = {Role.ADMIN, Role.BRAND_MANAGER, Role.VENDOR_MANAGER, Role.SUPERVISOR, Role.QA_ANALYST, Role.AGENT}


def check_metrics_role(viewer: Viewer) -> None:
    if viewer.role not in METRICS_ROLES:
        raise HTTPException(status_code=403, detail=f"role {viewer.role.value} may not read metrics")


def compute_metrics(request: Request, connection, viewer: Viewer, query: metrics.MetricsQuery) -> list[MetricsRowOut]:
    """Run a metrics query for a web handler: errors become 404 (brand) or 422 naming the parameter."""
    try:
        rows = metrics.query_metrics(
            connection, viewer, query, weights=metrics.cem_weights_from_config(request.app.state.settings.config)
        )
    except metrics.BrandNotVisibleError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except metrics.MetricsQueryError as error:
        raise InputError([{"path": f"$.query.{error.field}", "message": str(error), "type": "value_error"}]) from error
    return [MetricsRowOut.from_row(row) for row in rows]


@router.get("/metrics", response_model=list[MetricsRowOut])
def get_metrics(
    request: Request,
    connection: ConnectionDep,
    viewer: CurrentViewer,
    by: Dimension = Dimension.VENDOR,
    brand: str | None = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    vendor: str | None = None,
    team: str | None = None,
    agent: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    purpose: str | None = None,
):
    """One row per group over reporting days ``from``..``to`` (UTC, inclusive; default the last 30 days)."""
    check_metrics_role(viewer)
    default_from, default_to = metrics.default_period(datetime.now(timezone.utc).date())
    query = metrics.MetricsQuery(
        by=by, date_from=date_from or default_from, date_to=date_to or default_to, brand=brand, vendor=vendor,
        team=team, agent=agent, channel=channel, language=language, purpose=purpose,
    )
    return compute_metrics(request, connection, viewer, query)


class MetricSettingsIn(BaseModel):
    repeat_contact_window_days: int


@router.get("/brands/{brand}/metrics/settings")
def get_metric_settings(brand: str, connection: ConnectionDep, viewer: CurrentViewer):
    """The brand's repeat-contact (FCR) window in days and the range it may take."""
    with service_errors():
        return metric_settings.metric_settings(connection, viewer, brand_id=visible_brand_id(connection, viewer, brand))


@router.put("/brands/{brand}/metrics/settings")
def put_metric_settings(brand: str, body: MetricSettingsIn, connection: ConnectionDep, viewer: CurrentViewer):
    """Change the FCR window: every repeat flag of the brand is recounted in this request's transaction."""
    with service_errors():
        return metric_settings.change_repeat_contact_window(
            connection, viewer, brand_id=visible_brand_id(connection, viewer, brand),
            days=body.repeat_contact_window_days, now=datetime.now(timezone.utc))
