"""``mc.search``: query the catalogue, and keep the index in step with the store."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from threading import Lock

from sqlalchemy.engine import make_url

from microcred.search import documents, outbox
from microcred.search.embedded import EmbeddedIndex
from microcred.search.model import Filters, Found, SearchPage, SearchRequest
from microcred.search.postgres import PostgresIndex
from microcred.search.query import ParsedQuery, parse
from microcred.search.related import Reader, Related
from microcred.search.replica import Replica
from microcred.skills.engine import Skills
from microcred.store.engine import Freshness, Store

Progress = Callable[[int], None]
BATCH = 5000
# Changes made by other processes are applied by them, or by this one within this delay;
# this process's own writes are always applied before its next search.
OTHERS_DELAY = 1.0  # seconds
FUZZY_MAX_WORDS = 2  # typo tolerance for short queries that found nothing
OCCUPATION_MAX_WORDS = 6  # a query that finds less than a page is read as an occupation
# The whole catalogue's facet counts (the search page before any choice) are reused this
# long, or until this process applies a change: a million listings take ~0.1 s to count.
BROWSE_FRESH = 10.0  # seconds
ANALYZE_AFTER = 10_000  # changes: then refresh PostgreSQL's planner statistics


def default_index_path(database_url: str) -> Path | None:
    """The embedded index of an SQLite file lives beside it (None for in-memory SQLite, and
    for PostgreSQL, whose machines keep a replica only where one is configured)."""
    url = make_url(database_url)
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database).with_name(Path(database).name + ".search")


class Search:
    """One search interface; the engine follows the store (decision 0007): an embedded
    index for SQLite; on PostgreSQL, its full-text table, or this machine's embedded replica
    once built when ``index_path`` is given."""

    def __init__(
        self, store: Store, index_path: Path | None = None, skills: Skills | None = None
    ) -> None:
        self._store = store
        self._reader = Reader(skills) if skills is not None else None
        self._index_path = index_path
        self._temporary: Path | None = None
        self._embedded: EmbeddedIndex | None = None
        self._postgres = PostgresIndex() if store.dialect == "postgresql" else None
        self._replica = (
            Replica(store, index_path) if self._postgres and index_path is not None else None
        )
        self._open_lock = Lock()
        self._sync_lock = Lock()
        self._synced = Freshness(store, OTHERS_DELAY)
        self._browsed = Freshness(store, BROWSE_FRESH)
        self._counted: tuple[int, dict[str, dict[str, int]]] | None = None  # total, facets

    # --- index upkeep ----------------------------------------------------------------------
    def _index(self) -> EmbeddedIndex:
        with self._open_lock:
            if self._embedded is None:
                path = self._index_path
                if path is None:
                    self._temporary = path = Path(tempfile.mkdtemp(prefix="microcred-search-"))
                index = EmbeddedIndex(path)
                if index.fresh:  # a new (or wiped) index: every listing must go in
                    with self._store.write() as conn:
                        outbox.enqueue_all(conn)
                self._embedded = index
            return self._embedded

    def pending(self) -> int:
        """Listing changes not yet applied to the index (a new embedded index needs every
        listing, whatever older entries say), and to this machine's replica if any."""
        if self._postgres is None:
            self._index()
        with self._store.read() as conn:
            waiting = outbox.count(conn, outbox.last(conn))
        return waiting + (self._replica.pending() if self._replica else 0)

    @property
    def engine(self) -> str:
        """What answers searches now: "embedded", "replica" or "postgresql"."""
        if self._postgres is None:
            return "embedded"
        return "replica" if self._replica and self._replica.ready else "postgresql"

    def sync(self, progress: Progress | None = None, *, build: bool = True) -> int:
        """Apply the outbox to the index, and to this machine's replica (built first if need
        be, unless ``build`` is false); returns the listing changes the index answering
        searches took in. Safe to run in many processes at once: one applies, the others
        return 0 at once."""
        with self._sync_lock:
            stamp = self._synced.stamp()
            if self._postgres is not None:
                applied = self._sync_postgres(self._postgres, progress)
                replica = self._replica
                if replica is not None and (build or replica.ready):  # what answers, counted
                    applied = replica.sync(progress)
            else:
                applied = self._sync_embedded(self._index(), progress)
            if applied is None:  # another process is applying: look again next time
                return 0
            self._synced.renew(stamp)
            return applied

    def _maybe_sync(self) -> None:
        """Apply the outbox when this process wrote since, or others may have. A replica
        that was never built is built in the background, while PostgreSQL answers."""
        if self._synced.stale():
            self.sync(build=False)
            if self._replica is not None and not self._replica.ready:
                self._replica.build_in_background()

    def _sync_embedded(self, index: EmbeddedIndex, progress: Progress | None) -> int | None:
        with self._store.read() as conn:
            upto = outbox.last(conn)
        if not upto:
            return 0
        if not index.begin():
            return None
        after = applied = 0
        try:
            while True:
                with self._store.read() as conn:
                    rows = outbox.batch(conn, after, upto, BATCH)
                    if not rows:
                        break
                    found, gone = documents.load(conn, sorted({i for _, i in rows}))
                index.apply(found, gone)
                after, applied = rows[-1][0], applied + len(rows)
                if progress:
                    progress(len(rows))
            index.commit()
        except BaseException:
            index.abandon()
            raise
        with self._store.write() as conn:
            outbox.done(conn, upto)
        return applied

    def _sync_postgres(self, index: PostgresIndex, progress: Progress | None) -> int | None:
        with self._store.read() as conn:
            upto = outbox.last(conn)
        after = applied = 0
        while upto:
            with self._store.write() as conn:
                if not index.begin(conn):
                    return None
                rows = outbox.batch(conn, after, upto, BATCH)
                if not rows:
                    break
                found, gone = documents.load(conn, sorted({i for _, i in rows}))
                index.apply(found, gone)
                outbox.remove(conn, [seq for seq, _ in rows])
                index.commit()
            after, applied = rows[-1][0], applied + len(rows)
            if progress:
                progress(len(rows))
        if applied >= ANALYZE_AFTER:
            with self._store.write() as conn:
                index.analyze(conn)
        return applied

    def rebuild(self, progress: Progress | None = None) -> int:
        """Drop the index and index every listing again."""
        with self._sync_lock:
            if self._postgres is not None:
                with self._store.write() as conn:
                    self._postgres.clear(conn)
                    outbox.enqueue_all(conn)
                if self._replica is not None:
                    self._replica.forget()
            else:
                self._index().clear()
                with self._store.write() as conn:
                    outbox.enqueue_all(conn)
        return self.sync(progress)

    # --- queries ---------------------------------------------------------------------------
    def query(self, request: SearchRequest) -> SearchPage:
        """One page of results with facet counts. Raises InvalidInput for a bad request."""
        request.check()
        parsed = parse(request.text)
        self._maybe_sync()
        if request.facets and parsed.empty and not parsed.excluded and request.filters == Filters():
            return self._browse(request, parsed)
        related = self._related(parsed) if parsed.occupation else None
        hits, total, facets = self._run(request, parsed, related=related)
        few = total < request.per_page and len(parsed.terms) <= OCCUPATION_MAX_WORDS
        if related is None and parsed.terms and few:
            related = self._related(parsed)
            if related is not None:
                hits, total, facets = self._run(request, parsed, related=related)
        short = parsed.terms and len(parsed.terms) <= FUZZY_MAX_WORDS
        if not total and short and not (parsed.phrases or parsed.prefixes):
            hits, total, facets = self._run(request, parsed, fuzzy=True)
            return SearchPage(hits, total, facets, request, fuzzy=bool(total))
        return SearchPage(hits, total, facets, request, related=related)

    def _browse(self, request: SearchRequest, parsed: ParsedQuery) -> SearchPage:
        """Every listing with facet counts; the counts are reused (``BROWSE_FRESH``), the
        page of hits is always read."""
        counted = self._counted
        if counted is None or self._browsed.stale():
            stamp = self._browsed.stamp()
            hits, total, facets = self._run(request, parsed)
            self._counted = (total, facets)
            self._browsed.renew(stamp)
            return SearchPage(hits, total, facets, request)
        hits, _, _ = self._run(replace(request, facets=False), parsed)
        return SearchPage(hits, *counted, request)

    def prepare_reading(self) -> None:
        """Build now what reading queries as occupations needs (otherwise the first query
        that would be read starts it in the background and is not read)."""
        if self._reader is not None:
            self._reader.warm()

    def _related(self, parsed: ParsedQuery) -> Related | None:
        """The occupation the query's words name, when the skills engine is sure."""
        if self._reader is None or not parsed.terms:
            return None
        return self._reader.related(" ".join(parsed.terms))

    def _run(
        self,
        request: SearchRequest,
        parsed: ParsedQuery,
        *,
        fuzzy: bool = False,
        related: Related | None = None,
    ) -> Found:
        if self._replica is not None and self._replica.ready:
            return self._replica.index.search(request, parsed, fuzzy=fuzzy, related=related)
        if self._postgres is not None:
            with self._store.read() as conn:
                return self._postgres.search(conn, request, parsed, fuzzy=fuzzy, related=related)
        return self._index().search(request, parsed, fuzzy=fuzzy, related=related)

    def close(self) -> None:
        self._embedded = None
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None
