"""Typed dependencies for API routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from microcred.app import Microcred
from microcred.domain.account import User
from microcred.web.security import api_user, microcred


async def installation(request: Request) -> Microcred:
    """``microcred`` as an ``async`` dependency: a plain attribute read, so FastAPI need not
    hand it to the thread pool (a sync dependency costs a thread hop on every request)."""
    return microcred(request)


MicrocredDep = Annotated[Microcred, Depends(installation)]
UserDep = Annotated[User | None, Depends(api_user)]
