"""The active catalogue as arrays, for planning: facts per listing and a listing × skill matrix.

Planning filters every listing by place, mode, language, cost and intake dates and weighs
what each teaches against a gap; on arrays this takes milliseconds at 100,000 listings,
where reading the rows for each plan would take a second. The index is rebuilt when the
catalogue's fingerprint (row counts and latest change times of listings and skill tags)
moves, so writes by any process are seen by the next plan.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from scipy import sparse
from sqlalchemy import Connection, func, select

from microcred.domain.vocab import DeliveryMode, Province
from microcred.store.schema import listing_skills, listings

PROVINCES = [p.value for p in Province]
MODES = [m.value for m in DeliveryMode]
ONLINE = (MODES.index("online_sync"), MODES.index("online_async"))
StackKey = tuple[int, str]  # (organization id, name of the larger credential)


def fingerprint(conn: Connection) -> tuple[Any, ...]:
    """What changes whenever a listing or a skill tag is added, changed or removed."""
    li, t = listings, listing_skills
    return tuple(
        conn.execute(
            select(
                select(func.count()).select_from(li).scalar_subquery(),
                select(func.max(li.c.updated_at)).scalar_subquery(),
                select(func.count()).select_from(t).scalar_subquery(),
                select(func.max(t.c.tagged_at)).scalar_subquery(),
            )
        ).one()
    )


@dataclass
class CatalogIndex:
    """Active listings as parallel arrays (row i is one listing)."""

    ids: np.ndarray
    org: np.ndarray
    cost_cents: np.ndarray
    hours: np.ndarray
    weeks: np.ndarray  # NaN when not stated
    province: np.ndarray  # index into PROVINCES, -1 when none
    mode: np.ndarray  # index into MODES
    languages: np.ndarray  # bit i set: the listing is taught in language_bits' i-th code
    ctc: np.ndarray
    starts: list[tuple[date, ...]]
    start_group: np.ndarray  # index into start_groups: listings sharing one intake calendar
    start_groups: list[tuple[date, ...]]
    stacks: dict[StackKey, np.ndarray]  # members (rows) of each larger credential
    row_stacks: dict[int, list[StackKey]]
    aimed_at: dict[str, np.ndarray]  # NOC unit group → listings that state it as a target
    language_bits: dict[str, int]
    skills: sparse.csc_matrix  # rows × skill columns, tag scores 0–1
    columns: dict[str, int]  # skill code → column
    row_of: dict[int, int]

    @property
    def size(self) -> int:
        return len(self.ids)

    def language_mask(self, codes: list[str]) -> int:
        return sum(1 << self.language_bits[c] for c in codes if c in self.language_bits)


_SQLITE_FACTS = """
SELECT id, organization_id, cost_cents, hours, weeks, province, delivery_mode, ctc_eligible,
       json_extract(document, '$.languages'), json_extract(document, '$.start_dates'),
       json_extract(document, '$.stacks_into'), json_extract(document, '$.target_nocs')
FROM listings WHERE status = 'active' ORDER BY id
"""
_POSTGRES_FACTS = """
SELECT id, organization_id, cost_cents, hours, weeks, province, delivery_mode, ctc_eligible,
       document -> 'languages', document -> 'start_dates', document -> 'stacks_into',
       document -> 'target_nocs'
FROM listings WHERE status = 'active' ORDER BY id
"""


class _Parsed:
    """JSON values as SQLite (text) or psycopg (parsed) returns them; repeated values
    (language lists, intake calendars) are parsed once."""

    def __init__(self) -> None:
        self._seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value or ()
        found = self._seen.get(value)
        if found is None:
            found = self._seen[value] = json.loads(value) or ()
        return found


def build(conn: Connection) -> CatalogIndex:
    """Read the active catalogue into a ``CatalogIndex``."""
    sql = _POSTGRES_FACTS if conn.dialect.name == "postgresql" else _SQLITE_FACTS
    rows = conn.exec_driver_sql(sql).fetchall()
    n = len(rows)
    bits: dict[str, int] = {}
    masks: dict[tuple[str, ...], int] = {}
    groups: dict[tuple[str, ...], int] = {}
    start_groups: list[tuple[date, ...]] = []
    start_group = np.zeros(n, dtype=np.int32)
    parse = _Parsed()
    languages = np.zeros(n, dtype=np.uint64)
    starts: list[tuple[date, ...]] = []
    stacks: dict[StackKey, list[int]] = defaultdict(list)
    aimed: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        codes = tuple(parse(row[8]))
        mask = masks.get(codes)
        if mask is None:
            mask = masks[codes] = sum(1 << bits.setdefault(c, len(bits)) for c in codes)
        languages[i] = mask
        raw_dates = tuple(parse(row[9]))
        group = groups.get(raw_dates)
        if group is None:
            group = groups[raw_dates] = len(start_groups)
            start_groups.append(tuple(date.fromisoformat(d) for d in raw_dates))
        start_group[i] = group
        starts.append(start_groups[group])
        for name in parse(row[10]):
            stacks[(row[1], name)].append(i)
        for noc in parse(row[11]):
            aimed[noc].append(i)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    row_of = {int(v): i for i, v in enumerate(ids)}
    province_index = {p: i for i, p in enumerate(PROVINCES)}
    mode_index = {m: i for i, m in enumerate(MODES)}
    row_stacks: dict[int, list[StackKey]] = defaultdict(list)
    for key, members in stacks.items():
        for member in members:
            row_stacks[member].append(key)
    return CatalogIndex(
        ids=ids,
        org=np.fromiter((r[1] for r in rows), dtype=np.int64, count=n),
        cost_cents=np.fromiter((r[2] for r in rows), dtype=np.int64, count=n),
        hours=np.fromiter((r[3] for r in rows), dtype=np.float64, count=n),
        weeks=np.fromiter(
            (np.nan if r[4] is None else r[4] for r in rows), dtype=np.float64, count=n
        ),
        province=np.fromiter((province_index.get(r[5], -1) for r in rows), dtype=np.int16, count=n),
        mode=np.fromiter((mode_index[r[6]] for r in rows), dtype=np.int8, count=n),
        languages=languages,
        ctc=np.fromiter((bool(r[7]) for r in rows), dtype=bool, count=n),
        starts=starts,
        start_group=start_group,
        start_groups=start_groups,
        stacks={k: np.array(v, dtype=np.int64) for k, v in stacks.items()},
        row_stacks=dict(row_stacks),
        aimed_at={k: np.array(v, dtype=np.int64) for k, v in aimed.items()},
        language_bits=bits,
        **_skill_matrix(conn, row_of),
        row_of=row_of,
    )


def _skill_matrix(conn: Connection, row_of: dict[int, int]) -> dict[str, Any]:
    t = listing_skills
    columns: dict[str, int] = {}
    rows, cols, scores = [], [], []
    found = conn.execute(select(t.c.listing_id, t.c.code, t.c.score)).fetchall()
    for listing_id, code, score in found:
        row = row_of.get(listing_id)
        if row is None:  # an archived listing
            continue
        rows.append(row)
        cols.append(columns.setdefault(code, len(columns)))
        scores.append(score)
    matrix = sparse.csc_matrix(
        (np.array(scores, dtype=np.float64), (rows, cols)),
        shape=(len(row_of), max(1, len(columns))),
    )
    return {"skills": matrix, "columns": columns}
