"""Who is asking: session cookies (pages) and bearer tokens (scripts), with CSRF protection."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request

from microcred.app import Microcred
from microcred.domain.account import User
from microcred.errors import Forbidden, Unauthorized
from microcred.web import i18n

SESSION_COOKIE = "mc_session"
ANON_CSRF_COOKIE = "mc_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Viewer:
    """The person behind a page request: account (if logged in), CSRF token and language."""

    user: User | None
    csrf_token: str
    language: str
    new_anonymous_token: bool = False


def microcred(request: Request) -> Microcred:
    """The installation serving this app."""
    mc: Microcred = request.app.state.mc
    return mc


def language_of(request: Request) -> str:
    """The language this request is answered in."""
    mc = microcred(request)
    return i18n.negotiate(
        request.cookies.get(i18n.COOKIE),
        request.headers.get("accept-language"),
        mc.settings.default_language,
    )


def viewer(request: Request) -> Viewer:
    """Resolve the session cookie; anonymous visitors get a double-submit CSRF cookie."""
    cached: Viewer | None = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    language = language_of(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    found = microcred(request).accounts.session(cookie) if cookie else None
    if found is not None:
        result = Viewer(found[0], found[1], language)
    else:
        token = request.cookies.get(ANON_CSRF_COOKIE)
        result = Viewer(None, token or secrets.token_urlsafe(32), language, token is None)
    request.state.viewer = result
    return result


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a state-changing request whose CSRF token does not match the viewer's."""
    expected = viewer(request).csrf_token
    if not submitted or not secrets.compare_digest(submitted, expected):
        raise Forbidden("the form has expired or did not come from this site; reload and retry")


def api_user(request: Request) -> User | None:
    """The caller of an API request: bearer token, else session cookie (+ CSRF header on writes)."""
    mc = microcred(request)
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() == "bearer" and secret:
        user = mc.accounts.token_user(secret.strip())
        if user is None:
            raise Unauthorized("the API token is unknown or revoked")
        return user
    session = viewer(request)
    if session.user is not None and request.method not in SAFE_METHODS:
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return session.user
