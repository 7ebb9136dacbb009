"""Web fixtures: the in-process HTTP client on a fresh database, and logged-in helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from microcred import Microcred
from microcred.domain.account import User
from microcred.domain.organization import Organization
from microcred.domain.vocab import Role
from microcred.web.app import create_app
from tests.conftest import PASSWORD, make_org, make_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(mc: Microcred) -> Iterator[TestClient]:
    with TestClient(create_app(mc)) as test_client:
        yield test_client


def csrf_of(client: TestClient, path: str = "/login") -> str:
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def log_in(client: TestClient, user: User) -> str:
    """Log in through the form; returns the session's CSRF token."""
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token, "next": "/dashboard"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client, "/dashboard")


@dataclass
class World:
    """Two providers, each with staff, plus an admin and a learner, and their API tokens."""

    own: Organization
    other: Organization
    staff: User
    other_staff: User
    admin: User
    learner: User
    tokens: dict[str, str]

    def bearer(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
def world(mc: Microcred) -> World:
    own, other = make_org(mc, "Tamarack College"), make_org(mc, "Other College")
    people = {
        "staff": make_user(mc, Role.PROVIDER, own),
        "other_staff": make_user(mc, Role.PROVIDER, other),
        "admin": make_user(mc, Role.ADMIN),
        "learner": make_user(mc, Role.LEARNER),
    }
    tokens = {
        name: mc.accounts.issue_token(user.id, "tests").secret for name, user in people.items()
    }
    return World(own, other, tokens=tokens, **people)  # type: ignore[arg-type]
