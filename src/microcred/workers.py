"""Worker processes for CPU-bound bulk work (big imports, big demo catalogues).

``forkserver`` workers inherit no threads or locks from the parent (which may be running a
progress bar or a web server); the modules named in ``preload`` are imported once in the fork
server, so each worker starts without importing pydantic and microcred again.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def ordered_map(
    fn: Callable[..., T], jobs: Iterable[tuple[Any, ...]], *, workers: int, preload: list[str]
) -> Iterator[T]:
    """``fn(*job)`` for each job in ``workers`` processes; results in job order, with at most
    two jobs per worker in flight (memory stays flat however many jobs there are)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    pending: deque[Future[T]] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for job in jobs:
            pending.append(pool.submit(fn, *job))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
