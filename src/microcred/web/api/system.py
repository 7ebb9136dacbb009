"""Health and identity endpoints."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from microcred import __version__
from microcred.domain.account import User
from microcred.web.api.deps import MicrocredDep, UserDep
from microcred.web.api.schemas import Health

router = APIRouter(tags=["system"])


def health_check(mc: MicrocredDep) -> Health:
    """Answer 200 when the app runs and the database answers."""
    with mc.store.read() as conn:
        conn.execute(text("SELECT 1"))
    return Health(status="ok", database=mc.store.dialect, version=__version__)


router.get("/health", response_model=Health)(health_check)


@router.get("/me", response_model=User | None)
def me(user: UserDep) -> User | None:
    """The account behind the token or session (null when anonymous)."""
    return user
