"""Loading reference datasets into the store: parsed first, written beside, switched at once.

1. The dataset is read and checked in memory; a bad file stops here, nothing is written.
2. Its rows are written under a new load in state ``loading`` (invisible to queries).
3. One transaction retires the active load and activates the new one.
4. The retired load is deleted. A crash anywhere leaves the previous version in use; the
   leftovers are removed by the next load.

A load whose input files are byte-identical to the active one's is skipped (idempotent).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from microcred.errors import InvalidInput
from microcred.reference import active, cops, crosswalks, esco, noc, oasis, onet
from microcred.reference.files import Source, sha256_file
from microcred.reference.model import TABLES, Parsed
from microcred.store import bulk, schema
from microcred.store.engine import Store

Parser = Callable[[Source, Connection], Parsed]

DATASETS: dict[str, Parser] = {
    "noc": lambda source, _: noc.parse(source),
    "oasis": lambda source, _: oasis.parse(source),
    "cops": lambda source, _: cops.parse(source),
    "esco": lambda source, _: esco.parse(source),
    "onet": lambda source, _: onet.parse(source),
    "crosswalk": crosswalks.parse,  # derives NOC-ESCO from the others: load it last
}
TITLES = {
    "noc": "NOC 2021 structure (Statistics Canada)",
    "oasis": "OaSIS 2023 (ESDC)",
    "cops": "COPS 2024-2033 projections (ESDC)",
    "esco": "ESCO v1.1.1 (European Commission)",
    "onet": "O*NET 29.2 (U.S. Department of Labor)",
    "crosswalk": "NOC-O*NET crosswalk and NOC-ESCO links",
}
Progress = Callable[[str, str], None]


@dataclass
class LoadResult:
    dataset: str
    version: str
    status: str  # loaded | unchanged
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def select_datasets(names: list[str] | None) -> list[str]:
    """Datasets in load order; unknown names are an error that lists the known ones."""
    if not names:
        return list(DATASETS)
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise InvalidInput(
            f"unknown dataset(s) {', '.join(unknown)}; choose from {', '.join(DATASETS)}"
        )
    return [d for d in DATASETS if d in names]


def _fingerprint(parsed: Parsed, extra: str) -> str:
    digest = hashlib.sha256(extra.encode())
    for path in sorted(parsed.files):
        digest.update(f"{path.name}:{sha256_file(path)}\n".encode())
    return digest.hexdigest()


class ReferenceLoader:
    """Loads datasets from a folder of publishers' files into the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load(
        self,
        root: Path,
        datasets: list[str] | None = None,
        *,
        force: bool = False,
        progress: Progress | None = None,
    ) -> list[LoadResult]:
        if not root.is_dir():
            raise InvalidInput(
                f"{root} is not a folder of reference data (see `microcred data fetch`)"
            )
        source = Source(root)
        results = []
        for dataset in select_datasets(datasets):
            results.append(self.load_one(source, dataset, force=force, progress=progress))
        return results

    def load_one(
        self, source: Source, dataset: str, *, force: bool = False, progress: Progress | None = None
    ) -> LoadResult:
        say = progress or (lambda _d, _m: None)
        started = time.perf_counter()
        say(dataset, "reading")
        with self.store.read() as conn:
            parsed = DATASETS[dataset](source, conn)
            current = active.load_ids(conn)
        inputs = {d: i for d, i in current.items() if d in ("noc", "oasis", "esco", "onet")}
        extra = repr(sorted(inputs.items())) if dataset == "crosswalk" else ""
        fingerprint = _fingerprint(parsed, extra)
        if not force and self._active_fingerprint(dataset) == fingerprint:
            return LoadResult(
                dataset,
                parsed.version,
                "unchanged",
                parsed.counts,
                parsed.notes,
                time.perf_counter() - started,
            )
        say(dataset, "writing")
        self._clean(dataset)
        load_id = self._write(parsed, source, fingerprint)
        say(dataset, "switching")
        with self.store.write() as conn:
            now = datetime.now(UTC)
            table = schema.reference_loads
            conn.execute(
                update(table)
                .where(table.c.dataset == dataset, table.c.state == "active")
                .values(state="retired")
            )
            conn.execute(
                update(table).where(table.c.id == load_id).values(state="active", finished_at=now)
            )
        self._clean(dataset)
        return LoadResult(
            dataset,
            parsed.version,
            "loaded",
            parsed.counts,
            parsed.notes,
            time.perf_counter() - started,
        )

    def _active_fingerprint(self, dataset: str) -> str | None:
        table = schema.reference_loads
        with self.store.read() as conn:
            query = select(table.c.fingerprint).where(
                table.c.dataset == dataset, table.c.state == "active"
            )
            return conn.execute(query).scalar_one_or_none()

    def _write(self, parsed: Parsed, source: Source, fingerprint: str) -> int:
        table = schema.reference_loads
        with self.store.write() as conn:
            load_id = conn.execute(
                insert(table)
                .values(
                    dataset=parsed.dataset,
                    version=parsed.version,
                    state="loading",
                    source=str(source.root.resolve()),
                    fingerprint=fingerprint,
                    counts=parsed.counts,
                    notes=parsed.notes[:200]
                    + (
                        [f"… and {len(parsed.notes) - 200} more"] if len(parsed.notes) > 200 else []
                    ),
                    started_at=datetime.now(UTC),
                )
                .returning(table.c.id)
            ).scalar_one()
            for name in TABLES:
                bulk.insert_rows(
                    conn, schema.metadata.tables[name], parsed.rows[name], load_id=load_id
                )
        return int(load_id)

    def _clean(self, dataset: str) -> None:
        """Delete loads of ``dataset`` that are not active (retired, or left by a crash)."""
        table = schema.reference_loads
        with self.store.write() as conn:
            stale = (
                conn.execute(
                    select(table.c.id).where(table.c.dataset == dataset, table.c.state != "active")
                )
                .scalars()
                .all()
            )
            if not stale:
                return
            for name in TABLES:
                target = schema.metadata.tables[name]
                conn.execute(delete(target).where(target.c.load_id.in_(stale)))
            conn.execute(delete(table).where(table.c.id.in_(stale)))


def status(store: Store) -> list[dict[str, Any]]:
    """One entry per dataset: loaded version, counts, source, load time (or not loaded)."""
    table = schema.reference_loads
    with store.read() as conn:
        rows = {r.dataset: r for r in conn.execute(select(table).where(table.c.state == "active"))}
    entries = []
    for dataset in DATASETS:
        row = rows.get(dataset)
        entry: dict[str, Any] = {
            "dataset": dataset,
            "title": TITLES[dataset],
            "loaded": row is not None,
        }
        if row is not None:
            entry.update(
                version=row.version,
                counts=row.counts,
                notes=row.notes,
                source=row.source,
                loaded_at=row.finished_at.isoformat() if row.finished_at else None,
                load_seconds=round((row.finished_at - row.started_at).total_seconds(), 1)
                if row.finished_at
                else None,
                fingerprint=row.fingerprint,
            )
        entries.append(entry)
    return entries
