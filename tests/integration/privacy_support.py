"""Shared by the privacy integration tests: a privacy officer persona, the CLI over the test database."""
from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.factories import NOW, Persona
from trustdesk.cli.main import app
from trustdesk.core.model import Role
from trustdesk.services import accounts


def add_persona(engine, username: str, role: Role, *, brand: str | None = "acme", vendor: str | None = None) -> Persona:
    with engine.begin() as connection:
        accounts.create_user(connection, username=username, password="correct horse", role=role, brand_key=brand,
                             vendor_key=vendor, now=NOW)
        return Persona(username, accounts.create_token(connection, username=username, name="test", now=NOW))


def run_cli(engine, key_file: Path, *args: str):
    env = {"TRUSTDESK_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "TRUSTDESK_MASTER_KEY_FILE": str(key_file), "TRUSTDESK_AUDIT_KEY_FILE": str(key_file.parent / "audit.key")}
    return CliRunner().invoke(app, list(args), env=env)


def grant(client, persona: Persona, customer: str, purpose: str = "quality_analytics", *, decision: str = "granted"):
    response = client.post(f"/api/v1/brands/acme/customers/{customer}/consents", headers=persona.headers,
                           json={"purpose": purpose, "decision": decision, "channel": "phone",
                                 "wording": "May we review this call to improve our service?"})
    assert response.status_code == 201, response.text
    return response.json()
