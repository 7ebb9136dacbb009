"""Bulk import: validate every record first, then write all valid ones in one transaction.

Idempotent: records are keyed by (provider, external id); identical content writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from microcred.domain.account import User
from microcred.domain.vocab import Role
from microcred.errors import Forbidden, InvalidInput, Problem
from microcred.formats.records import ImportRecord, ParsedFile
from microcred.store import listings as listing_repo
from microcred.store import organizations as org_repo
from microcred.store.engine import Store
from microcred.store.listings import NewListing

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    """What an import did, and every row it rejected with the reason."""

    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    organizations_created: int = 0
    rejected: list[Problem] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        """How many distinct source lines were rejected."""
        return len({p.line for p in self.rejected})


def _deduplicate(records: Sequence[ImportRecord]) -> tuple[list[ImportRecord], list[Problem]]:
    seen: dict[tuple[str, str], int] = {}
    kept, problems = [], []
    for record in records:
        if record.listing.external_id is None:
            problems.append(
                Problem(
                    "external_id",
                    "is empty; it keys the listing so re-imports update it",
                    line=record.line,
                )
            )
            continue
        key = (record.provider.slug, record.listing.external_id)
        if key in seen:
            problems.append(
                Problem(
                    "external_id",
                    f"{key[1]!r} repeats line {seen[key]} for the same provider",
                    line=record.line,
                )
            )
            continue
        seen[key] = record.line
        kept.append(record)
    return kept, problems


def _scope(records: list[ImportRecord], actor: User | None, own_slug: str | None) -> list[Problem]:
    """Provider staff may only import their own organization's listings."""
    if actor is None or actor.role is Role.ADMIN:
        return []
    if actor.role is not Role.PROVIDER:
        raise Forbidden("only administrators and provider staff can import listings")
    return [
        Problem(
            "provider_slug",
            f"{r.provider.slug!r} is not your organization ({own_slug})",
            code="forbidden",
            line=r.line,
        )
        for r in records
        if r.provider.slug != own_slug
    ]


def import_records(
    store: Store,
    parsed: ParsedFile,
    *,
    source: str,
    actor: User | None = None,
    strict: bool = False,
    is_demo: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write every valid record atomically; ``strict`` refuses the whole file on any problem."""
    records, problems = _deduplicate(parsed.records)
    problems = parsed.problems + problems
    report = ImportReport(rows=parsed.rows_read)
    with store.write() as conn:
        own_slug = None
        if actor is not None and actor.organization_id is not None:
            own_slug = org_repo.get(conn, actor.organization_id).slug
        scope_problems = _scope(records, actor, own_slug)
        bad_lines = {p.line for p in scope_problems}
        records = [r for r in records if r.line not in bad_lines]
        problems = sorted(problems + scope_problems, key=lambda p: (p.line or 0, p.location))
        if strict and problems:
            raise InvalidInput(
                f"{len({p.line for p in problems})} row(s) have errors; nothing was imported "
                "(--strict)",
                problems,
            )
        report.rejected = problems
        org_ids = _ensure_organizations(conn, records, report)
        existing = listing_repo.existing_keys(
            conn, [(org_ids[r.provider.slug], r.listing.external_id or "") for r in records]
        )
        new: list[NewListing] = []
        for done, record in enumerate(records, start=1):
            item = NewListing(org_ids[record.provider.slug], record.listing, source, is_demo)
            found = existing.get((item.organization_id, record.listing.external_id or ""))
            if found is None:
                new.append(item)
            elif found[1] == item.content_hash:
                report.unchanged += 1
            else:
                listing_repo.replace(conn, found[0], item)
                report.updated += 1
            if progress and done % 1000 == 0:
                progress(1000)
        listing_repo.insert_many(conn, new)
        report.inserted = len(new)
        if progress:
            progress(len(records) % 1000)
    return report


def _ensure_organizations(
    conn: Connection, records: list[ImportRecord], report: ImportReport
) -> dict[str, int]:
    wanted = {r.provider.slug: r.provider for r in records}
    ids = org_repo.ids_by_slug(conn, wanted)
    for slug, data in wanted.items():
        if slug not in ids:
            ids[slug] = org_repo.create(conn, data).id
            report.organizations_created += 1
    return ids
