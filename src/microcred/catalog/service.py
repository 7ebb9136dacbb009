"""Catalogue reads and writes. Every write takes the acting user and checks it here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from sqlalchemy import Connection

from microcred.catalog import policy
from microcred.catalog.importer import ImportReport, Progress, import_records
from microcred.domain.account import User
from microcred.domain.listing import Listing, ListingData
from microcred.domain.organization import Organization, OrganizationData
from microcred.domain.vocab import ListingStatus
from microcred.errors import InvalidInput, Problem
from microcred.formats import csv_template, jsonl
from microcred.formats.records import ParsedFile
from microcred.store import listings as listing_repo
from microcred.store import organizations as org_repo
from microcred.store.engine import Store
from microcred.store.listings import NewListing

FORMATS = ("csv", "jsonl")
MAX_PAGE = 100


def read_chunks(stream: IO[bytes], file_format: str, *, workers: int = 1) -> Iterator[ParsedFile]:
    """Parse a catalogue file in one of ``FORMATS``, in chunks. Raises InvalidInput."""
    if file_format == "csv":
        return csv_template.read_chunks(stream, workers=workers)
    if file_format == "jsonl":
        return iter([jsonl.read(stream)])
    raise InvalidInput(
        f"unknown format {file_format!r}", [Problem("format", f"use one of {', '.join(FORMATS)}")]
    )


class Catalog:
    """Providers and listings."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # --- reads -----------------------------------------------------------------------------
    def listing(self, listing_id: int) -> Listing:
        """Raises NotFound."""
        with self._store.read() as conn:
            return listing_repo.get(conn, listing_id)

    def listings(
        self,
        *,
        organization_id: int | None = None,
        status: ListingStatus | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[Listing], int]:
        """One page of listings and the total count."""
        limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
        with self._store.read() as conn:
            return listing_repo.page(
                conn, organization_id=organization_id, status=status, limit=limit, offset=offset
            )

    def listings_for_occupation(self, noc: str, *, limit: int = 6) -> list[Listing]:
        """Active listings aimed at a NOC 2021 unit group, newest first."""
        with self._store.read() as conn:
            return listing_repo.for_occupation(conn, noc, limit=max(1, min(limit, MAX_PAGE)))

    def organization(self, organization_id: int) -> Organization:
        """Raises NotFound."""
        with self._store.read() as conn:
            return org_repo.get(conn, organization_id)

    def organizations(self, *, limit: int = 100, offset: int = 0) -> tuple[list[Organization], int]:
        """One page of organizations and the total count."""
        with self._store.read() as conn:
            return org_repo.list_all(conn, limit=max(1, min(limit, 1000)), offset=max(0, offset))

    def export(self) -> Iterator[tuple[Listing, Organization]]:
        """Every listing with its provider, in id order."""
        with self._store.read() as conn:
            providers = {o.id: o for o in org_repo.list_all(conn, limit=10**9)[0]}
            for listing in listing_repo.iterate(conn):
                yield listing, providers[listing.organization_id]

    # --- writes ----------------------------------------------------------------------------
    def create_organization(self, data: OrganizationData, *, actor: User | None) -> Organization:
        """Administrators only. Raises Conflict for a taken slug or CTID."""
        policy.require_admin(actor)
        with self._store.write() as conn:
            return org_repo.create(conn, data)

    def update_organization(
        self, organization_id: int, data: OrganizationData, *, actor: User | None
    ) -> Organization:
        """Administrators, or the organization's own staff."""
        policy.require_editor_of(actor, organization_id)
        with self._store.write() as conn:
            return org_repo.update_one(conn, organization_id, data)

    def create_listing(
        self, organization_id: int, data: ListingData, *, actor: User | None, source: str = "web"
    ) -> Listing:
        """Add a listing to an organization the actor may edit."""
        policy.require_editor_of(actor, organization_id)
        with self._store.write() as conn:
            org_repo.get(conn, organization_id)
            self._check_external_id_free(conn, organization_id, data.external_id, None)
            return listing_repo.create(conn, NewListing.of(organization_id, data, source))

    def update_listing(
        self, listing_id: int, data: ListingData, *, actor: User | None, source: str = "web"
    ) -> Listing:
        """Replace a listing's content; only its organization's staff or an admin may."""
        with self._store.write() as conn:
            owner = listing_repo.owner_of(conn, listing_id)
            policy.require_editor_of(actor, owner)
            self._check_external_id_free(conn, owner, data.external_id, listing_id)
            listing_repo.replace(conn, listing_id, NewListing.of(owner, data, source))
            return listing_repo.get(conn, listing_id)

    def set_listing_status(
        self, listing_id: int, status: ListingStatus, *, actor: User | None
    ) -> Listing:
        """Archive or re-activate a listing."""
        current = self.listing(listing_id)
        data = current.content().model_copy(update={"status": status})
        return self.update_listing(listing_id, data, actor=actor, source=current.provenance.source)

    def import_file(
        self,
        stream: IO[bytes],
        *,
        file_format: str,
        actor: User | None = None,
        strict: bool = False,
        progress: Progress | None = None,
        workers: int = 1,
    ) -> ImportReport:
        """Validate a whole file and import its valid rows, all in one transaction."""
        chunks = read_chunks(stream, file_format, workers=workers)
        return import_records(
            self._store, chunks, source=file_format, actor=actor, strict=strict, progress=progress
        )

    def import_parsed(
        self,
        parsed: ParsedFile,
        *,
        source: str,
        actor: User | None = None,
        strict: bool = False,
        is_demo: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import records already read by a format module."""
        return import_records(
            self._store,
            [parsed],
            source=source,
            actor=actor,
            strict=strict,
            is_demo=is_demo,
            progress=progress,
        )

    @staticmethod
    def _check_external_id_free(
        conn: Connection, organization_id: int, external_id: str | None, listing_id: int | None
    ) -> None:
        if external_id is None:
            return
        found = listing_repo.id_for_external(conn, organization_id, external_id)
        if found is not None and found != listing_id:
            raise InvalidInput(
                "external id already used",
                [Problem("external_id", f"{external_id!r} is already used by listing {found}")],
            )
