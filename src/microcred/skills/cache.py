"""Engine artefacts computed once per reference-data version and kept in the store
(``engine_cache``), so every process and web worker reads them instead of recomputing."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import IntegrityError

from microcred.store.engine import Store
from microcred.store.schema import engine_cache


def lookup(store: Store, name: str, fingerprint: str) -> bytes | None:
    """The payload stored under ``name`` for ``fingerprint``, if any."""
    with store.read() as conn:
        row = conn.execute(
            select(engine_cache.c.payload).where(
                engine_cache.c.name == name, engine_cache.c.fingerprint == fingerprint
            )
        ).first()
    return bytes(row.payload) if row is not None else None


def keep(store: Store, name: str, fingerprint: str, payload: bytes) -> None:
    """Store ``payload`` under ``name``, replacing any other version. When another process
    stores one at the same moment (web workers training side by side), the first stays."""
    try:
        with store.write() as conn:
            conn.execute(delete(engine_cache).where(engine_cache.c.name == name))
            conn.execute(
                engine_cache.insert().values(
                    name=name,
                    fingerprint=fingerprint,
                    created_at=datetime.now(UTC),
                    payload=payload,
                )
            )
    except IntegrityError:
        pass


def cached(store: Store, name: str, fingerprint: str, build: Callable[[], bytes]) -> bytes:
    """The payload stored under ``name`` for ``fingerprint``, built (and stored, replacing
    any other version) when there is none."""
    found = lookup(store, name, fingerprint)
    if found is None:
        found = build()
        keep(store, name, fingerprint, found)
    return found


CLAIM_FRESH = timedelta(minutes=30)  # a claim older than this is abandoned (its process died)


def _held(conn: Connection, name: str, fingerprint: str, fresh: timedelta) -> bool:
    row = conn.execute(
        select(engine_cache.c.fingerprint, engine_cache.c.created_at).where(
            engine_cache.c.name == f"{name}:claim"
        )
    ).first()
    return (
        row is not None
        and row.fingerprint == fingerprint
        and datetime.now(UTC) - row.created_at < fresh
    )


def claim(
    store: Store, name: str, fingerprint: str, *, fresh: timedelta = CLAIM_FRESH
) -> str | None:
    """Claim the building of ``name`` for ``fingerprint``: the claim's token, or None while
    another process holds a fresh claim on it (web workers starting together build it once,
    not once each)."""
    token = secrets.token_hex(16)
    try:
        with store.write() as conn:
            if _held(conn, name, fingerprint, fresh):
                return None
            conn.execute(delete(engine_cache).where(engine_cache.c.name == f"{name}:claim"))
            conn.execute(
                engine_cache.insert().values(
                    name=f"{name}:claim",
                    fingerprint=fingerprint,
                    created_at=datetime.now(UTC),
                    payload=token.encode(),
                )
            )
    except IntegrityError:  # another process claimed it at the same moment
        return None
    return token


def release(store: Store, name: str, token: str) -> None:
    """Give up the claim ``token`` names (once it lapsed, another process's stays)."""
    with store.write() as conn:
        conn.execute(
            delete(engine_cache).where(
                engine_cache.c.name == f"{name}:claim", engine_cache.c.payload == token.encode()
            )
        )


def claimed(store: Store, name: str, fingerprint: str, *, fresh: timedelta = CLAIM_FRESH) -> bool:
    """Whether a process holds a fresh claim on building ``name`` for ``fingerprint``."""
    with store.read() as conn:
        return _held(conn, name, fingerprint, fresh)
