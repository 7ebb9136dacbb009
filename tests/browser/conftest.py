"""A real server on a free port and a real browser (Playwright driving Debian's chromium)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from microcred import Microcred, Settings
from microcred.domain.account import User
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from microcred.store import listings
from microcred.store.listings import NewListing
from microcred.web.app import create_app
from tests.conftest import listing_payload, make_org, make_user

CHROMIUM = Path(os.environ.get("MICROCRED_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


@dataclass
class Site:
    url: str
    mc: Microcred
    staff: User
    listing_id: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def site(sqlite_template: Path, tmp_path: Path) -> Iterator[Site]:
    db = tmp_path / "browser.db"
    shutil.copy(sqlite_template, db)
    mc = Microcred(
        Settings(
            database_url=f"sqlite:///{db}",
            environment="test",
            argon2_time_cost=1,
            argon2_memory_kib=1024,
            semantic=False,
        )
    )
    org = make_org(mc)
    staff = make_user(mc, Role.PROVIDER, org, email="staff@example.ca")
    with mc.store.write() as conn:
        listing = listings.create(
            conn, NewListing.of(org.id, ListingData.model_validate(listing_payload()), "web")
        )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(mc), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield Site(f"http://127.0.0.1:{port}", mc, staff, listing.id)
    server.should_exit = True
    thread.join(timeout=10)
    mc.close()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(bypass_csp=True)  # lets the test inject axe-core
    yield context.new_page()
    context.close()
