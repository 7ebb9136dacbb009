"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from microcred import __version__
from microcred.app import Microcred
from microcred.settings import Settings
from microcred.web import api, errors, pages, render
from microcred.web.api import vcapi
from microcred.web.api.schemas import Health
from microcred.web.api.system import health_check
from microcred.web.middleware import LimitsAndHeaders

STATIC = Path(__file__).parent / "static"


def create_app(mc: Microcred, *, own_microcred: bool = False) -> FastAPI:
    """Build the web app around an installation (``own_microcred``: close it on shutdown)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if own_microcred:
            mc.close()

    app = FastAPI(
        title="microcred API",
        version=__version__,
        description="Micro-credential catalogue for Canada. Errors share one shape: "
        '{"error": {"code", "message", "problems"?}}.',
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # the bundled docs UI loads assets from a CDN; we serve none
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.mc = mc
    app.state.templates = render.environment()
    app.add_middleware(LimitsAndHeaders, max_bytes=mc.settings.max_upload_bytes)
    errors.install(app)
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(vcapi.router)  # VC API clients and conformance suites use the root
    app.get("/health", response_model=Health, include_in_schema=False)(health_check)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app for ``microcred serve`` workers: settings from ``MICROCRED_*`` variables."""
    mc = Microcred(Settings())
    mc.check_schema()
    return create_app(mc, own_microcred=True)
