"""Engines and transactions: SQLite (WAL, foreign keys, BEGIN IMMEDIATE) or PostgreSQL."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from microcred.errors import ConfigurationError

_WRITE = "microcred_write"
# How long closing a store waits for its background work (indexes being built).
CLOSE_WAIT = 10.0

log = logging.getLogger(__name__)


class EncodedJSON(str):
    """JSON text already encoded by the caller; the engine stores it without re-encoding."""

    __slots__ = ()


def _json_serializer(value: Any) -> str:
    if isinstance(value, EncodedJSON):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and route them through psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise ConfigurationError(
            f"unsupported database URL scheme {parsed.drivername!r}: "
            "use sqlite:///path.db or postgresql://user@host/dbname"
        )
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit transactions are off).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            "busy_timeout=10000",
            "synchronous=NORMAL",
            "cache_size=-65536",  # 64 MiB page cache: bulk writes touch many index pages
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # One writer at a time: take the write lock up front so that a read-then-write
        # transaction never fails halfway with SQLITE_BUSY.
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def build_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for ``url`` with microcred's connection settings."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, json_serializer=_json_serializer)
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        echo=echo,
        json_serializer=_json_serializer,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
    )


class Store:
    """Owns the engine; hands out read and write transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Write transactions this process has committed: caches (such as the search index)
        # compare it to know, without a query, whether this process changed anything.
        self.commits = 0
        self._background: list[threading.Thread] = []
        self._background_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, *, echo: bool = False) -> Store:
        """Build a store for a database URL."""
        return cls(build_engine(url, echo=echo))

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (readers run in parallel)."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: all of it commits, or none of it does."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(**{_WRITE: True})
            with connection.begin():
                yield connection
            self.commits += 1

    def spawn(
        self, target: Callable[[], object], name: str, *, awaited: bool = True
    ) -> threading.Thread:
        """Run ``target`` on a daemon thread of its own. :meth:`dispose` waits for it, so
        that no connection it opens outlives the store, unless not ``awaited`` (work of
        minutes, such as training a model, which a closing process gives up)."""
        thread = threading.Thread(target=target, name=name, daemon=True)
        if awaited:
            with self._background_lock:
                self._background = [t for t in self._background if t.is_alive()]
                self._background.append(thread)
        thread.start()
        return thread

    def dispose(self, wait: float = CLOSE_WAIT) -> None:
        """Wait up to ``wait`` seconds for the background work started with :meth:`spawn`,
        then close every pooled connection."""
        deadline = time.monotonic() + wait
        with self._background_lock:
            running, self._background = self._background, []
        for thread in running:
            thread.join(max(0.0, deadline - time.monotonic()))
        if late := [t.name for t in running if t.is_alive()]:
            log.warning("closing the store while background work goes on: %s", ", ".join(late))
        self.engine.dispose()


class Freshness:
    """When something derived from the store was last taken: it may be reused until this
    process commits again, or ``seconds`` have passed (other processes' writes)."""

    def __init__(self, store: Store, seconds: float) -> None:
        self._store = store
        self._seconds = seconds
        self._taken: tuple[int, float] = (-1, float("-inf"))

    def stale(self) -> bool:
        commits, at = self._taken
        return commits != self._store.commits or time.monotonic() - at > self._seconds

    def stamp(self) -> tuple[int, float]:
        """Now, to pass to ``renew`` once what is taken from the store now is in hand."""
        return self._store.commits, time.monotonic()

    def renew(self, stamp: tuple[int, float]) -> None:
        self._taken = stamp
