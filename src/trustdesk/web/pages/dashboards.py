"""Dashboards: operations overview, vendor comparison, trends, agents, CSV export and the business review.

Every figure comes from ``services.metrics`` (rollups only, scoped to the viewer). Charts are drawn by
plotly.js served from the installed plotly package, never a CDN.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

import plotly
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from trustdesk.contracts.metrics import MetricsRowOut
from trustdesk.core.metrics.rollup import Dimension
from trustdesk.services import metrics
from trustdesk.services.metric_settings import SETTINGS_WRITERS, change_repeat_contact_window
from trustdesk.services.metrics_rollups import repeat_contact_window_days
from trustdesk.services.scope import Viewer
from trustdesk.services.tenancy import visible_brand_id
from trustdesk.web.api.metrics import check_metrics_role, compute_metrics
from trustdesk.web.deps import ConnectionDep
from trustdesk.web.pages.page_actions import run_form_action
from trustdesk.web.pages.routes import page_viewer, templates

router = APIRouter(include_in_schema=False)
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CSV_COLUMNS = ("group", *(name for name in MetricsRowOut.model_fields if name not in {"group", "cem_breakdown"}),
               "cem_customer_outcome", "cem_conduct", "cem_workforce_health")


@dataclass(frozen=True)
class DashboardFilters:
    brand: str | None
    vendor: str | None
    channel: str | None
    language: str | None
    date_from: date
    date_to: date

    def query(self, by: Dimension) -> metrics.MetricsQuery:
        return metrics.MetricsQuery(by=by, brand=self.brand, vendor=self.vendor, channel=self.channel,
                                    language=self.language, date_from=self.date_from, date_to=self.date_to)

    def params(self, **overrides) -> str:
        values = {"brand": self.brand, "vendor": self.vendor, "channel": self.channel, "language": self.language,
                  "from": self.date_from.isoformat(), "to": self.date_to.isoformat(), **overrides}
        return urlencode({key: value for key, value in values.items() if value})

    def drill_down(self, **overrides) -> str:
        """The interaction list for these filters (the list page names the period date_from/date_to)."""
        values = {"brand": self.brand, "vendor": self.vendor, "channel": self.channel, "language": self.language,
                  "date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat(), **overrides}
        return "/interactions?" + urlencode({key: value for key, value in values.items() if value})


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise HTTPException(status_code=422, detail=f"{name} {value!r} is not a date (YYYY-MM-DD)") from error


def dashboard_filters(request: Request, brand: str | None = None, vendor: str | None = None,
                      channel: str | None = None, language: str | None = None) -> DashboardFilters:
    """Filters from the query string; ``from``/``to`` are reporting days (UTC), the last 30 by default."""
    default_from, default_to = metrics.default_period(datetime.now(timezone.utc).date())
    return DashboardFilters(
        brand=brand or None, vendor=vendor or None, channel=channel or None, language=language or None,
        date_from=_day(request.query_params.get("from"), "from") or default_from,
        date_to=_day(request.query_params.get("to"), "to") or default_to,
    )


def _viewer(viewer: Viewer = Depends(page_viewer)) -> Viewer:
    check_metrics_role(viewer)
    return viewer


def _rows(request: Request, connection, viewer: Viewer, filters: DashboardFilters, by: Dimension) -> list[MetricsRowOut]:
    return compute_metrics(request, connection, viewer, filters.query(by))


def _render(request: Request, name: str, viewer: Viewer, connection, filters: DashboardFilters, **context) -> HTMLResponse:
    brand_id = metrics.resolve_brand_id(connection, viewer, filters.brand) if filters.brand or viewer.brand_id else None
    options = (metrics.list_metric_filter_options(connection, viewer, brand_id=brand_id, date_from=filters.date_from,
                                                  date_to=filters.date_to) if brand_id is not None else None)
    return templates.TemplateResponse(request, name, {"viewer": viewer, "filters": filters, "options": options,
                                                      "percent": _percent, **context})


def _percent(values: list[float | None]) -> list[float | None]:
    """Shares as percentages for a chart axis; gaps (no data) stay gaps."""
    return [None if value is None else 100 * value for value in values]


def _require_brand(viewer: Viewer, filters: DashboardFilters) -> None:
    if filters.brand is None and viewer.brand_id is None:
        raise HTTPException(status_code=422, detail="choose a brand: ?brand=<key>")


@router.get("/assets/plotly.min.js")
def plotly_script() -> FileResponse:
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/dashboards", response_class=HTMLResponse)
def overview(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_viewer),
             filters: DashboardFilters = Depends(dashboard_filters), error: str | None = None):
    _require_brand(viewer, filters)
    totals = _rows(request, connection, viewer, filters, Dimension.BRAND)
    brand_id = metrics.resolve_brand_id(connection, viewer, filters.brand)
    return _render(request, "dashboard_overview.html", viewer, connection, filters, view="overview",
                   total=totals[0] if totals else None, error=error,
                   fcr_window_days=repeat_contact_window_days(connection, brand_id),
                   may_change_fcr_window=viewer.role in SETTINGS_WRITERS and viewer.vendor_id is None,
                   by_day=_rows(request, connection, viewer, filters, Dimension.DAY),
                   by_channel=_rows(request, connection, viewer, filters, Dimension.CHANNEL),
                   by_language=_rows(request, connection, viewer, filters, Dimension.LANGUAGE))


@router.post("/dashboards/repeat-window")
def change_repeat_window(connection: ConnectionDep, viewer: Viewer = Depends(_viewer), brand: str = Form(""),
                        days: int = Form(...)):
    """Brand staff set how many days a contact counts as a repeat (FCR); the brand's figures are recounted."""
    return run_form_action(
        lambda: change_repeat_contact_window(connection, viewer, brand_id=visible_brand_id(connection, viewer, brand or None),
                                             days=days, now=datetime.now(timezone.utc)),
        back_to=f"/dashboards?{urlencode({'brand': brand})}" if brand else "/dashboards")


@router.get("/dashboards/vendors", response_class=HTMLResponse)
def vendor_comparison(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_viewer),
                      filters: DashboardFilters = Depends(dashboard_filters)):
    _require_brand(viewer, filters)
    return _render(request, "dashboard_vendors.html", viewer, connection, filters, view="vendors",
                   rows=_rows(request, connection, viewer, filters, Dimension.VENDOR))


@router.get("/dashboards/trends", response_class=HTMLResponse)
def trends(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_viewer),
           filters: DashboardFilters = Depends(dashboard_filters)):
    _require_brand(viewer, filters)
    return _render(request, "dashboard_trends.html", viewer, connection, filters, view="trends",
                   rows=_rows(request, connection, viewer, filters, Dimension.DAY))


@router.get("/dashboards/agents", response_class=HTMLResponse)
def agents(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_viewer),
           filters: DashboardFilters = Depends(dashboard_filters)):
    _require_brand(viewer, filters)
    return _render(request, "dashboard_agents.html", viewer, connection, filters, view="agents",
                   rows=_rows(request, connection, viewer, filters, Dimension.AGENT))


@router.get("/dashboards/report", response_class=HTMLResponse)
def business_review(request: Request, connection: ConnectionDep, viewer: Viewer = Depends(_viewer),
                    filters: DashboardFilters = Depends(dashboard_filters)):
    """A printable business review of one vendor (or the whole brand) over the period."""
    _require_brand(viewer, filters)
    totals = _rows(request, connection, viewer, filters, Dimension.VENDOR)
    return _render(request, "dashboard_report.html", viewer, connection, filters, view="report", totals=totals,
                   by_day=_rows(request, connection, viewer, filters, Dimension.DAY),
                   by_channel=_rows(request, connection, viewer, filters, Dimension.CHANNEL),
                   by_agent=_rows(request, connection, viewer, filters, Dimension.AGENT))


@router.get("/dashboards/export.csv")
def export_csv(request: Request, connection: ConnectionDep, by: Dimension = Dimension.VENDOR,
               viewer: Viewer = Depends(_viewer), filters: DashboardFilters = Depends(dashboard_filters)):
    """Any dashboard table as CSV: the same rows for the same filters, grouped by ``by``."""
    _require_brand(viewer, filters)
    rows = _rows(request, connection, viewer, filters, by)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = row.model_dump(exclude={"cem_breakdown"})
        pillars = {pillar.pillar: pillar.score for pillar in row.cem_breakdown.pillars} if row.cem_breakdown else {}
        writer.writerow([*("" if values[name] is None else values[name] for name in CSV_COLUMNS[:-3]),
                         *("" if pillars.get(name) is None else pillars[name]
                           for name in ("customer_outcome", "conduct", "workforce_health"))])
    filename = f"metrics-by-{by.value}-{filters.date_from}-{filters.date_to}.csv"
    return Response(buffer.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
