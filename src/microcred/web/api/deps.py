"""Typed dependencies for API routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from microcred.app import Microcred
from microcred.domain.account import User
from microcred.web.security import api_user, microcred

MicrocredDep = Annotated[Microcred, Depends(microcred)]
UserDep = Annotated[User | None, Depends(api_user)]
