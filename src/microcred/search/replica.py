"""An embedded index that follows a PostgreSQL store: one per machine, shared by the machine's
web workers, rebuilt from the store when lost (decision 0007).

PostgreSQL's own full-text table (``listing_search``) stays the shared index every worker
can use at once; a replica answers instead once it has been built, in a few milliseconds
where PostgreSQL needs tens to hundreds at a million listings. It follows
``search_changes`` (migration 0009): one row per listing, holding the id of the last
transaction that changed its search entry. Each sync first takes a snapshot (which
transactions have committed), then applies every listing whose row was written by a
transaction the previous sync's snapshot did not see committed, reading each listing as
it is now. A transaction still running at the previous sync is one of those, so a change
is never skipped because its transaction committed late; applying a listing twice is
harmless. The snapshot is kept beside the index, written after the index commits: a
crash between the two only re-applies.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Connection, text

from microcred.search import documents
from microcred.search.embedded import EmbeddedIndex
from microcred.store.engine import Store

log = logging.getLogger(__name__)
Progress = Callable[[int], None]
POSITION = "microcred-position"  # file in the index folder
BATCH = 5000
RETRY_AFTER = 60.0  # seconds after a failed background build

_SNAPSHOT = text("SELECT pg_current_snapshot()::text")
_SNAPSHOT_TEXT = re.compile(r"[0-9]+:[0-9]+:[0-9,]*")
_ALL = text("SELECT id FROM listings WHERE id > :after ORDER BY id LIMIT :n")
# Rows written by a transaction the snapshot ``seen`` did not see committed (ids from its
# oldest running one up, which the index on ``xid`` finds).
_UNSEEN = (
    "FROM search_changes WHERE xid >= :xmin"
    " AND NOT pg_visible_in_snapshot(CAST(CAST(xid AS text) AS xid8), CAST(:seen AS pg_snapshot))"
)
_CHANGED = text(f"SELECT listing_id {_UNSEEN} AND listing_id > :after ORDER BY listing_id LIMIT :n")
_CHANGED_COUNT = text(f"SELECT count(*) {_UNSEEN}")


class Replica:
    """The embedded index at ``path``, kept in step with the PostgreSQL ``store``."""

    def __init__(self, store: Store, path: Path) -> None:
        self._store = store
        self.index = EmbeddedIndex(path)
        self._position_file = path / POSITION
        self._building: threading.Thread | None = None
        self._lock = threading.Lock()
        self._ready = False
        self._failed_at = float("-inf")

    @property
    def ready(self) -> bool:
        """Whether the index holds the whole catalogue (built once, by any process)."""
        if not self._ready and self.position() is not None:
            self.index.index.reload()  # perhaps built by another process: read it now
            self._ready = True
        return self._ready

    def position(self) -> str | None:
        """The snapshot taken when the last sync here began, as PostgreSQL writes it
        ("xmin:xmax:running,…"): what it saw committed is applied (None: never built)."""
        try:
            seen = self._position_file.read_text().strip()
        except FileNotFoundError:
            return None
        return seen if _SNAPSHOT_TEXT.fullmatch(seen) else None

    def pending(self) -> int:
        """Listings to apply at the next sync (every listing, before the first)."""
        since = self.position()
        with self._store.read() as conn:
            if since is None:
                return int(conn.execute(text("SELECT count(*) FROM listings")).scalar_one())
            return int(conn.execute(_CHANGED_COUNT, _unseen(since)).scalar_one())

    def sync(self, progress: Progress | None = None) -> int | None:
        """Apply what changed since the last sync (everything, the first time); the number
        of listings applied, or None when another process is applying."""
        if not self.index.begin():
            return None
        try:
            since = self.position()
            with self._store.read() as conn:
                start = str(conn.execute(_SNAPSHOT).scalar_one())
            if since is None:  # first build: start from nothing, whatever was left here
                self.index.discard_all()
            applied = 0
            for ids in self._batches(since):
                with self._store.read() as conn:
                    found, gone = documents.load(conn, ids)
                self.index.apply(found, gone)
                applied += len(ids)
                if progress:
                    progress(len(ids))
            self.index.commit()
        except BaseException:
            self.index.abandon()
            raise
        self._write_position(start)
        return applied

    def build_in_background(self) -> None:
        """Build the index on a thread of its own (once per process); meanwhile searches
        go to PostgreSQL."""
        with self._lock:
            if time.monotonic() - self._failed_at < RETRY_AFTER:
                return
            if self._building is None or not self._building.is_alive():
                self._building = self._store.spawn(self._build, "search-replica-build")

    def _build(self) -> None:
        try:
            self.sync()
        except Exception:  # on a background thread: say why; PostgreSQL goes on answering
            self._failed_at = time.monotonic()
            log.exception("the search replica at %s could not be built", self.index.path)

    def forget(self) -> None:
        """Make the next sync rebuild the whole index."""
        with contextlib.suppress(FileNotFoundError):
            self._position_file.unlink()
        self._ready = False

    def _batches(self, since: str | None) -> Iterator[list[int]]:
        after = 0
        while True:
            with self._store.read() as conn:
                ids = self._ids(conn, since, after)
            if not ids:
                return
            yield ids
            after = ids[-1]

    @staticmethod
    def _ids(conn: Connection, since: str | None, after: int) -> list[int]:
        if since is None:
            rows = conn.execute(_ALL, {"after": after, "n": BATCH})
        else:
            rows = conn.execute(_CHANGED, {**_unseen(since), "after": after, "n": BATCH})
        return [int(r[0]) for r in rows]

    def _write_position(self, seen: str) -> None:
        temporary = self._position_file.with_name(f"{POSITION}.{os.getpid()}.tmp")
        temporary.write_text(seen)
        temporary.replace(self._position_file)


def _unseen(seen: str) -> dict[str, object]:
    """The parameters of ``_UNSEEN`` for a snapshot's text ("xmin:xmax:running,…")."""
    return {"xmin": int(seen.split(":")[0]), "seen": seen}
