"""The ``trustdesk`` command: one Typer app, one module per command group."""
from __future__ import annotations

import typer

from trustdesk.cli import accounts, audit, bulk_import, server
from trustdesk.cli import governance as governance_cli
from trustdesk.cli import incidents as incidents_cli
from trustdesk.cli import metrics as metrics_cli
from trustdesk.cli import privacy as privacy_cli
from trustdesk.cli import quality as quality_cli
from trustdesk.cli import redact as redact_cli
from trustdesk.cli import route as route_cli
from trustdesk.cli import score as score_cli
from trustdesk.cli import sla as sla_cli
from trustdesk.cli import transcripts as transcripts_cli
from trustdesk.cli.access import add_access_commands
from trustdesk.cli.operations import add_customer_merge_commands

app = typer.Typer(no_args_is_help=True, add_completion=False, help="trustdesk: ethical CX management for outsourced contact centers.")
app.add_typer(accounts.brand_app, name="brand")
app.add_typer(accounts.user_app, name="user")
app.add_typer(accounts.token_app, name="token")
app.add_typer(server.db_app, name="db")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(sla_cli.sla_app, name="sla")
app.add_typer(governance_cli.vendors_app, name="vendors")
add_access_commands(app)
app.command("serve")(server.serve)
app.command("demo")(server.demo)
app.command("import")(bulk_import.import_file)
app.command("route")(route_cli.route)
app.command("redact")(redact_cli.redact)
app.command("score")(score_cli.score)
app.add_typer(quality_cli.scorecard_app, name="scorecard")
app.command("rescore")(quality_cli.rescore)
app.command("metrics")(metrics_cli.metrics)
app.add_typer(privacy_cli.customers_app, name="customers")
add_customer_merge_commands(privacy_cli.customers_app)
app.add_typer(privacy_cli.dsar_app, name="dsar")
app.add_typer(privacy_cli.consent_app, name="consent")
app.add_typer(privacy_cli.keys_app, name="keys")
app.add_typer(incidents_cli.incident_app, name="incident")
app.add_typer(transcripts_cli.transcripts_app, name="transcripts")
