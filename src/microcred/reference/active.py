"""Which version of each reference dataset is in use."""

from __future__ import annotations

from sqlalchemy import Connection, select

from microcred.store.schema import reference_loads


def load_ids(conn: Connection) -> dict[str, int]:
    """Dataset name → id of its active load (datasets never loaded are absent)."""
    query = select(reference_loads.c.dataset, reference_loads.c.id).where(
        reference_loads.c.state == "active"
    )
    return {row.dataset: row.id for row in conn.execute(query)}
