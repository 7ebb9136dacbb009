"""Benchmark: load NOC + OaSIS + COPS + ESCO + O*NET (+ crosswalks) into a fresh SQLite store,
then time occupation lookups by title. Prints JSON.

    python bench/reference_load.py [--data ../shared/data] [--queries 2000]

Targets (issue 3): full load < 60 s on a 2-core machine; lookup by title p95 < 5 ms.
Lookups use real titles drawn (seeded) from the loaded OaSIS example titles, NOC and COPS
titles, typed as users type them (case changed, accents kept), plus 10% prefixes.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from microcred.app import Microcred
from microcred.settings import Settings
from microcred.store.schema import ref_titles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Microcred(Settings(database_url=f"sqlite:///{db}")) as mc:
            mc.migrate()
            started = time.perf_counter()
            results = mc.reference_loader.load(args.data)
            load_seconds = time.perf_counter() - started
            with mc.store.read() as conn:
                titles = list(
                    conn.execute(
                        select(ref_titles.c.title).where(ref_titles.c.unit_group.is_not(None))
                    ).scalars()
                )
            rng = random.Random(2026)
            queries = []
            for _ in range(args.queries):
                title = rng.choice(titles)
                queries.append(
                    title[: max(3, len(title) // 2)]
                    if rng.random() < 0.1
                    else title.upper()
                    if rng.random() < 0.3
                    else title
                )
            for q in queries[:50]:  # warm the page cache
                mc.reference.find_occupations(q, limit=5)
            timings, found = [], 0
            for q in queries:
                t = time.perf_counter()
                found += bool(mc.reference.find_occupations(q, limit=5))
                timings.append((time.perf_counter() - t) * 1000)
            code_timings = []
            for _ in range(500):
                t = time.perf_counter()
                mc.reference.occupation("21231")
                code_timings.append((time.perf_counter() - t) * 1000)
        quantiles = statistics.quantiles(timings, n=100)
        print(
            json.dumps(
                {
                    "benchmark": "reference_load",
                    "engine": "sqlite",
                    "load_seconds": round(load_seconds, 1),
                    "load_target_seconds": 60,
                    "per_dataset_seconds": {r.dataset: round(r.seconds, 1) for r in results},
                    "database_mb": round(db.stat().st_size / 1e6, 1),
                    "title_lookup_ms": {
                        "queries": len(timings),
                        "found": found,
                        "p50": round(quantiles[49], 2),
                        "p95": round(quantiles[94], 2),
                        "p99": round(quantiles[98], 2),
                        "target_p95": 5,
                    },
                    "occupation_by_code_ms_p95": round(
                        statistics.quantiles(code_timings, n=100)[94], 2
                    ),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
