"""A live server on a free port and headless Debian Chromium driven by Playwright.

Without /usr/bin/chromium the browser tests are skipped, except under CI=true where that is a failure.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest
import uvicorn

from tests.factories import NOW, create_personas, interaction
from trustdesk.config import Settings
from trustdesk.contracts.interaction import InteractionIn
from trustdesk.services.ingest import ingest_interactions
from trustdesk.web.app import create_app

CHROMIUM = os.environ.get("TRUSTDESK_CHROMIUM", "/usr/bin/chromium")
# The machine has no internet: without these flags Chromium keeps trying to reach Google services.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_server(sqlite_engine_with_personas, tmp_path):
    engine = sqlite_engine_with_personas
    port = _free_port()
    settings = Settings(database_url=str(engine.url), secret_key="browser-test",
                        master_key_file=tmp_path / "master.key", audit_key_file=tmp_path / "audit.key")
    app = create_app(settings, engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM} under CI=true")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def sqlite_engine_with_personas(sqlite_template, tmp_path):
    """Personas plus 60 manila-bpo interactions for acme (40 voice, 20 chat)."""
    from trustdesk.services.pipeline import default_ingest_steps
    from trustdesk.storage.db import create_database_engine

    path = tmp_path / "browser.db"
    shutil.copy(sqlite_template, path)
    engine = create_database_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        create_personas(connection)
        batch = [
            InteractionIn.model_validate(interaction(
                external_id=f"web-{i}", channel="chat" if i % 3 == 0 else "voice",
                started_at=f"2026-10-{1 + i % 28:02d}T{8 + i % 10:02d}:00:00Z",
                ended_at=f"2026-10-{1 + i % 28:02d}T{8 + i % 10:02d}:06:00Z",
            )).to_domain()
            for i in range(59)
        ]
        ingest_interactions(connection, batch, steps=default_ingest_steps(), now=NOW, may_create_brands=False)
    yield engine
    engine.dispose()
