"""Request and response shapes of the API (the domain models, plus envelopes)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from microcred.domain.listing import Listing, ListingData
from microcred.domain.organization import Organization
from microcred.domain.vocab import ListingStatus


class ListingCreate(BaseModel):
    """POST /listings: the organization it belongs to and its content."""

    organization_id: int
    listing: ListingData


class ListingStatusChange(BaseModel):
    """POST /listings/{id}/status."""

    status: ListingStatus


class ListingPage(BaseModel):
    """One page of listings; ``is_demo`` on each item marks generated demo data."""

    items: list[Listing]
    total: int
    limit: int
    offset: int


class OrganizationPage(BaseModel):
    """One page of organizations."""

    items: list[Organization]
    total: int
    limit: int
    offset: int


class ImportResult(BaseModel):
    """What an import did; ``rejected`` lists every problem with its line."""

    rows: int
    inserted: int
    updated: int
    unchanged: int
    organizations_created: int
    rejected: list[dict[str, object]] = Field(default_factory=list)


class Health(BaseModel):
    """Liveness and database reachability."""

    status: str
    database: str
    version: str
