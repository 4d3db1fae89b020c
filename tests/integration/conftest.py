"""Named personas over two brands and two vendors, and an in-process client of the web app."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories import Persona, create_personas
from trustdesk.config import Settings
from trustdesk.web.app import create_app


@pytest.fixture
def personas(engine) -> dict[str, Persona]:
    with engine.begin() as connection:
        return create_personas(connection)


@pytest.fixture
def client(engine, tmp_path) -> TestClient:
    settings = Settings(database_url=str(engine.url), secret_key="test-secret", max_body_bytes=256 * 1024,
                        master_key_file=tmp_path / "master.key", audit_key_file=tmp_path / "audit.key")
    app = create_app(settings, engine=engine)
    with TestClient(app) as test_client:
        yield test_client
