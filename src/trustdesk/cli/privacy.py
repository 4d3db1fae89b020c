"""Privacy commands (CONTRACTS.md section 4): erasure, data export, consent, data-subject requests, key rotation.

The command line runs with administrator rights on the configured database; every action is audited with
the operating-system user as the actor and ``cli`` as the origin.
"""
from __future__ import annotations

import getpass
import json
from datetime import datetime, timezone

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from trustdesk.cli.context import keyring, migrated_engine, settings
from trustdesk.core.privacy.consent import ConsentDecision, ConsentPurpose
from trustdesk.services import consent, dsar
from trustdesk.services.customer_export import export_customer
from trustdesk.services.erasure import erase_customer
from trustdesk.services.privacy_keys import (
    KeyMismatchError,
    Keyring,
    count_stale_data_keys,
    count_unkeyed_customers,
    encrypt_plaintext_batch,
    install_master_key,
    new_master_key,
    pending_master_key_path,
    read_master_key_file,
    rotate_master_key,
    write_master_key_file,
)

customers_app = typer.Typer(no_args_is_help=True, help="Customers' personal data.")
dsar_app = typer.Typer(no_args_is_help=True, help="Data-subject requests: access, rectification, erasure.")
consent_app = typer.Typer(no_args_is_help=True, help="The consent ledger.")
keys_app = typer.Typer(no_args_is_help=True, help="The master key that wraps customers' data keys.")
err = Console(stderr=True)

OPERATOR_WORDING = "Recorded by an operator on the customer's instruction."


def _actor() -> dsar.Actor:
    return dsar.Actor(name=f"cli:{getpass.getuser()}", role="admin", origin="cli")


def _customer(connection, brand: str, customer_external_id: str) -> consent.CustomerRef:
    found = consent.find_customer(connection, brand_key=brand, customer_external_id=customer_external_id,
                                  visible_brand_id=None)
    if found is None:
        err.print(f"[red]error:[/red] customer {customer_external_id!r} of brand {brand!r} does not exist")
        raise typer.Exit(2)
    return found


@customers_app.command("erase")
def customers_erase(brand: str, customer_external_id: str) -> None:
    """Erase a customer: destroy their data key (crypto-shredding) and remove their free text; metrics stay."""
    actor = _actor()
    with migrated_engine().begin() as connection:
        report = erase_customer(connection, _customer(connection, brand, customer_external_id), actor=actor.name,
                                role=actor.role, origin=actor.origin, now=datetime.now(timezone.utc))
    typer.echo(f"customer {report.customer} erased: data key {'destroyed' if report.data_key_destroyed else 'already absent'}, "
               f"{report.transcripts_deleted} transcripts deleted, {report.survey_comments_cleared} survey comments "
               f"cleared, {report.interactions_kept} interactions kept for metrics")


@dsar_app.command("export")
def dsar_export(brand: str, customer_external_id: str) -> None:
    """Print everything stored about the customer as JSON on stdout."""
    master = keyring()
    try:
        with migrated_engine().begin() as connection:
            document = export_customer(connection, _customer(connection, brand, customer_external_id),
                                       keyring=master, actor=_actor(), now=datetime.now(timezone.utc))
    except KeyMismatchError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(1) from error
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


@dsar_app.command("list")
def dsar_list(
    brand: str = typer.Option(None, help="Only this brand's requests."),
    overdue: bool = typer.Option(False, "--overdue", help="Only open requests past their due date."),
) -> None:
    """List requests (JSON lines), soonest due first."""
    with migrated_engine().begin() as connection:
        brand_id = None
        if brand is not None:
            brand_id = consent.brand_id_of(connection, brand)
            if brand_id is None:
                err.print(f"[red]error:[/red] brand {brand!r} does not exist")
                raise typer.Exit(2)
        requests = dsar.list_requests(connection, visible_brand_id=brand_id, now=datetime.now(timezone.utc),
                                      overdue_only=overdue)
    for request in requests:
        typer.echo(json.dumps(request, ensure_ascii=False))


@consent_app.command("set")
def consent_set(
    brand: str,
    customer_external_id: str,
    purpose: ConsentPurpose,
    decision: ConsentDecision,
    channel: str = typer.Option("operator", help="How the customer told us: phone, web, ivr, email, operator..."),
    wording: str = typer.Option(OPERATOR_WORDING, help="The exact wording shown or read to the customer."),
) -> None:
    """Record a consent decision (granted or withdrawn) in the append-only ledger."""
    actor = _actor()
    try:
        with migrated_engine().begin() as connection:
            event = consent.record_consent(
                connection, _customer(connection, brand, customer_external_id), purpose=purpose.value,
                decision=decision.value, channel=channel, wording=wording, at=datetime.now(timezone.utc),
                actor=actor.name, role=actor.role, origin=actor.origin)
    except consent.ConsentInputError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    typer.echo(f"{event.purpose.value} {event.decision.value} for {brand}/{customer_external_id}")


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Re-wrap every customer data key under a new master key; the old key file is kept as a backup."""
    path = settings().master_key_file
    if not path.exists():
        err.print(f"[red]error:[/red] no master key at {path} (TRUSTDESK_MASTER_KEY_FILE); nothing to rotate")
        raise typer.Exit(2)
    old = Keyring(read_master_key_file(path))
    pending = pending_master_key_path(path)
    if pending.exists():
        new = Keyring(read_master_key_file(pending))
        err.print(f"resuming the rotation to {new.master.key_id} found in {pending}")
    else:
        new = Keyring(new_master_key(datetime.now(timezone.utc)))
        write_master_key_file(pending, new.master)
    engine = migrated_engine()
    with engine.connect() as connection:
        total = count_stale_data_keys(connection, new_key_id=new.master.key_id)
    with Progress(TextColumn("re-wrapping data keys"), BarColumn(), MofNCompleteColumn(), console=err) as progress:
        task = progress.add_task("rewrap", total=total)
        try:
            with engine.begin() as connection:
                report = rotate_master_key(connection, old=old, new=new, actor=_actor().name, origin="cli",
                                           now=datetime.now(timezone.utc),
                                           on_progress=lambda done: progress.advance(task, done))
        except KeyMismatchError as error:
            err.print(f"[red]error:[/red] {error}")
            raise typer.Exit(1) from error
    backup = install_master_key(path, old=old.master)
    typer.echo(f"{report.rewrapped} data keys re-wrapped from {report.old_key_id} to {report.new_key_id}; "
               f"old key kept in {backup}. Restart running servers so they load the new key.")


@keys_app.command("encrypt-existing")
def keys_encrypt_existing(batch_size: int = typer.Option(500, min=1, help="Customers per transaction.")) -> None:
    """Encrypt personal fields that releases before per-customer encryption stored in plaintext.

    Each batch commits on its own, so an interrupted run keeps its progress; running it again is harmless.
    """
    master = keyring()
    engine = migrated_engine()
    with engine.connect() as connection:
        total = count_unkeyed_customers(connection)
    encrypted = 0
    after = 0
    with Progress(TextColumn("checking customers without a data key"), BarColumn(), MofNCompleteColumn(),
                  console=err) as progress:
        task = progress.add_task("encrypt", total=total)
        while True:
            with engine.begin() as connection:
                batch = encrypt_plaintext_batch(connection, after_customer_id=after, limit=batch_size, keyring=master,
                                                actor=_actor().name, origin="cli", now=datetime.now(timezone.utc))
            if batch.scanned == 0:
                break
            encrypted += batch.encrypted
            after = batch.last_customer_id
            progress.advance(task, batch.scanned)
    typer.echo(f"{encrypted} customer(s) had plaintext personal data, now encrypted; "
               f"{total - encrypted} without a data key hold none (erased or never given any)")
