"""Who may write what. Checked in the service layer, so every interface gets the same rules."""

from __future__ import annotations

from microcred.domain.account import User
from microcred.domain.vocab import Role
from microcred.errors import Forbidden, Unauthorized


def require_user(actor: User | None) -> User:
    """Raise Unauthorized when nobody is logged in."""
    if actor is None:
        raise Unauthorized("log in or send an API token to do this")
    return actor


def require_admin(actor: User | None) -> None:
    """Only administrators."""
    if require_user(actor).role is not Role.ADMIN:
        raise Forbidden("only administrators can do this")


def require_editor_of(actor: User | None, organization_id: int) -> None:
    """Administrators, or staff of this very organization."""
    if not require_user(actor).may_edit_organization(organization_id):
        raise Forbidden("you can only change your own organization's listings")


def operator() -> User:
    """The person at the command line: they hold the database, so they act as an
    administrator. Never used by the web layer."""
    from datetime import UTC, datetime

    return User(
        id=0,
        email="operator@localhost.localdomain",
        display_name="command line",
        role=Role.ADMIN,
        created_at=datetime.now(UTC),
    )
