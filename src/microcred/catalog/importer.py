"""Bulk import: validate every record, and write the valid ones in one transaction.

Records arrive in chunks (so that big files are validated on several cores while earlier
chunks are written); everything happens inside one write transaction, so nothing is
committed before the last row is validated, and ``strict`` rolls all of it back on any
problem. Idempotent: records are keyed by (provider, external id); identical content writes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
ANALYZE_EVERY = 20_000  # rows inserted between planner statistics refreshes (PostgreSQL)


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


@dataclass
class _Run:
    """State carried from chunk to chunk within one import."""

    own_slug: str | None
    source: str
    is_demo: bool
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    org_ids: dict[str, int] = field(default_factory=dict)
    new_org_ids: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    since_analyze: int = 0


def _admissible(run: _Run, records: list[ImportRecord]) -> list[ImportRecord]:
    """Drop (and report) rows without a key, repeated keys, and rows outside the actor's scope."""
    kept = []
    for record in records:
        key = (record.provider.slug, record.digest.external_id or "")
        if record.digest.external_id is None:
            message = "is empty; it keys the listing so re-imports update it"
            run.problems.append(Problem("external_id", message, line=record.line))
        elif key in run.seen:
            message = f"{key[1]!r} repeats line {run.seen[key]} for the same provider"
            run.problems.append(Problem("external_id", message, line=record.line))
        elif run.own_slug is not None and record.provider.slug != run.own_slug:
            message = f"{record.provider.slug!r} is not your organization ({run.own_slug})"
            run.problems.append(
                Problem("provider_slug", message, code="forbidden", line=record.line)
            )
        else:
            run.seen[key] = record.line
            kept.append(record)
    return kept


def _write(conn: Connection, run: _Run, records: list[ImportRecord], report: ImportReport) -> None:
    for record in records:
        if record.provider.slug not in run.org_ids:
            ids = org_repo.ids_by_slug(conn, [record.provider.slug])
            if not ids:
                ids = {record.provider.slug: org_repo.create(conn, record.provider).id}
                run.new_org_ids.add(ids[record.provider.slug])
                report.organizations_created += 1
            run.org_ids.update(ids)
    items = [
        NewListing(run.org_ids[r.provider.slug], r.digest, run.source, run.is_demo) for r in records
    ]
    # A provider created by this import has no listings yet: nothing to look up for it.
    existing = listing_repo.existing_keys(
        conn,
        [
            (i.organization_id, i.digest.external_id or "")
            for i in items
            if i.organization_id not in run.new_org_ids
        ],
    )
    new: list[NewListing] = []
    for item in items:
        found = existing.get((item.organization_id, item.digest.external_id or ""))
        if found is None:
            new.append(item)
        elif found[1] == item.digest.content_hash:
            report.unchanged += 1
        else:
            listing_repo.replace(conn, found[0], item)
            report.updated += 1
    listing_repo.insert_many(conn, new)
    report.inserted += len(new)
    run.since_analyze += len(new)
    if run.since_analyze >= ANALYZE_EVERY:
        listing_repo.refresh_statistics(conn)
        run.since_analyze = 0


def _own_slug(conn: Connection, actor: User | None) -> str | None:
    """The organization a provider may import into (None: no restriction)."""
    if actor is None or actor.role is Role.ADMIN:
        return None
    if actor.role is not Role.PROVIDER or actor.organization_id is None:
        raise Forbidden("only administrators and provider staff can import listings")
    return org_repo.get(conn, actor.organization_id).slug


def import_records(
    store: Store,
    chunks: Iterable[ParsedFile],
    *,
    source: str,
    actor: User | None = None,
    strict: bool = False,
    is_demo: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every valid record atomically; ``strict`` refuses the whole file on any problem."""
    report = ImportReport()
    with store.write() as conn:
        run = _Run(_own_slug(conn, actor), source, is_demo)
        for chunk in chunks:
            report.rows += chunk.rows_read
            run.problems += chunk.problems
            records = _admissible(run, chunk.records)
            if not (strict and run.problems):  # strict: keep validating, stop writing
                _write(conn, run, records, report)
            if progress:
                progress(len(chunk.records) + len({p.line for p in chunk.problems}))
        report.rejected = sorted(run.problems, key=lambda p: (p.line or 0, p.location))
        if strict and report.rejected:
            raise InvalidInput(
                f"{report.rejected_lines} row(s) have errors; nothing was imported (--strict)",
                report.rejected,
            )
    return report
