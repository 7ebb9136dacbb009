"""Fixtures for the credentials tests."""

from tests.cli.test_cli import cli  # noqa: F401 - the CLI fixture
from tests.web.conftest import client  # noqa: F401 - the in-process HTTP client fixture
