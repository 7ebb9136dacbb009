"""Listing repository: the JSON document is the truth, the scalar columns serve queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Select, exists, func, insert, select, type_coerce, update
from sqlalchemy.dialects.postgresql import JSONB

from microcred.domain.listing import Listing, ListingData, ListingDigest
from microcred.domain.vocab import ListingStatus
from microcred.errors import NotFound
from microcred.store.engine import EncodedJSON
from microcred.store.schema import listings as t
from microcred.store.schema import organizations as orgs


@dataclass(frozen=True)
class NewListing:
    """A validated listing (as a digest) ready to be written for one organization."""

    organization_id: int
    digest: ListingDigest
    source: str
    is_demo: bool = False

    @classmethod
    def of(cls, organization_id: int, data: ListingData, source: str) -> NewListing:
        """Wrap a validated listing."""
        return cls(organization_id, ListingDigest.of(data), source)


def row_values(item: NewListing, now: Any) -> dict[str, Any]:
    """Column values for ``item`` (shared by insert and update); ``now`` stamps the row."""
    d = item.digest
    return {
        "organization_id": item.organization_id,
        "external_id": d.external_id,
        "source": item.source,
        "title_en": d.title_en,
        "title_fr": d.title_fr,
        "kind": d.kind,
        "delivery_mode": d.delivery_mode,
        "province": d.province,
        "hours": d.hours,
        "weeks": d.weeks,
        "cost_cents": d.cost_cents,
        "status": d.status,
        "osap_eligible": d.osap_eligible,
        "ctc_eligible": d.ctc_eligible,
        "is_demo": item.is_demo,
        "document": EncodedJSON(d.document_json),
        "content_hash": d.content_hash,
        "imported_at": now,
        "updated_at": now,
    }


def _select() -> Select[Any]:
    return select(t, orgs.c.slug.label("organization_slug")).join(
        orgs, orgs.c.id == t.c.organization_id
    )


def to_model(row: Any) -> Listing:
    """Build the domain object from a row of ``_select()``."""
    m = row._mapping
    return Listing.model_validate(
        {
            **m["document"],
            "id": m["id"],
            "organization_id": m["organization_id"],
            "organization_slug": m["organization_slug"],
            "provenance": {"source": m["source"], "imported_at": m["imported_at"]},
            "is_demo": m["is_demo"],
            "created_at": m["created_at"],
            "updated_at": m["updated_at"],
        }
    )


def get(conn: Connection, listing_id: int) -> Listing:
    """Raises NotFound when there is no such listing."""
    row = conn.execute(_select().where(t.c.id == listing_id)).first()
    if row is None:
        raise NotFound(f"no listing with id {listing_id}")
    return to_model(row)


def owner_of(conn: Connection, listing_id: int) -> int:
    """The organization id owning a listing. Raises NotFound."""
    owner = conn.execute(select(t.c.organization_id).where(t.c.id == listing_id)).scalar()
    if owner is None:
        raise NotFound(f"no listing with id {listing_id}")
    return int(owner)


def page(
    conn: Connection,
    *,
    organization_id: int | None = None,
    status: ListingStatus | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Listing], int]:
    """One page of listings (newest first) and the total matching."""
    conditions = []
    if organization_id is not None:
        conditions.append(t.c.organization_id == organization_id)
    if status is not None:
        conditions.append(t.c.status == status.value)
    total = conn.execute(select(func.count()).select_from(t).where(*conditions)).scalar_one()
    rows = conn.execute(
        _select().where(*conditions).order_by(t.c.id.desc()).limit(limit).offset(offset)
    )
    return [to_model(r) for r in rows], total


def iterate(conn: Connection, *, batch: int = 2000) -> Iterable[Listing]:
    """Every listing in id order, fetched in batches (for export)."""
    last = 0
    while True:
        rows = conn.execute(_select().where(t.c.id > last).order_by(t.c.id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield to_model(row)
        last = rows[-1]._mapping["id"]


def existing_keys(
    conn: Connection, keys: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], tuple[int, str]]:
    """For the given (organization id, external id) keys: → (listing id, content hash)."""
    wanted = set(keys)
    external_ids = sorted({ext for _org, ext in wanted})
    found: dict[tuple[int, str], tuple[int, str]] = {}
    query = select(t.c.organization_id, t.c.external_id, t.c.id, t.c.content_hash)
    for start in range(0, len(external_ids), 500):  # served by the (external id, org) index
        chunk = external_ids[start : start + 500]
        for org, ext, id_, digest in conn.execute(query.where(t.c.external_id.in_(chunk))):
            if (org, ext) in wanted:
                found[(org, ext)] = (id_, digest)
    return found


def refresh_statistics(conn: Connection) -> None:
    """Let PostgreSQL's planner see a table that grew inside this transaction (no-op on SQLite).

    Without it, key lookups during a big import are planned for the table as it was before
    the import (possibly empty) and turn into sequential scans.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE listings")


def id_for_external(conn: Connection, organization_id: int, external_id: str) -> int | None:
    """The listing an organization keys as ``external_id``, if any."""
    found = conn.execute(
        select(t.c.id).where(t.c.organization_id == organization_id, t.c.external_id == external_id)
    ).scalar()
    return int(found) if found is not None else None


def insert_many(conn: Connection, items: Sequence[NewListing]) -> None:
    """Insert new listings in batches.

    Big SQLite imports spend much of their time here, so there rows skip SQLAlchemy's per-row
    parameter processing: the statement is compiled once, the shared timestamps are converted
    once with the dialect's own processor, and only the JSON document goes through its
    processor per row.
    """
    if not items:
        return
    dialect = conn.dialect
    now = datetime.now(UTC)
    if dialect.name != "sqlite":
        # psycopg: SQLAlchemy's "insertmanyvalues" sends multi-row VALUES, far fewer round trips.
        conn.execute(insert(t), [{**row_values(i, now), "created_at": now} for i in items])
        return
    columns = [*row_values(items[0], now), "created_at"]
    compiled = insert(t).compile(dialect=dialect, column_keys=columns)
    order = list(compiled.positiontup or [])  # SQLite's paramstyle is positional

    def processor(column: str) -> Any:
        return t.c[column].type.dialect_impl(dialect).bind_processor(dialect)

    stamp = _process(processor("created_at"), now)
    to_json = processor("document")
    rows: list[Any] = []
    for item in items:
        values = row_values(item, stamp)
        values["created_at"] = stamp
        values["document"] = _process(to_json, values["document"])
        rows.append(tuple([values[c] for c in order]))
    sql = str(compiled)
    for start in range(0, len(rows), 5000):
        conn.exec_driver_sql(sql, rows[start : start + 5000])


def _process(processor: Any, value: Any) -> Any:
    return value if processor is None else processor(value)


def create(conn: Connection, item: NewListing) -> Listing:
    """Insert one listing and return it as stored."""
    now = datetime.now(UTC)
    new_id = conn.execute(
        insert(t).values(**row_values(item, now), created_at=now).returning(t.c.id)
    ).scalar_one()
    return get(conn, new_id)


def replace(conn: Connection, listing_id: int, item: NewListing) -> None:
    """Overwrite a listing's content (its owner and creation time stay)."""
    values = row_values(item, datetime.now(UTC))
    values.pop("organization_id")
    values.pop("is_demo")  # demo data stays marked as demo after an edit
    result = conn.execute(update(t).where(t.c.id == listing_id).values(**values))
    if result.rowcount == 0:
        raise NotFound(f"no listing with id {listing_id}")


def for_occupation(conn: Connection, noc: str, *, limit: int) -> list[Listing]:
    """Active listings that name a NOC unit group among their target occupations, newest first."""
    if conn.dialect.name == "postgresql":
        targets = type_coerce(t.c.document, JSONB).contains({"target_nocs": [noc]})  # JSONB @>
    else:
        each = func.json_each(t.c.document, "$.target_nocs").table_valued("value").alias("target")
        targets = exists(select(1).select_from(each).where(each.c.value == noc))
    rows = conn.execute(
        _select()
        .where(t.c.status == ListingStatus.ACTIVE.value, targets)
        .order_by(t.c.id.desc())
        .limit(limit)
    )
    return [to_model(r) for r in rows]
