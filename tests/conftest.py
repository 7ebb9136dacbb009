"""Fixtures: a fresh, migrated database per test, on SQLite and (when configured) PostgreSQL.

PostgreSQL runs when MICROCRED_TEST_POSTGRES_URL names a server database the tests may use to
create throwaway databases (``.ci/run`` starts one); otherwise those variants skip.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from microcred import Microcred, Settings
from microcred.domain.account import User, UserData
from microcred.domain.organization import Organization, OrganizationData
from microcred.domain.vocab import OrganizationKind, Province, Role
from microcred.store import Store, migrate

POSTGRES_URL = os.environ.get("MICROCRED_TEST_POSTGRES_URL")
SHARED_DATA = Path(
    os.environ.get("MICROCRED_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data")
)
FIXTURES = Path(__file__).parent / "fixtures"
PASSWORD = "correct-horse-battery"

ENGINES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES_URL,
            reason="PostgreSQL variant: set MICROCRED_TEST_POSTGRES_URL (.ci/run starts a server)",
        ),
    ),
]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (migrations run once per worker)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    store = Store.from_url(f"sqlite:///{path}")
    migrate.upgrade(store)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    return path


def _admin_engine():  # type: ignore[no-untyped-def]
    url = make_url(POSTGRES_URL or "").set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT"), url


@pytest.fixture(scope="session")
def postgres_template(worker_id: str) -> Iterator[str]:
    """A migrated PostgreSQL database used as the TEMPLATE of each test's database."""
    engine, url = _admin_engine()
    name = f"mc_template_{worker_id}_{os.getpid()}"
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    store = Store.from_url(url.set(database=name).render_as_string(hide_password=False))
    migrate.upgrade(store)
    store.dispose()
    yield name
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for one test."""
    yield from fresh_database(request, request.param, tmp_path)


def fresh_database(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, migrated, empty database ("sqlite" or "postgresql"), dropped
    afterwards."""
    if kind == "sqlite":
        path = tmp_path / "microcred.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    engine, url = _admin_engine()
    name = f"mc_test_{secrets.token_hex(6)}"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Test settings on the per-test database."""
    # Cheap Argon2 parameters keep the suite fast; production refuses them (see Settings).
    return Settings(
        database_url=database_url,
        environment="test",
        max_upload_bytes=256 * 1024,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        semantic=False,  # the optional extra may be installed; tests use the default engine
        key_secret="Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ=",  # a Fernet key, tests only
        fetch_remote=False,  # hermetic; tests/credentials/test_remote.py serves what it fetches
    )


@pytest.fixture
def mc(settings: Settings) -> Iterator[Microcred]:
    """A microcred installation on a fresh database."""
    with Microcred(settings) as instance:
        yield instance


def make_org(mc: Microcred, name: str = "Tamarack College", **extra: object) -> Organization:
    """Create an organization directly in the store (test set-up, not a code path under test)."""
    from microcred.store import organizations

    data = OrganizationData.model_validate(
        {"name_en": name, "kind": OrganizationKind.COLLEGE, "province": Province.ON, **extra}
    )
    with mc.store.write() as conn:
        return organizations.create(conn, data)


def make_user(
    mc: Microcred, role: Role, organization: Organization | None = None, email: str | None = None
) -> User:
    """Create an account with the shared test password."""
    email = email or f"{role.value}-{secrets.token_hex(3)}@example.ca"
    data = UserData(
        email=email,
        display_name=f"Test {role.value}",
        role=role,
        organization_id=organization.id if organization else None,
    )
    return mc.accounts.create_user(data, PASSWORD)


def listing_payload(**overrides: object) -> dict[str, object]:
    """A valid listing in API (JSON) shape."""
    payload: dict[str, object] = {
        "external_id": "TEST-1",
        "title_en": "Data Analytics Foundations",
        "title_fr": "Fondements de l'analytique",
        "description_en": "Clean data, write SQL, build a dashboard.",
        "kind": "MicroCredential",
        "learning_outcomes": ["Write SQL queries"],
        "skills": [
            {"scheme": "oasis", "id": "F01c01", "label": "Numeracy", "proficiency": "advanced"}
        ],
        "assessment": {"type": "project", "description": "Capstone", "summative": True},
        "hours": "36",
        "weeks": "6",
        "delivery_mode": "online_async",
        "languages": ["en", "fr"],
        "province": "ON",
        "cost_cad": "1250.00",
        "start_dates": ["2027-01-11"],
        "target_nocs": ["21211"],
        "cip_code": "30.7001",
        "osap_eligible": True,
        "ctc_eligible": True,
        "url": "https://example.ca/data",
    }
    payload.update(overrides)
    return payload
