"""Request dependencies: the database connection and the authenticated viewer."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from sqlalchemy import Connection, Engine

from trustdesk.core.workforce.wellbeing import WellbeingThresholds
from trustdesk.services import accounts
from trustdesk.services.scope import Viewer


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_connection(request: Request) -> Iterator[Connection]:
    """One transaction per request: committed when the handler returns, rolled back when it raises."""
    with request.app.state.engine.begin() as connection:
        yield connection


ConnectionDep = Annotated[Connection, Depends(get_connection)]


def optional_viewer(request: Request, connection: ConnectionDep) -> Viewer | None:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        viewer = accounts.viewer_for_token(connection, authorization[7:].strip(), now=datetime.now(timezone.utc))
    else:
        user_id = request.session.get("user_id") if "session" in request.scope else None
        viewer = accounts.viewer_for_user_id(connection, user_id) if user_id else None
    if viewer is None:
        return None
    return dataclasses.replace(viewer, origin=request.client.host if request.client else "unknown")


def require_viewer(viewer: Annotated[Viewer | None, Depends(optional_viewer)]) -> Viewer:
    if viewer is None:
        raise HTTPException(status_code=401, detail="authentication required: Bearer token or login session",
                            headers={"WWW-Authenticate": "Bearer"})
    return viewer


CurrentViewer = Annotated[Viewer, Depends(require_viewer)]


def wellbeing_thresholds(
    max_occupancy: Annotated[float, Query(gt=0, le=1)] = WellbeingThresholds.max_occupancy,
    max_after_hours_share: Annotated[float, Query(ge=0, le=1)] = WellbeingThresholds.max_after_hours_share,
    max_night_share: Annotated[float, Query(ge=0, le=1)] = WellbeingThresholds.max_night_share,
    max_consecutive_days: Annotated[int, Query(ge=1)] = WellbeingThresholds.max_consecutive_days,
    min_break_adherence: Annotated[float, Query(ge=0, le=1)] = WellbeingThresholds.min_break_adherence,
    max_difficult_contact_share: Annotated[float, Query(ge=0, le=1)] = WellbeingThresholds.max_difficult_contact_share,
) -> WellbeingThresholds:
    """The wellbeing limits a page or API call was asked for, defaulting to ``WellbeingThresholds``."""
    return WellbeingThresholds(max_occupancy=max_occupancy, max_after_hours_share=max_after_hours_share,
                               max_night_share=max_night_share, max_consecutive_days=max_consecutive_days,
                               min_break_adherence=min_break_adherence,
                               max_difficult_contact_share=max_difficult_contact_share)
