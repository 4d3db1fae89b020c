from trustdesk.cli.main import app

app(prog_name="trustdesk")
