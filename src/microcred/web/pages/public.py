"""Public pages: home, guide, browsing, listing detail, language switch."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from microcred.domain.vocab import ListingStatus
from microcred.web import i18n
from microcred.web.render import render
from microcred.web.security import Viewer, microcred, viewer

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(viewer)]
PAGE_SIZE = 20


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after a redirect (no open redirects)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/", response_class=HTMLResponse)
def home(request: Request, who: ViewerDep) -> Response:
    """The front page."""
    items, total = microcred(request).catalog.listings(status=ListingStatus.ACTIVE, limit=6)
    return render(request, who, "home.html", listings=items, total=total)


@router.get("/guide", response_class=HTMLResponse)
def guide(request: Request, who: ViewerDep) -> Response:
    """A short guide to micro-credentials and the Canada Training Credit."""
    return render(request, who, "guide.html")


@router.get("/listings", response_class=HTMLResponse)
def browse(
    request: Request, who: ViewerDep, page: Annotated[int, Query(ge=1, le=100_000)] = 1
) -> Response:
    """All active listings, newest first."""
    catalog = microcred(request).catalog
    items, total = catalog.listings(
        status=ListingStatus.ACTIVE, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request, who, "listings.html", listings=items, total=total, page=page, pages=pages
    )


@router.get("/listings/{listing_id}", response_class=HTMLResponse)
def detail(request: Request, who: ViewerDep, listing_id: int) -> Response:
    """One listing with every framework element it carries."""
    catalog = microcred(request).catalog
    listing = catalog.listing(listing_id)
    provider = catalog.organization(listing.organization_id)
    editable = who.user is not None and who.user.may_edit_organization(listing.organization_id)
    return render(
        request, who, "listing.html", listing=listing, provider=provider, editable=editable
    )


@router.get("/lang/{language}")
def switch_language(request: Request, language: str, next: str | None = None) -> Response:
    """Remember the chosen language and go back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if language in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE,
            language,
            max_age=365 * 24 * 3600,
            samesite="lax",
            secure=microcred(request).settings.cookie_secure,
        )
    return response
