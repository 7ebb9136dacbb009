"""Listings and organizations. Every write is authorized in the catalogue service."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from typing import IO, Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from microcred.app import Microcred
from microcred.catalog.policy import require_user
from microcred.domain.listing import Listing, ListingData
from microcred.domain.organization import Organization, OrganizationData
from microcred.domain.vocab import ListingStatus
from microcred.formats import csv_template, jsonl
from microcred.web.api.deps import MicrocredDep, UserDep
from microcred.web.api.schemas import (
    ImportResult,
    ListingCreate,
    ListingPage,
    ListingStatusChange,
    OrganizationPage,
)

router = APIRouter(tags=["catalogue"])
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


@router.get("/listings", response_model=ListingPage)
def list_listings(
    mc: MicrocredDep,
    organization_id: int | None = None,
    status: ListingStatus | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> ListingPage:
    """Listings, newest first."""
    items, total = mc.catalog.listings(
        organization_id=organization_id, status=status, limit=limit, offset=offset
    )
    return ListingPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/listings/{listing_id}", response_model=Listing)
def get_listing(mc: MicrocredDep, listing_id: int) -> Listing:
    """One listing."""
    return mc.catalog.listing(listing_id)


@router.post("/listings", response_model=Listing, status_code=201)
def create_listing(mc: MicrocredDep, user: UserDep, body: ListingCreate) -> Listing:
    """Add a listing to your organization (admins: any organization)."""
    return mc.catalog.create_listing(body.organization_id, body.listing, actor=user, source="api")


@router.put("/listings/{listing_id}", response_model=Listing)
def replace_listing(mc: MicrocredDep, user: UserDep, listing_id: int, body: ListingData) -> Listing:
    """Replace a listing's content."""
    return mc.catalog.update_listing(listing_id, body, actor=user, source="api")


@router.post("/listings/{listing_id}/status", response_model=Listing)
def change_status(
    mc: MicrocredDep, user: UserDep, listing_id: int, body: ListingStatusChange
) -> Listing:
    """Archive or re-activate a listing."""
    return mc.catalog.set_listing_status(listing_id, body.status, actor=user)


@router.get("/organizations", response_model=OrganizationPage)
def list_organizations(
    mc: MicrocredDep, limit: Limit = 100, offset: Offset = 0
) -> OrganizationPage:
    """Providers, by slug."""
    items, total = mc.catalog.organizations(limit=limit, offset=offset)
    return OrganizationPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/organizations/{organization_id}", response_model=Organization)
def get_organization(mc: MicrocredDep, organization_id: int) -> Organization:
    """One provider."""
    return mc.catalog.organization(organization_id)


@router.post("/organizations", response_model=Organization, status_code=201)
def create_organization(mc: MicrocredDep, user: UserDep, body: OrganizationData) -> Organization:
    """Add a provider (administrators only)."""
    return mc.catalog.create_organization(body, actor=user)


@router.put("/organizations/{organization_id}", response_model=Organization)
def replace_organization(
    mc: MicrocredDep, user: UserDep, organization_id: int, body: OrganizationData
) -> Organization:
    """Update a provider (administrators, or its own staff)."""
    return mc.catalog.update_organization(organization_id, body, actor=user)


@router.post("/import", response_model=ImportResult)
async def import_file(
    request: Request,
    mc: MicrocredDep,
    user: UserDep,
    format: Literal["csv", "jsonl"] = "csv",
    strict: bool = False,
) -> ImportResult:
    """Import a CSV-template or JSON Lines body (raw bytes); provider staff import their own only."""
    require_user(user)
    body = await request.body()
    report = await run_in_threadpool(
        mc.catalog.import_file, io.BytesIO(body), file_format=format, actor=user, strict=strict
    )
    return ImportResult.model_validate(asdict(report))  # asdict recurses into the Problems


def _export_to_file(mc: Microcred, file_format: str) -> IO[bytes]:
    """Write the export to a spooled temporary file (memory first, disk when large)."""
    writer = csv_template.write if file_format == "csv" else jsonl.write
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    writer(mc.catalog.export(), text)
    text.flush()
    text.detach()
    spool.seek(0)
    return spool


@router.get("/export", response_class=StreamingResponse)
async def export(mc: MicrocredDep, format: Literal["csv", "jsonl"] = "csv") -> StreamingResponse:
    """The whole catalogue in a format /import reads back."""
    spool = await run_in_threadpool(_export_to_file, mc, format)

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(64 * 1024):
                yield block

    media = "text/csv" if format == "csv" else "application/x-ndjson"
    filename = f"microcred-listings.{format}"
    return StreamingResponse(
        chunks(),
        media_type=f"{media}; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
