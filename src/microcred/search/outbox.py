"""The search outbox: listing ids whose index entry is stale, oldest first (filled by
database triggers, so every write path is covered, in the writing transaction)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, select

from microcred.store.schema import listings, search_outbox

t = search_outbox


def last(conn: Connection) -> int:
    """The newest entry's sequence number (0 when empty)."""
    return int(conn.execute(select(func.max(t.c.seq))).scalar() or 0)


def count(conn: Connection, upto: int) -> int:
    return int(conn.execute(select(func.count()).where(t.c.seq <= upto)).scalar() or 0)


def batch(conn: Connection, after: int, upto: int, limit: int) -> list[tuple[int, int]]:
    """(seq, listing id) entries after ``after`` up to ``upto``, oldest first."""
    query = (
        select(t.c.seq, t.c.listing_id)
        .where(t.c.seq > after, t.c.seq <= upto)
        .order_by(t.c.seq)
        .limit(limit)
    )
    return [(int(s), int(i)) for s, i in conn.execute(query)]


def done(conn: Connection, upto: int) -> None:
    """Drop every entry up to ``upto`` (one writer at a time: SQLite)."""
    conn.execute(delete(t).where(t.c.seq <= upto))


def remove(conn: Connection, seqs: list[int]) -> None:
    """Drop exactly these entries. On PostgreSQL an entry numbered lower may commit after
    a batch was read: ``done`` would drop it unapplied."""
    conn.execute(delete(t).where(t.c.seq.in_(seqs)))


def enqueue_all(conn: Connection) -> None:
    """Queue every listing (a new or rebuilt index), replacing what was queued."""
    conn.execute(delete(t))
    conn.execute(
        insert(t).from_select(["listing_id"], select(listings.c.id).order_by(listings.c.id))
    )
