"""PostgreSQL full-text search: ``listing_search`` rows (migration 0005) hold a weighted
tsvector (titles A, skill and occupation labels B, descriptions C, provider D) built from
accent-folded text in English, French and unstemmed forms, plus the filter columns. Any
number of stateless web workers share it; the outbox is applied in the same transaction
that deletes its entries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from microcred.reference.files import title_key
from microcred.search.documents import SearchDocument
from microcred.search.model import (
    COST_BUCKETS,
    COST_KEYS,
    KINDS,
    MODES,
    PLACES,
    PROVIDER_KINDS,
    Found,
    Hit,
    SearchRequest,
    Sort,
)
from microcred.search.query import ParsedQuery
from microcred.search.related import NEAR_WEIGHT, RRF_K, Related

_LOCK = 7_301_2026  # advisory lock id: one outbox applier at a time
_TSV = """
  setweight(to_tsvector('english', :ten) || to_tsvector('french', :tfr)
            || to_tsvector('simple', :ten || ' ' || :tfr), 'A')
  || setweight(to_tsvector('english', :labels) || to_tsvector('french', :labels)
               || to_tsvector('simple', :labels), 'B')
  || setweight(to_tsvector('english', :ben) || to_tsvector('french', :bfr), 'C')
  || setweight(to_tsvector('simple', :prov), 'D')
"""
_COLUMNS = (
    "title_en, title_fr, skill_labels, provider_name, places, mode, languages, kind, provider, provider_kind,"
    " nocs, skills, cost_cents, hours, weeks, starts, first_start, osap, ctc"
)
_UPSERT = text(
    f"INSERT INTO listing_search (listing_id, tsv, {_COLUMNS}) VALUES (:id, {_TSV},"
    " :title_en, :title_fr, :skill_labels, :provider_name, :places, :mode, :languages, :kind, :provider,"
    " :provider_kind, :nocs, :skills, :cost_cents, :hours, :weeks, :starts, :first_start,"
    " :osap, :ctc) ON CONFLICT (listing_id) DO UPDATE SET tsv = EXCLUDED.tsv, "
    + ", ".join(f"{c.strip()} = EXCLUDED.{c.strip()}" for c in _COLUMNS.split(","))
)
_SORTS = {
    Sort.COST: "cost_cents, listing_id",
    Sort.DURATION: "hours, listing_id",
    Sort.START: "first_start NULLS LAST, listing_id",
}
_ARRAY_COLUMNS = frozenset(("places", "languages", "nocs", "skills"))
_HIT_COLUMNS = (
    "listing_id, title_en, title_fr, skill_labels, places, mode, languages, cost_cents, hours,"
    " weeks, first_start, provider_name"
)
# Facets over closed vocabularies: counted value by value in one pass (names are ours, not
# user input, and checked to be plain words before they are written into SQL).
_KNOWN_FACETS = {
    "place": ("places", sorted(PLACES)),
    "mode": ("mode", sorted(MODES)),
    "kind": ("kind", sorted(KINDS)),
    "provider_kind": ("provider_kind", sorted(PROVIDER_KINDS)),
}
assert all(v.isidentifier() for _, vs in _KNOWN_FACETS.values() for v in vs)
_NEAR_MATCH = "(skills && CAST(:near_skills AS text[]) OR nocs && CAST(:near_nocs AS text[]))"
# How near a listing is to the occupation: its skills among the occupation's, its target.
_NEAR = (
    "cardinality(ARRAY(SELECT unnest(skills) INTERSECT SELECT unnest("
    "CAST(:near_skills AS text[])))) + CASE WHEN nocs && CAST(:near_nocs AS text[])"
    " THEN 3 ELSE 0 END"
)
# Reciprocal rank fusion of the words' ranking and the occupation's, over the matches m.
_FUSED = (
    f"CASE WHEN rank IS NOT NULL THEN 1.0 / ({RRF_K} + row_number() OVER"
    " (ORDER BY rank DESC NULLS LAST, listing_id)) ELSE 0 END"
    f" + CASE WHEN near > 0 THEN {NEAR_WEIGHT} / ({RRF_K} + row_number() OVER"
    " (ORDER BY near DESC, listing_id)) ELSE 0 END"
)


class PostgresIndex:
    fresh = False

    def __init__(self) -> None:
        self._conn: Connection | None = None

    # --- writing (inside the caller's write transaction) ------------------------------------
    def begin(self, conn: Connection) -> bool:
        self._conn = conn
        return bool(
            conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _LOCK}).scalar()
        )

    def apply(self, documents: Sequence[SearchDocument], gone: Sequence[int]) -> None:
        conn = self._conn
        assert conn is not None
        if gone:
            conn.execute(
                text("DELETE FROM listing_search WHERE listing_id = ANY(:ids)"), {"ids": list(gone)}
            )
        if documents:
            conn.execute(_UPSERT, [_row(d) for d in documents])

    def commit(self) -> None:
        self._conn = None

    abandon = commit

    def analyze(self, conn: Connection) -> None:
        """Fresh planner statistics after bulk changes (else the planner guesses scans)."""
        conn.execute(text("ANALYZE listing_search"))

    def clear(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM listing_search"))

    # --- reading ---------------------------------------------------------------------------
    def search(
        self,
        conn: Connection,
        request: SearchRequest,
        parsed: ParsedQuery,
        *,
        fuzzy: bool = False,
        related: Related | None = None,
    ) -> Found:
        params: dict[str, Any] = {}
        where = _filters(request, params)
        tsquery = _tsquery(parsed, params, fuzzy=fuzzy)
        excluded = _excluded(parsed, params)
        if excluded:
            where.append(f"NOT tsv @@ ({excluded})")
        if tsquery and related is not None:  # the words, or the occupation's skills
            params["near_skills"], params["near_nocs"] = list(related.skills), list(related.nocs)
            where.append(f"(tsv @@ ({tsquery}) OR {_NEAR_MATCH})")
            condition = " AND ".join(where)
            rank = f"CASE WHEN tsv @@ ({tsquery}) THEN ts_rank(tsv, ({tsquery})) END"
            return _one_pass(conn, condition, rank, request, params, parsed, related)
        if tsquery:  # matches are a subset: read them once for hits, total and facets
            where.append(f"tsv @@ ({tsquery})")
            condition = " AND ".join(where)
            rank = f"ts_rank(tsv, ({tsquery}))"
            return _one_pass(conn, condition, rank, request, params, parsed)
        condition = " AND ".join(where) or "TRUE"
        order = _SORTS.get(request.sort, "listing_id DESC")
        rows = conn.execute(
            text(
                f"SELECT {_HIT_COLUMNS} FROM listing_search"
                f" WHERE {condition} ORDER BY {order} LIMIT :limit OFFSET :offset"
            ),
            {**params, "limit": request.per_page, "offset": request.offset},
        ).all()
        total, facets = _statistics(conn, condition, params, facets=request.facets)
        hits = [_hit(r, parsed) for r in rows]
        return hits, total, facets


def _fold(value: str) -> str:
    return title_key(value)


def _row(d: SearchDocument) -> dict[str, Any]:
    return {
        "id": d.id,
        "ten": _fold(d.title_en),
        "tfr": _fold(d.title_fr),
        "labels": _fold(" ".join(d.labels)),
        "ben": _fold(d.body_en),
        "bfr": _fold(d.body_fr),
        "prov": _fold(d.provider_name),
        "title_en": d.title_en or None,
        "title_fr": d.title_fr or None,
        "skill_labels": "\n".join(d.labels),
        "provider_name": d.provider_name,
        **d.keywords(),
        "weeks": d.weeks,
        "starts": list(d.starts),
        "first_start": d.first_start,
        "osap": d.osap,
        "ctc": d.ctc,
    }


def _tsquery(parsed: ParsedQuery, params: dict[str, Any], *, fuzzy: bool) -> str:
    """The query words as a tsquery expression over bound parameters (never spliced text)."""
    parts = []
    for i, word in enumerate(parsed.terms):
        params[f"w{i}"] = word
        if fuzzy:  # no exact match: accept a word the index knows that starts alike
            params[f"w{i}"] = word[: max(3, len(word) - 2)]
            parts.append(f"to_tsquery('simple', :w{i} || ':*')")
            continue
        parts.append(
            f"(plainto_tsquery('english', :w{i}) || plainto_tsquery('french', :w{i})"
            f" || plainto_tsquery('simple', :w{i}))"
        )
    if fuzzy:
        return " && ".join(parts)
    for i, prefix in enumerate(parsed.prefixes):
        params[f"p{i}"] = prefix
        parts.append(f"to_tsquery('simple', :p{i} || ':*')")
    for i, phrase in enumerate(parsed.phrases):
        params[f"f{i}"] = " ".join(phrase)
        parts.append(
            f"(phraseto_tsquery('english', :f{i}) || phraseto_tsquery('french', :f{i})"
            f" || phraseto_tsquery('simple', :f{i}))"
        )
    return " && ".join(parts)


def _excluded(parsed: ParsedQuery, params: dict[str, Any]) -> str:
    parts = []
    for i, word in enumerate(parsed.excluded):
        params[f"x{i}"] = word
        parts.append(f"plainto_tsquery('english', :x{i}) || plainto_tsquery('simple', :x{i})")
    return " || ".join(parts)


def _filters(request: SearchRequest, params: dict[str, Any]) -> list[str]:
    f = request.filters
    where = []
    for column, values in f.keywords().items():
        if values:
            params[column] = list(values)
            if column in _ARRAY_COLUMNS:  # any of the listing's values is one of these
                where.append(f"{column} && CAST(:{column} AS text[])")
            else:
                where.append(f"{column} = ANY(:{column})")
    bounds = (
        ("cost_cents >=", None if f.cost_min is None else round(f.cost_min * 100)),
        ("cost_cents <=", None if f.cost_max is None else round(f.cost_max * 100)),
        ("hours >=", f.hours_min),
        ("hours <=", f.hours_max),
        ("weeks <=", f.weeks_max),
        ("osap =", f.osap),
        ("ctc =", f.ctc),
    )
    for i, (test, value) in enumerate(bounds):
        if value is not None:
            params[f"b{i}"] = value
            where.append(f"{test} :b{i}")
    if f.starts_after is not None:
        params["after"] = f.starts_after
        where.append("CAST(:after AS date) <= ANY(starts)")
    return where


def _one_pass(
    conn: Connection,
    condition: str,
    rank: str,
    request: SearchRequest,
    params: dict[str, Any],
    parsed: ParsedQuery,
    related: Related | None = None,
) -> Found:
    """Hits, total and facet counts in one statement: the matches are materialised once,
    then ranked and counted (the facets in one more pass over them). With ``related``, the
    ranking fuses the words' rank and the nearness to the occupation."""
    order = "rank DESC, listing_id" if request.sort is Sort.RELEVANCE else _SORTS[request.sort]
    near, ranked = "", "m"
    if related is not None:
        near = f", {_NEAR} AS near"
        if request.sort is Sort.RELEVANCE:
            ranked, order = f"(SELECT *, {_FUSED} AS fused FROM m) r", "fused DESC, listing_id"
    query = (
        f"WITH m AS MATERIALIZED (SELECT {_HIT_COLUMNS}, kind, provider_kind, osap, ctc,"
        f" {rank} AS rank{near} FROM listing_search WHERE {condition}),"
        f" s AS (SELECT {_stats(facets=request.facets)})"
        f" SELECT s.*, h.* FROM s LEFT JOIN LATERAL (SELECT {_HIT_COLUMNS} FROM {ranked}"
        f" ORDER BY {order} LIMIT :limit OFFSET :offset) h ON TRUE"
    )
    rows = conn.execute(
        text(query), {**params, "limit": request.per_page, "offset": request.offset}
    ).all()
    hits = [_hit(r, parsed, related) for r in rows if r.listing_id is not None]
    return (hits, *_read_stats(rows[0]._mapping, facets=request.facets))


def _statistics(
    conn: Connection, condition: str, params: dict[str, Any], *, facets: bool
) -> tuple[int, dict[str, dict[str, int]]]:
    """The number of matches and, optionally, every facet count: one statement, one pass
    over the matches (materialised once, then counted per facet)."""
    if not facets:
        query = f"SELECT count(*) FROM listing_search WHERE {condition}"
        return int(conn.execute(text(query), params).scalar() or 0), {}
    query = (
        "WITH m AS MATERIALIZED (SELECT places, mode, languages, kind, provider_kind, osap,"
        f" ctc, cost_cents FROM listing_search WHERE {condition}) SELECT {_stats(facets=True)}"
    )
    return _read_stats(conn.execute(text(query), params).one()._mapping, facets=True)


def _stats(*, facets: bool) -> str:
    """Columns over the matches ``m`` (``FROM m`` included): their number and, optionally,
    every facet count in the same single pass — a FILTER count per known value of the
    closed vocabularies (places, modes, kinds, provider kinds, the flags, cost buckets);
    languages, an open set, are grouped."""
    stats = ["count(*) AS total"]
    if facets:
        for name, (column, values) in _KNOWN_FACETS.items():
            for i, value in enumerate(values):
                test = (
                    f"'{value}' = ANY({column})"
                    if column in _ARRAY_COLUMNS
                    else (f"{column} = '{value}'")
                )
                stats.append(f"count(*) FILTER (WHERE {test}) AS f_{name}_{i}")
        for name in ("osap", "ctc"):
            stats.append(f"count(*) FILTER (WHERE {name}) AS f_{name}_true")
        bounds = [b * 100 for b in COST_BUCKETS]
        for i, (low, high) in enumerate(zip(bounds, [*bounds[1:], None], strict=True)):
            upper = f" AND cost_cents < {high}" if high is not None else ""
            stats.append(f"count(*) FILTER (WHERE cost_cents >= {low}{upper}) AS f_cost_{i}")
        stats.append(
            "(SELECT coalesce(json_object_agg(v, n), '{}') FROM (SELECT v, count(*) AS n"
            " FROM m, unnest(languages) AS v GROUP BY v) x) AS f_language"
        )
    return ", ".join(stats) + " FROM m"


def _read_stats(row: Any, *, facets: bool) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and facet counts of a row holding ``_stats`` columns."""
    total = int(row["total"])
    if not (facets and total):
        return total, {}
    found: dict[str, dict[str, int]] = {}
    for name, (_, values) in _KNOWN_FACETS.items():
        counts = {value: int(row[f"f_{name}_{i}"]) for i, value in enumerate(values)}
        found[name] = {value: n for value, n in counts.items() if n}
    found["language"] = {str(k): int(v) for k, v in row["f_language"].items()}
    for name in ("osap", "ctc"):
        yes = int(row[f"f_{name}_true"])
        found[name] = {"true": yes, "false": total - yes}
    found["cost"] = {key: int(row[f"f_cost_{i}"]) for i, key in enumerate(COST_KEYS)}
    return total, found


def _hit(row: Any, parsed: ParsedQuery, related: Related | None = None) -> Hit:
    words = parsed.words
    title = title_key(" ".join(filter(None, (row.title_en, row.title_fr))))
    labels = [label for label in (row.skill_labels or "").split("\n") if label]
    matched = [x for x in labels if any(w in title_key(x) for w in words)]
    if related is not None:
        matched += [x for x in labels if x in related.labels]
    return Hit(
        id=int(row.listing_id),
        score=0.0,
        title_en=row.title_en,
        title_fr=row.title_fr,
        provider=row.provider_name or "",
        cost_cents=int(row.cost_cents),
        hours=float(row.hours),
        weeks=row.weeks,
        mode=row.mode,
        places=tuple(row.places),
        languages=tuple(row.languages),
        first_start=row.first_start,
        matched_terms=tuple(w for w in words if w in title),
        matched_skills=tuple(dict.fromkeys(matched))[:5],
    )
