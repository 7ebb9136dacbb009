"""The provider dashboard and listing editor. Authorization is enforced by the catalogue service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from microcred.catalog import policy
from microcred.domain.account import User
from microcred.domain.listing import ListingData
from microcred.domain.vocab import ListingStatus, Role
from microcred.errors import InvalidInput, Problem
from microcred.formats import csv_template
from microcred.web.pages import forms
from microcred.web.pages.public import PAGE_SIZE, ViewerDep
from microcred.web.render import render
from microcred.web.security import CSRF_FIELD, Viewer, check_csrf, microcred

router = APIRouter(prefix="/dashboard")


async def submitted_form(request: Request) -> FormData:
    """The posted form (no file uploads; bounded number of fields)."""
    return await request.form(max_files=0, max_fields=200)


FormDep = Annotated[FormData, Depends(submitted_form)]


def _editor(
    request: Request,
    who: Viewer,
    *,
    listing_id: int | None,
    values: dict[str, str],
    organization_id: int | None,
    problems: list[Problem],
    status: int = 200,
) -> Response:
    user = policy.require_user(who.user)
    organizations = []
    if user.role is Role.ADMIN:
        organizations = microcred(request).catalog.organizations(limit=1000)[0]
    return render(
        request,
        who,
        "editor.html",
        status=status,
        listing_id=listing_id,
        values=values,
        organization_id=organization_id,
        organizations=organizations,
        errors=forms.field_errors(problems, who.language),
        problems=problems,
    )


def _target_organization(user: User, form: FormData) -> int:
    if user.role is Role.ADMIN:
        raw = str(form.get("organization_id") or "")
        if not raw.isdigit():
            raise InvalidInput(
                "choose an organization", [Problem("organization_id", "required", code="missing")]
            )
        return int(raw)
    requested = str(form.get("organization_id") or "")
    if user.organization_id is None or requested not in ("", str(user.organization_id)):
        policy.require_editor_of(user, -1)  # raises Forbidden: not this user's organization
    assert user.organization_id is not None
    return user.organization_id


@router.get("", response_class=HTMLResponse)
def dashboard(
    request: Request,
    who: ViewerDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    saved: int | None = None,
) -> Response:
    """Your organization's listings (administrators see every listing)."""
    user = policy.require_user(who.user)
    catalog = microcred(request).catalog
    organization = None
    items: list[object] = []
    total = 0
    if user.role in (Role.ADMIN, Role.PROVIDER):
        if user.organization_id is not None:
            organization = catalog.organization(user.organization_id)
        items, total = catalog.listings(  # type: ignore[assignment]
            organization_id=user.organization_id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        who,
        "dashboard.html",
        organization=organization,
        listings=items,
        total=total,
        page=page,
        pages=pages,
        saved=saved,
    )


@router.get("/listings/new", response_class=HTMLResponse)
def new_listing(request: Request, who: ViewerDep) -> Response:
    """An empty editor."""
    user = policy.require_user(who.user)
    if user.role is not Role.ADMIN:
        policy.require_editor_of(user, user.organization_id or -1)
    values = forms.cells_to_form(
        {
            "languages": "en" if who.language == "en" else "fr",
            "assessment_summative": "true",
            "status": "active",
        }
    )
    return _editor(
        request,
        who,
        listing_id=None,
        values=values,
        organization_id=user.organization_id,
        problems=[],
    )


def _save(
    request: Request,
    who: Viewer,
    form: FormData,
    *,
    listing_id: int | None,
    organization_id: int,
    write: Callable[[ListingData], int],
) -> Response:
    """Validate the editor and write it; on errors, show them beside the fields and keep what
    was typed (nothing is saved)."""
    data, values, problems = forms.parse(form)
    if data is not None:
        try:
            saved_id = write(data)
        except InvalidInput as exc:
            problems = exc.problems
        else:
            return RedirectResponse(f"/dashboard/listings/{saved_id}/edit?saved=1", status_code=303)
    return _editor(
        request,
        who,
        listing_id=listing_id,
        values=values,
        organization_id=organization_id,
        problems=problems,
        status=422,
    )


@router.post("/listings/new", response_class=HTMLResponse)
def create_listing(request: Request, who: ViewerDep, form: FormDep) -> Response:
    """Create a listing from the editor."""
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    user = policy.require_user(who.user)
    organization_id = _target_organization(user, form)
    policy.require_editor_of(user, organization_id)
    catalog = microcred(request).catalog
    return _save(
        request,
        who,
        form,
        listing_id=None,
        organization_id=organization_id,
        write=lambda data: catalog.create_listing(organization_id, data, actor=user).id,
    )


@router.get("/listings/{listing_id}/edit", response_class=HTMLResponse)
def edit_listing(request: Request, who: ViewerDep, listing_id: int) -> Response:
    """The editor, filled in."""
    listing = microcred(request).catalog.listing(listing_id)
    policy.require_editor_of(who.user, listing.organization_id)
    values = forms.cells_to_form(csv_template.listing_cells(listing.content()))
    return _editor(
        request,
        who,
        listing_id=listing_id,
        values=values,
        organization_id=listing.organization_id,
        problems=[],
    )


@router.post("/listings/{listing_id}/edit", response_class=HTMLResponse)
def save_listing(request: Request, who: ViewerDep, listing_id: int, form: FormDep) -> Response:
    """Save the editor."""
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    catalog = microcred(request).catalog
    owner = catalog.listing(listing_id).organization_id
    policy.require_editor_of(who.user, owner)
    return _save(
        request,
        who,
        form,
        listing_id=listing_id,
        organization_id=owner,
        write=lambda data: catalog.update_listing(listing_id, data, actor=who.user).id,
    )


@router.post("/listings/{listing_id}/status")
def change_status(request: Request, who: ViewerDep, listing_id: int, form: FormDep) -> Response:
    """Archive or restore a listing."""
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    raw = str(form.get("status") or "")
    if raw not in {s.value for s in ListingStatus}:
        raise InvalidInput("unknown status", [Problem("status", f"{raw!r} is not a status")])
    microcred(request).catalog.set_listing_status(listing_id, ListingStatus(raw), actor=who.user)
    return RedirectResponse("/dashboard?saved=1", status_code=303)
