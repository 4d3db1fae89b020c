"""``trustdesk audit verify|prove|head``: check the audit trail and hand evidence to an outside auditor."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import typer
from rich.console import Console

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
