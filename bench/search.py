"""Catalogue search: microcred beside the bare-engine anchors, same data, same queries, one run.

    python bench/search.py [--sizes 100k,1m] [--engines anchors,sqlite,postgresql,replica] [--http]

For each size, the anchor harness's seeded listings (../shared/bench/search-anchors/gen.py)
are imported into a fresh microcred store through the normal import path, and the search
index is built from it (timed). Then, after one untimed warm-up pass, each of the harness's
200 queries (67 with filters) is timed through the library call (``mc.search.query``):
top 20 without facet counts, and top 20 with all facet counts (place, mode, language, kind,
provider kind, OSAP, CTC, cost ranges). The anchors (bare SQLite FTS5, tantivy, PostgreSQL
FTS; the harness's own classes and timing loop) run in the same invocation. ``postgresql``
is microcred on PostgreSQL answering from its full-text table; ``replica`` adds the same
store answered by an embedded replica (MICROCRED_SEARCH_INDEX_DIR), built afterwards. Every engine
is timed over ``--passes`` passes (3) of the queries and each figure is the median over
passes, as the harness does over its ``--runs``: one pass's p95 is its tenth-slowest query
and moves by a fifth between passes on this machine. The queries with filters and those
without are also summarised apart (``with_filters``, ``without_filters``). ``--http``
also serves the SQLite store with uvicorn (2 workers) and drives /api/v1/search with wrk
over loopback for 20 s. Prints JSON; progress goes to stderr.

Query mapping: text as typed; province=XX → province XX; mode=online → both online modes;
language=en|fr → listings taught in that language (the harness's exact "both" has no
equivalent and maps to en or fr); cost<=N → cost_max; hours<=N → hours_max.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from microcred import Microcred, Settings
from microcred.domain.listing import ListingData
from microcred.domain.organization import OrganizationData
from microcred.formats.records import ImportRecord, ParsedFile
from microcred.search.model import Filters, SearchRequest
from microcred.search.params import MODE_ALIASES

ROOT = Path(__file__).resolve().parents[1]
ANCHORS = ROOT.parent / "shared" / "bench" / "search-anchors"
SIZES = {"100k": 100_000, "1m": 1_000_000}
KINDS = {
    "micro-credential": "MicroCredential",
    "certificate": "Certificate",
    "digital badge": "DigitalBadge",
    "professional certification": "Certification",
    "diploma": "Certificate",
}
MODES = {"online": "online_async", "in-person": "in_person", "hybrid": "hybrid"}
CHUNK = 20_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def anchors_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("search_anchors", ANCHORS / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def data_file(size: str) -> Path:
    path = Path(tempfile.gettempdir()) / "search-bench" / f"listings_{size}.jsonl"
    if not path.exists():
        log(f"generating {path} with the anchor harness's gen.py ...")
        path.parent.mkdir(parents=True, exist_ok=True)
        gen = [sys.executable, str(ANCHORS / "gen.py"), "--n", str(SIZES[size]), "--out", str(path)]
        subprocess.run(gen, check=True)
    return path


def listing(row: dict[str, Any]) -> tuple[OrganizationData, ListingData]:
    title, text, lang = row["title"], row["description"], row["language"]
    fields: dict[str, Any] = {"languages": ["en", "fr"] if lang == "both" else [lang]}
    if lang == "both" and " / " in title:
        fields["title_en"], fields["title_fr"] = title.split(" / ", 1)
    else:
        fields[f"title_{'fr' if lang == 'fr' else 'en'}"] = title
    fields[f"description_{'fr' if lang == 'fr' else 'en'}"] = text
    data = ListingData.model_validate(
        {
            **fields,
            "external_id": str(row["id"]),
            "kind": KINDS.get(row["credential_type"], "Course"),
            "delivery_mode": MODES[row["mode"]],
            "province": row["province"],
            "city": row["city"],
            "cost_cad": row["cost_cad"],
            "hours": max(row["hours"], 1),
        }
    )
    provider = OrganizationData.model_validate(
        {"name_en": row["provider"], "kind": "college", "province": row["province"]}
    )
    return provider, data


def records(path: Path) -> Iterator[list[ImportRecord]]:
    batch: list[ImportRecord] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            provider, data = listing(json.loads(line))
            batch.append(ImportRecord.of(number, provider, data))
            if len(batch) == CHUNK:
                yield batch
                batch = []
    if batch:
        yield batch


def request(query: dict[str, Any], *, facets: bool) -> SearchRequest:
    eq, le = query["eq"], query["le"]
    filters = Filters(
        places=(eq["province"],) if "province" in eq else (),
        modes=MODE_ALIASES.get(eq.get("mode", ""), ()),
        languages=(eq["language"],) if eq.get("language") in ("en", "fr") else (),
        cost_max=le.get("cost_cad"),
        hours_max=le.get("hours"),
    )
    return SearchRequest(query["text"], filters, per_page=20, facets=facets)


def params(query: dict[str, Any]) -> str:
    items = [("q", query["text"])]
    eq, le = query["eq"], query["le"]
    items += [(k, v) for k, v in eq.items() if not (k == "language" and v == "both")]
    items += [("cost_max" if k == "cost_cad" else "hours_max", str(v)) for k, v in le.items()]
    return urlencode(items)


def store_size(mc: Microcred, db: Path | None) -> dict[str, float]:
    if db is not None:
        data = sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())
        index = folder_mb(db.with_name(db.name + ".search"))
        return {"database_mb": round(data / 2**20, 1), "index_mb": index}
    with mc.store.read() as conn:
        total = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
        index = conn.exec_driver_sql("SELECT pg_total_relation_size('listing_search')").scalar()
    sizes = {"database_mb": round(total / 2**20, 1), "index_mb": round(index / 2**20, 1)}
    if mc.settings.search_index_dir is not None:
        sizes["replica_mb"] = folder_mb(mc.settings.search_index_dir)
    return sizes


def folder_mb(folder: Path) -> float:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1)


def run_microcred(
    anchors: ModuleType,
    url: str,
    path: Path,
    queries: list[dict[str, Any]],
    db: Path | None,
    passes: int,
    replica: Path | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Import the listings, build the index and time the queries. With ``replica`` (on
    PostgreSQL), the same store is then timed again through an embedded replica, built
    there (its build timed on its own): the second result, else None."""
    with Microcred(Settings(database_url=url, semantic=False)) as mc:
        mc.migrate()
        started = time.perf_counter()
        for batch in records(path):
            mc.catalog.import_parsed(
                ParsedFile(records=batch, rows_read=len(batch)), source="bench"
            )
        imported = time.perf_counter() - started
        log(f"   imported in {imported:.1f}s; indexing ...")
        result = {"import_s": round(imported, 1), **measured(anchors, mc, queries, db, passes)}
    if replica is None:
        return result, None
    log("   the same store through an embedded replica ...")
    settings = Settings(database_url=url, semantic=False, search_index_dir=replica)
    with Microcred(settings) as mc:
        return result, measured(anchors, mc, queries, db, passes)


def measured(
    anchors: ModuleType,
    mc: Microcred,
    queries: list[dict[str, Any]],
    db: Path | None,
    passes: int,
) -> dict[str, Any]:
    started = time.perf_counter()
    indexed = mc.search.sync()
    build = time.perf_counter() - started
    log(f"   indexed {indexed:,} in {build:.1f}s; searches go to {mc.search.engine}")
    plain = [request(q, facets=False) for q in queries]
    faceted = [request(q, facets=True) for q in queries]
    for r in faceted:  # warm-up
        mc.search.query(r)
    result = {
        "engine": mc.search.engine,
        "index_build_s": round(build, 1),
        **store_size(mc, db),
        "search": timed(anchors, mc.search.query, plain, passes, filtered(queries)),
        "search_with_facets": timed(anchors, mc.search.query, faceted, passes, filtered(queries)),
        "counts": [mc.search.query(r).total for r in plain],
    }
    log(
        f"   search p95 {result['search']['p95_ms']:.2f} ms; with facets "
        f"p95 {result['search_with_facets']['p95_ms']:.2f} ms"
    )
    return result


def run_anchor(
    anchors: ModuleType, name: str, path: Path, queries: list[dict[str, Any]], passes: int
) -> dict[str, Any]:
    args = argparse.Namespace(
        workdir=str(Path(tempfile.gettempdir()) / "search-bench" / "work"),
        dsn="host=127.0.0.1 port=55432 user=postgres dbname=postgres",
        tantivy_heap=1_000_000_000,
        tantivy_threads=2,
        tantivy_docs=False,
    )
    os.makedirs(args.workdir, exist_ok=True)
    lines, rows = anchors.load_docs(str(path))
    engine = anchors.make_engine(name, args)
    phases = engine.build(lines, rows)
    for q in queries:
        engine.search(q)
        engine.facets(q)
    result = {
        "build_s": round(phases["build_s"], 1),
        "search": timed(anchors, engine.search, queries, passes, filtered(queries)),
        "facets": timed(anchors, engine.facets, queries, passes, filtered(queries)),
        "counts": [engine.count(q) for q in queries],
    }
    engine.close(remove=True)
    log(
        f"   {name}: search p95 {result['search']['p95_ms']:.2f}, facets p95 {result['facets']['p95_ms']:.2f}"
    )
    return result


def run_http(url: str, queries: list[dict[str, Any]], seconds: int = 20) -> dict[str, Any]:
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    port = 8765
    env = {**os.environ, "MICROCRED_DATABASE_URL": url, "MICROCRED_SEMANTIC": "false"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "microcred.web.app:app_from_environment",
            "--factory",
            "--workers",
            "2",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        time.sleep(6)
        if server.poll() is not None:
            return {"skipped": f"uvicorn exited ({server.returncode}): is port {port} in use?"}
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            paths = ",".join(json.dumps(f"/api/v1/search?{params(q)}") for q in queries)
            script.write(
                f"local paths = {{{paths}}}\nlocal i = 0\n"
                "request = function()\n  i = i % #paths + 1\n"
                "  return wrk.format('GET', paths[i])\nend\n"
                "done = function(summary, latency, requests)\n"
                '  io.write(string.format(\'JSON {"requests": %d, "seconds": %f, "errors": %d,'
                ' "p50_ms": %f, "p95_ms": %f, "p99_ms": %f}\\n\', summary.requests,'
                " summary.duration / 1e6, summary.errors.status + summary.errors.connect"
                " + summary.errors.read + summary.errors.timeout, latency:percentile(50) / 1000,"
                " latency:percentile(95) / 1000, latency:percentile(99) / 1000))\nend\n"
            )
        command = [
            "wrk",
            "-t2",
            "-c16",
            f"-d{seconds}s",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}",
        ]
        subprocess.run(
            [*command[:3], "-d3s", *command[4:]], capture_output=True, check=True
        )  # warm-up
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        line = next(x for x in output.splitlines() if x.startswith("JSON "))
        found = json.loads(line[5:])
        found["searches_per_s"] = round(found["requests"] / found["seconds"], 1)
        return found
    finally:
        server.terminate()
        server.wait()


def timed(
    anchors: ModuleType, run: Any, queries: list[Any], passes: int, filtered: list[bool]
) -> dict[str, Any]:
    """The harness's summary (p50/p95/p99/mean/max ms) of each of ``passes`` timed passes,
    medians over the passes, with every pass's p95; and the same of the queries with
    filters and of those without (``filtered`` says which)."""
    runs = [anchors.timed_pass(run, queries) for _ in range(passes)]

    def medians(keep: Any) -> dict[str, float]:
        summaries = [
            anchors.summarize([t for t, f in zip(r, filtered, strict=True) if keep(f)])
            for r in runs
        ]
        return {k: statistics.median(s[k] for s in summaries) for k in summaries[0]}

    return {
        **medians(lambda f: True),
        "p95_ms_by_pass": [round(anchors.summarize(r)["p95_ms"], 2) for r in runs],
        "with_filters": medians(lambda f: f),
        "without_filters": medians(lambda f: not f),
    }


def filtered(queries: list[dict[str, Any]]) -> list[bool]:
    """Which of the harness's queries carry filters (67 of the 200)."""
    return [bool(q["eq"] or q["le"]) for q in queries]


def agreement(ours: list[int], theirs: list[int]) -> float:
    same = sum(1 for a, b in zip(ours, theirs, strict=True) if a == b)
    return round(100 * same / len(ours), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100k")
    parser.add_argument("--engines", default="anchors,sqlite,postgresql")
    parser.add_argument("--postgres", default=os.environ.get("MICROCRED_TEST_POSTGRES_URL"))
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--passes", type=int, default=3, help="timed passes per engine")
    args = parser.parse_args()
    anchors = anchors_module()
    queries = anchors.load_queries(str(ANCHORS / "queries.txt"))
    engines = args.engines.split(",")
    report: dict[str, Any] = {"queries": len(queries)}
    for size in args.sizes.split(","):
        path = data_file(size)
        out: dict[str, Any] = {}
        log(f"== {size}")
        if "anchors" in engines:
            names = ["sqlite", "tantivy"] + (["postgres"] if _anchor_pg_up() else [])
            for name in names:
                out[f"anchor_{name}"] = run_anchor(anchors, name, path, queries, args.passes)
        with tempfile.TemporaryDirectory(prefix="mc-search-bench-") as tmp:
            if "sqlite" in engines:
                db = Path(tmp) / "bench.db"
                log("   microcred on SQLite (embedded tantivy index)")
                out["microcred_sqlite"], _ = run_microcred(
                    anchors, f"sqlite:///{db}", path, queries, db, args.passes
                )
                if args.http and size == "100k":
                    out["microcred_sqlite"]["http"] = run_http(f"sqlite:///{db}", queries)
            if "postgresql" in engines and args.postgres:
                log("   microcred on PostgreSQL")
                replica = Path(tmp) / "replica" if "replica" in engines else None
                out["microcred_postgresql"], replicated = run_microcred(
                    anchors, _fresh_pg(args.postgres), path, queries, None, args.passes, replica
                )
                if replicated is not None:
                    out["microcred_postgresql_replica"] = replicated
        ours = out.get("microcred_sqlite", {}).get("counts")
        if ours and "anchor_tantivy" in out:
            out["same_match_count_as_tantivy_percent"] = agreement(
                ours, out["anchor_tantivy"]["counts"]
            )
        for value in out.values():
            if isinstance(value, dict):
                value.pop("counts", None)
        report[size] = out
    print(json.dumps(report, indent=2))


def _anchor_pg_up() -> bool:
    try:
        import psycopg

        psycopg.connect("host=127.0.0.1 port=55432 user=postgres dbname=postgres").close()
    except Exception:
        log("   (anchor PostgreSQL not running: ../shared/bench/search-anchors/pgctl.sh start)")
        return False
    return True


def _fresh_pg(server: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(server).set(drivername="postgresql+psycopg")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS mc_search_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE mc_search_bench"))
    engine.dispose()
    return url.set(database="mc_search_bench").render_as_string(hide_password=False)


if __name__ == "__main__":
    main()
