"""The one place where errors become HTTP responses: stable JSON under /api, HTML pages elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from microcred.errors import InvalidInput, MicrocredError, Problem, Unauthorized
from microcred.web.i18n import N_
from microcred.web.render import render
from microcred.web.security import viewer

log = logging.getLogger("microcred.web")

TITLES = {
    400: N_("This request cannot be understood"),
    401: N_("Please log in"),
    403: N_("You are not allowed to do this"),
    404: N_("Page not found"),
    405: N_("This action is not available here"),
    409: N_("This clashes with existing data"),
    413: N_("The upload is too large"),
    422: N_("Some information is not valid"),
    429: N_("Too many attempts; please wait a few minutes"),
    500: N_("Something went wrong on our side"),
}


JSON_PATHS = ("/api/", "/credentials/", "/presentations/")  # the VC API lives at the root


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(JSON_PATHS) or request.url.path == "/health"


def error_body(code: str, message: str, problems: list[Problem] | None = None) -> dict[str, Any]:
    """The JSON error shape every API error uses."""
    body: dict[str, Any] = {"code": code, "message": message}
    if problems is not None:
        body["problems"] = [
            {"location": p.location, "message": p.message, "code": p.code, "line": p.line}
            for p in problems
        ]
    return {"error": body}


def _respond(
    request: Request, status: int, code: str, message: str, problems: list[Problem] | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse(error_body(code, message, problems), status_code=status)
    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return render(
        request,
        viewer(request),
        "error.html",
        status=status,
        title=TITLES.get(status, TITLES[500]),
        status_code=status,
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(MicrocredError)
    async def _microcred(request: Request, exc: MicrocredError) -> Response:
        problems = exc.problems if isinstance(exc, InvalidInput) else None
        response = _respond(request, exc.http_status, exc.code, exc.message, problems)
        if isinstance(exc, Unauthorized) and _wants_json(request):
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if not _wants_json(request):
            return _respond(request, 404, "not_found", "not found")
        problems = [
            Problem(".".join(str(p) for p in e["loc"]), str(e["msg"]), code=str(e["type"]))
            for e in exc.errors()
        ]
        return _respond(request, 422, "invalid_input", "the request is not valid", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        return _respond(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _respond(request, 500, "internal", "an unexpected error happened; it was logged")
