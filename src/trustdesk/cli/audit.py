"""``trustdesk audit verify|prove|head``: check the audit trail and hand evidence to an outside auditor.

``trustdesk serve`` also signs a tree head periodically when ``[audit] sign_every_minutes`` is configured, so
an outside auditor holding earlier heads can ask for consistency proofs.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import typer
from rich.console import Console
from sqlalchemy import Engine

from trustdesk.cli.background import start_periodic
from trustdesk.cli.context import migrated_engine, settings
from trustdesk.core.privacy.audit_proof import tree_head_to_dict
from trustdesk.services import audit

audit_app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit trail.")
err = Console(stderr=True)


def _signing_key() -> bytes:
    path = settings().audit_key_file
    key, created = audit.load_or_create_signing_key(path)
    if created:
        err.print(f"created the audit signing key {path} (keep it secret and backed up)")
    return key


@audit_app.command("verify")
def verify() -> None:
    """Exit 0 with a summary when the chain and every signed tree head hold; exit 1 naming the first break."""
    engine = migrated_engine()
    with engine.connect() as connection:
        report = audit.verify_audit_log(connection, public_key=audit.audit_public_key(_signing_key()))
    if report.chain_break is not None:
        typer.echo(f"BROKEN: {report.chain_break.describe()} (first broken entry: {report.chain_break.entry_id})")
        raise typer.Exit(1)
    if report.broken_tree_head is not None:
        typer.echo(f"BROKEN: the log no longer matches the signed tree head of size {report.broken_tree_head}")
        raise typer.Exit(1)
    typer.echo(f"audit trail intact: {report.entries} entries, hash chain and signed tree heads verified")


@audit_app.command("prove")
def prove(entry: int) -> None:
    """Print an inclusion proof of ENTRY that verifies offline against the signed tree head inside it."""
    with migrated_engine().begin() as connection:
        proof = audit.prove_audit_entry(connection, entry, signing_key=_signing_key(), now=datetime.now(timezone.utc))
    if proof is None:
        err.print(f"[red]error:[/red] no audit entry {entry}")
        raise typer.Exit(2)
    typer.echo(proof)


@audit_app.command("head")
def head() -> None:
    """Sign and print the current tree head with the public key, for publication to an outside auditor."""
    key = _signing_key()
    with migrated_engine().begin() as connection:
        signed = audit.sign_current_tree_head(connection, signing_key=key, now=datetime.now(timezone.utc))
    typer.echo(json.dumps({**tree_head_to_dict(signed), "public_key": audit.audit_public_key(key).hex()}, indent=2))


def sign_tree_head_now(engine: Engine, signing_key: bytes) -> int:
    """Sign the current tree head (nothing new when no entry was appended since the last); its size."""
    with engine.begin() as connection:
        return audit.sign_current_tree_head(connection, signing_key=signing_key, now=datetime.now(timezone.utc)).head.size


def start_tree_head_signing(engine: Engine, *, interval: timedelta, console: Console) -> threading.Event:
    """Sign a tree head every ``interval`` in a daemon thread; set the returned event to stop it."""
    key = _signing_key()
    return start_periodic("audit-tree-heads", lambda: sign_tree_head_now(engine, key), interval=interval,
                          console=console)
