"""Operator commands: ``microcred db …`` and ``microcred users …``."""

from __future__ import annotations

from typing import Annotated

import typer

from microcred.cli.context import err, microcred, out, print_json
from microcred.domain.account import UserData
from microcred.domain.vocab import Role
from microcred.errors import InvalidInput, Problem
from microcred.store import accounts as account_repo
from microcred.store import migrate
from microcred.store import organizations as org_repo

db = typer.Typer(help="Create, upgrade and inspect the database.", no_args_is_help=True)
users = typer.Typer(help="Manage accounts and API tokens.", no_args_is_help=True)


@db.command("upgrade")
def db_upgrade() -> None:
    """Create the database or bring its schema up to date."""
    with microcred(migrate=True) as mc:
        out.print(f"database at revision {migrate.current_revision(mc.store)}")


@db.command("status")
def db_status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show the engine, the schema revision and the catalogue size."""
    with microcred(check=False) as mc:
        current = migrate.current_revision(mc.store)
        status: dict[str, object] = {
            "engine": mc.store.dialect,
            "revision": current,
            "head": migrate.head_revision(),
        }
        if current is not None:
            status["listings"] = mc.catalog.listings(limit=1)[1]
            status["organizations"] = mc.catalog.organizations(limit=1)[1]
    if as_json:
        print_json(status)
    else:
        for key, value in status.items():
            out.print(f"{key}: {value}")


def _password(value: str | None) -> str:
    if value:
        return value
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@users.command("create")
def users_create(
    email: str,
    role: Annotated[Role, typer.Option(help="admin, provider, practitioner or learner")],
    name: Annotated[str, typer.Option(help="Display name.")],
    organization: Annotated[
        str | None, typer.Option("--org", help="Provider's organization slug.")
    ] = None,
    password: Annotated[
        str | None, typer.Option(envvar="MICROCRED_NEW_PASSWORD", help="Prompted if absent.")
    ] = None,
) -> None:
    """Create an account (provider staff need --org)."""
    with microcred() as mc:
        org_id = None
        if organization:
            with mc.store.read() as conn:
                org_id = org_repo.get_by_slug(conn, organization).id
        try:
            data = UserData(email=email, display_name=name, role=role, organization_id=org_id)
        except ValueError as exc:
            raise InvalidInput("invalid account", [Problem("account", str(exc))]) from None
        user = mc.accounts.create_user(data, _password(password))
    out.print(f"created {user.role.value} account {user.email} (id {user.id})")


@users.command("token")
def users_token(
    email: str, name: Annotated[str, typer.Option(help="What the token is for.")] = "script"
) -> None:
    """Create an API token for a user; it is printed once and never stored in clear."""
    with microcred() as mc:
        with mc.store.read() as conn:
            found = account_repo.credentials_for(conn, email)
        if found is None:
            raise InvalidInput("no such account", [Problem("email", f"no active account {email}")])
        token = mc.accounts.issue_token(found[0].id, name)
    err.print(f"API token {token.id} (shown once; send it as 'Authorization: Bearer …'):")
    out.print(token.secret, markup=False, highlight=False)


@users.command("revoke-token")
def users_revoke_token(token_id: int) -> None:
    """Revoke an API token at once (its id is printed when it is created)."""
    with microcred() as mc:
        mc.accounts.revoke_token(token_id)
    out.print(f"API token {token_id} revoked")
