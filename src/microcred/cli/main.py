"""Entry point of the ``microcred`` command."""

from __future__ import annotations

import typer

from microcred.cli import admin, catalog, data, lookup, serve
from microcred.cli import credentials as credentials_cli
from microcred.cli import plan as plan_cli
from microcred.cli import search as search_cli
from microcred.cli import skills as skills_cli
from microcred.cli.context import fail
from microcred.errors import MicrocredError

app = typer.Typer(
    name="microcred",
    help="microcred: the open micro-credential platform for Canada.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("demo")(serve.demo)
app.command("serve")(serve.serve)
app.command("import")(catalog.import_)
app.command("export")(catalog.export)
app.add_typer(admin.db, name="db")
app.add_typer(admin.users, name="users")
app.add_typer(data.data, name="data")
app.add_typer(lookup.occupation, name="occupation")
app.add_typer(lookup.skill, name="skill")
app.add_typer(skills_cli.skills, name="skills")
app.command("search")(search_cli.search)
app.command("plan")(plan_cli.plan)
app.add_typer(credentials_cli.credentials, name="credentials")
app.add_typer(search_cli.index, name="index")


def run() -> None:
    """Run the CLI, turning microcred errors into messages and exit codes."""
    try:
        app()
    except MicrocredError as error:
        try:
            fail(error)
        except typer.Exit as exit_:
            raise SystemExit(exit_.exit_code) from None
