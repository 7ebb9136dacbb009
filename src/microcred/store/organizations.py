"""Organization repository."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from microcred.domain.organization import Organization, OrganizationData
from microcred.errors import Conflict, NotFound
from microcred.store.schema import organizations as t


def _to_model(row: Any) -> Organization:
    values = {k: v for k, v in row._mapping.items() if k != "updated_at"}
    values["ctid"] = values.pop("registry_ctid")
    return Organization.model_validate(values)


def _values(data: OrganizationData) -> dict[str, Any]:
    values = data.model_dump(mode="json")
    values["registry_ctid"] = values.pop("ctid")
    return values


def get(conn: Connection, organization_id: int) -> Organization:
    """Raises NotFound when there is no such organization."""
    row = conn.execute(select(t).where(t.c.id == organization_id)).first()
    if row is None:
        raise NotFound(f"no organization with id {organization_id}")
    return _to_model(row)


def get_by_slug(conn: Connection, slug: str) -> Organization:
    """Raises NotFound when there is no organization with that slug."""
    row = conn.execute(select(t).where(t.c.slug == slug)).first()
    if row is None:
        raise NotFound(f"no organization {slug!r}")
    return _to_model(row)


def ids_by_slug(conn: Connection, slugs: Iterable[str]) -> dict[str, int]:
    """Map the given slugs to ids, leaving out the ones that do not exist."""
    wanted = list(set(slugs))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = conn.execute(select(t.c.slug, t.c.id).where(t.c.slug.in_(chunk)))
        found.update((slug, id_) for slug, id_ in rows)
    return found


def list_all(
    conn: Connection, *, limit: int = 100, offset: int = 0
) -> tuple[list[Organization], int]:
    """One page of organizations ordered by slug, and the total count."""
    total = conn.execute(select(func.count()).select_from(t)).scalar_one()
    rows = conn.execute(select(t).order_by(t.c.slug).limit(limit).offset(offset))
    return [_to_model(r) for r in rows], total


def create(conn: Connection, data: OrganizationData) -> Organization:
    """Raises Conflict when the slug or CTID is taken."""
    if conn.execute(select(t.c.id).where(t.c.slug == data.slug)).first():
        raise Conflict(f"an organization with slug {data.slug!r} already exists")
    if data.ctid and conn.execute(select(t.c.id).where(t.c.registry_ctid == data.ctid)).first():
        raise Conflict(f"an organization with CTID {data.ctid} already exists")
    now = datetime.now(UTC)
    new_id = conn.execute(
        insert(t).values(**_values(data), created_at=now, updated_at=now).returning(t.c.id)
    ).scalar_one()
    return get(conn, new_id)


def update_one(conn: Connection, organization_id: int, data: OrganizationData) -> Organization:
    """Replace an organization's data. Raises NotFound or Conflict."""
    current = get(conn, organization_id)
    if data.slug != current.slug:
        raise Conflict("an organization's slug cannot change once created")
    values = _values(data)
    conn.execute(
        update(t).where(t.c.id == organization_id).values(**values, updated_at=datetime.now(UTC))
    )
    return get(conn, organization_id)
