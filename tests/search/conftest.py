"""Every search test runs on SQLite (its embedded index), on PostgreSQL's full-text table, and
on PostgreSQL answered by this machine's embedded replica (decision 0007)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred import Microcred, Settings
from tests.conftest import POSTGRES_URL, fresh_database

_NEEDS_POSTGRES = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="PostgreSQL variant: set MICROCRED_TEST_POSTGRES_URL (.ci/run starts a server)",
)
REPLICA = pytest.param("postgresql-replica", marks=_NEEDS_POSTGRES)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=_NEEDS_POSTGRES), REPLICA])
def variant(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def replica(variant: str) -> bool:
    """Whether PostgreSQL searches go to an embedded replica."""
    return variant == "postgresql-replica"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, variant: str, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database(request, variant.split("-")[0], tmp_path)


@pytest.fixture
def settings(settings: Settings, replica: bool, tmp_path: Path) -> Settings:
    if not replica:
        return settings
    return settings.model_copy(update={"search_index_dir": tmp_path / "replica"})


@pytest.fixture(autouse=True)
def _commands_use_the_replica(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CLI commands read their settings from the environment."""
    if "cli" in request.fixturenames and request.getfixturevalue("replica"):
        folder = request.getfixturevalue("settings").search_index_dir
        monkeypatch.setenv("MICROCRED_SEARCH_INDEX_DIR", str(folder))


@pytest.fixture
def mc(settings: Settings, replica: bool) -> Iterator[Microcred]:
    with Microcred(settings) as instance:
        if replica:  # built at once, as `microcred index sync` does before serving
            instance.search.sync()
            assert instance.search.engine == "replica"
        yield instance
        if replica:
            assert instance.search.engine == "replica"
