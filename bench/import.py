"""Import throughput: 100,000 template-CSV rows into a fresh SQLite database.

Prints one JSON document. microcred imports as `microcred import` does (validation in one
process per core for big files; `--serial` also times one process). The baseline, measured in the same run on the same rows, is a bare
`executemany` of the raw CSV rows into one SQLite table (no validation, no JSON): it shows how
much of the time is microcred's own work (parsing, validation, hashing, upserting).

    python bench/import.py [--rows 100000] [--engine sqlite|postgresql] [--serial]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from microcred import Microcred, Settings
from microcred.demo.generator import generate
from microcred.formats import csv_template


def make_csv(rows: int) -> bytes:
    """The demo generator's listings, written in the CSV template."""
    out = io.StringIO()
    csv_template.write(((r.listing, r.provider) for r in generate(rows)), out)
    return out.getvalue().encode()


def baseline(data: bytes, path: Path) -> float:
    """Raw sqlite3 executemany of the same cells (a floor, not a competitor)."""
    rows = list(csv.reader(io.StringIO(data.decode())))
    conn = sqlite3.connect(path)
    columns = ", ".join(f'"{c}" TEXT' for c in rows[0])
    conn.execute(f"CREATE TABLE raw ({columns})")
    start = time.perf_counter()
    with conn:
        conn.executemany(f"INSERT INTO raw VALUES ({', '.join('?' * len(rows[0]))})", rows[1:])
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run(data: bytes, url: str, workers: int) -> dict[str, float | int]:
    """Import into an empty database, then again (every row unchanged), as the CLI does."""
    with Microcred(Settings(database_url=url)) as mc:
        mc.migrate()
        start = time.perf_counter()
        first = mc.catalog.import_file(io.BytesIO(data), file_format="csv", workers=workers)
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        again = mc.catalog.import_file(io.BytesIO(data), file_format="csv", workers=workers)
        again_s = time.perf_counter() - start
    assert first.rejected == [] and again.unchanged == first.inserted
    return {
        "workers": workers,
        "inserted": first.inserted,
        "import_s": round(first_s, 2),
        "rows_per_s": round(first.inserted / first_s),
        "reimport_unchanged_s": round(again_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--serial", action="store_true", help="also time a one-process import")
    args = parser.parse_args()
    start = time.perf_counter()
    data = make_csv(args.rows)
    generate_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        if args.engine == "sqlite":
            url = f"sqlite:///{tmp}/bench.db"
        else:
            url = os.environ.get("MICROCRED_BENCH_POSTGRES_URL", "")
            if not url:
                raise SystemExit("set MICROCRED_BENCH_POSTGRES_URL to an empty database")
        result = run(data, url, os.cpu_count() or 1)
        serial = run(data, url.replace("bench.db", "serial.db"), 1) if args.serial else None
        floor = baseline(data, Path(tmp) / "baseline.db")
    print(
        json.dumps(
            {
                "benchmark": "import",
                "engine": args.engine,
                "rows": args.rows,
                "csv_mb": round(len(data) / 1e6, 1),
                "generate_csv_s": round(generate_s, 2),
                "microcred": result,
                "microcred_one_process": serial,
                "baseline_raw_sqlite_executemany_s": round(floor, 2),
                "target_s": 20,
                "meets_target": result["import_s"] < 20,
                "cpu_count": os.cpu_count(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
