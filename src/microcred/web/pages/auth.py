"""Log in and out (password, server-side session, CSRF-protected forms)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from microcred.errors import TooManyAttempts, Unauthorized
from microcred.web.pages.public import ViewerDep, safe_next
from microcred.web.render import render
from microcred.web.security import SESSION_COOKIE, check_csrf, microcred

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, who: ViewerDep, next: str | None = None) -> Response:
    """The login page."""
    target = safe_next(next) if next else "/dashboard"
    return render(request, who, "login.html", next=target, failed=False, email="")


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    who: ViewerDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/dashboard",
) -> Response:
    """Check the password and open a session."""
    check_csrf(request, csrf_token)
    mc = microcred(request)
    try:
        session = mc.accounts.login(email, password)
    except (Unauthorized, TooManyAttempts) as exc:
        paused = isinstance(exc, TooManyAttempts)
        return render(
            request,
            who,
            "login.html",
            status=429 if paused else 401,
            next=safe_next(next),
            failed=True,
            paused=paused,
            email=email,
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.cookie_value,
        max_age=mc.settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=mc.settings.cookie_secure,
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    """End the session."""
    check_csrf(request, csrf_token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        microcred(request).accounts.logout(cookie)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
