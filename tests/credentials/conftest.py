"""Fixtures for the credentials tests."""

from tests.web.conftest import client  # noqa: F401 - the in-process HTTP client fixture
