"""Application factory: the web edge is built from Settings; nothing is created at import time."""
from __future__ import annotations

import secrets
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

from trustdesk.config import Settings
from trustdesk.core.ingest.pipeline import Step
from trustdesk.services.audit import load_or_create_signing_key
from trustdesk.services.pipeline import default_ingest_steps
from trustdesk.services.privacy_keys import Keyring, new_master_key_notice, open_keyring
from trustdesk.storage.db import create_database_engine
from trustdesk.web import errors
from trustdesk.web.api import access as access_api
from trustdesk.web.api import audit as audit_api
from trustdesk.web.api import breaks as breaks_api
from trustdesk.web.api import feedback as feedback_api
from trustdesk.web.api import governance as governance_api
from trustdesk.web.api import interactions, processing
from trustdesk.web.api import metrics as metrics_api
from trustdesk.web.api import operations as operations_api
from trustdesk.web.api import privacy as privacy_api
from trustdesk.web.api import quality as quality_api
from trustdesk.web.limits import BodySizeLimit
from trustdesk.web.pages import access as access_pages
from trustdesk.web.pages import audit as audit_pages
from trustdesk.web.pages import privacy as privacy_pages
from trustdesk.web.pages import feedback as feedback_pages
from trustdesk.web.pages import governance as governance_pages
from trustdesk.web.pages import survey as survey_pages
from trustdesk.web.pages import operations as operations_pages
from trustdesk.web.pages import quality as quality_pages
from trustdesk.web.pages import routes as pages
from trustdesk.web.pages import dashboards as dashboard_pages

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings, *, engine: Engine | None = None, ingest_steps: Sequence[Step] | None = None,
               keyring: Keyring | None = None) -> FastAPI:
    """A ready FastAPI app on ``settings`` (an engine may be handed in by tests or the CLI)."""
    app = FastAPI(title="trustdesk", version="0.1.0", docs_url="/api/docs", openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.engine = engine or create_database_engine(settings.database_url)
    app.state.ingest_steps = tuple(ingest_steps) if ingest_steps is not None else default_ingest_steps()
    # Keys the HMAC of entity hashes in /api/v1/redact: an unkeyed hash of a CVV or phone number can be
    # reversed by trying every value. Per process, like the CLI without --key-file.
    app.state.hash_key = secrets.token_bytes(32)
    app.state.audit_signing_key, _ = load_or_create_signing_key(settings.audit_key_file)
    app.state.keyring = keyring or open_keyring(
        settings.master_key_file, now=datetime.now(timezone.utc),
        on_create=lambda path: print(new_master_key_notice(path), file=sys.stderr))
    # Without a configured key, sessions last as long as the process: safer than a default secret.
    secret = settings.secret_key or secrets.token_urlsafe(32)
    app.state.secret_key = secret  # also signs customers' transparency links
    app.add_middleware(SessionMiddleware, secret_key=secret, same_site="strict", https_only=False, max_age=12 * 3600)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_exception_handler(RequestValidationError, errors.handle_request_validation)
    app.add_exception_handler(errors.InputError, errors.handle_input_error)
    app.include_router(interactions.router)
    app.include_router(processing.router)
    app.include_router(operations_api.router)
    app.include_router(breaks_api.router)
    app.include_router(metrics_api.router)
    app.include_router(audit_api.router)
    app.include_router(access_api.router)
    app.include_router(privacy_api.router)
    app.include_router(feedback_api.router)
    app.include_router(governance_api.router)
    app.include_router(pages.router)
    app.include_router(dashboard_pages.router)
    app.include_router(audit_pages.router)
    app.include_router(privacy_pages.router)
    app.include_router(survey_pages.router)
    app.include_router(feedback_pages.router)
    app.include_router(governance_pages.router)
    app.include_router(operations_pages.router)
    app.include_router(access_pages.router)
    app.include_router(quality_api.router)
    app.include_router(quality_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
