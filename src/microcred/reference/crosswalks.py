"""Crosswalks: NOC 2021 → O*NET-SOC (published), and NOC ↔ ESCO / ISCO (derived, with path).

The NOC–O*NET crosswalk (Brookfield Institute, MIT licence) maps unit groups to O*NET-SOC
2019 codes. No official NOC ↔ ESCO table exists, so one is derived from the loaded data and
each pair records how it was found and how sure it is:

* ``noc>onet>esco``: a title of a crosswalked O*NET occupation (title or alternate title) is
  a label of the ESCO occupation;
* ``noc>esco``: a NOC title or an OaSIS example title of the unit group is an ESCO label;
* ``noc>esco>isco``: the ISCO-08 unit groups of those ESCO occupations.

Confidence is the share of the unit group's matching titles that point at the counterpart
(so a unit group's ESCO confidences sum to 1), rounded to 3 places.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import Connection, select

from microcred.reference.files import Source
from microcred.reference.model import Parsed, expect
from microcred.store.schema import ref_occupations, ref_titles

from . import active

VERSION = "NOC 2021 - O*NET-SOC 2019 (Brookfield) + derived NOC-ESCO"
FILES = ("crosswalks/noc2021_onet*.csv", "crosswalk*/noc*onet*.csv")
TOP = 10


def parse(source: Source, conn: Connection) -> Parsed:
    parsed = Parsed("crosswalk", VERSION)
    table = source.table(*FILES)
    parsed.used(table.path)
    table.require("noc", "onet")
    onet: dict[str, set[str]] = defaultdict(set)
    for row in table:
        noc, code = row.get("noc").strip(), row.get("onet").strip()
        expect(
            noc.isdigit() and len(noc) <= 5,
            table,
            row,
            "noc",
            f"{noc!r} is not a NOC 2021 unit group code",
        )
        expect(
            len(code) == 10 and code[2] == "-",
            table,
            row,
            "onet",
            f"{code!r} is not an O*NET-SOC code",
        )
        onet[noc.zfill(5)].add(code)
    for noc, codes in sorted(onet.items()):
        for code in sorted(codes):
            parsed.add(
                "ref_crosswalk",
                source_scheme="noc",
                source_code=noc,
                target_scheme="onet",
                target_code=code,
                path="noc>onet",
                confidence=1.0,
            )
    parsed.counts["NOC-O*NET pairs"] = len(parsed.rows["ref_crosswalk"])
    parsed.counts["unit groups with O*NET counterparts"] = len(onet)
    _derive(conn, parsed, onet)
    return parsed


def _derive(conn: Connection, parsed: Parsed, onet: dict[str, set[str]]) -> None:
    loads = active.load_ids(conn)
    needed = [d for d in ("esco", "onet", "noc", "oasis") if d not in loads]
    if needed:
        parsed.notes.append(f"NOC-ESCO not derived: load {', '.join(needed)} first")
        return
    titles: dict[str, dict[str, set[str]]] = defaultdict(
        lambda: defaultdict(set)
    )  # scheme → code → keys
    esco: dict[str, set[str]] = defaultdict(set)  # key → ESCO URIs
    query = select(
        ref_titles.c.scheme, ref_titles.c.occupation, ref_titles.c.unit_group, ref_titles.c.key
    ).where(
        ref_titles.c.load_id.in_([loads[d] for d in ("esco", "onet", "noc", "oasis")]),
        ref_titles.c.lang == "en",
    )
    for scheme, occupation, unit_group, key in conn.execute(query):
        if scheme == "esco":
            esco[key].add(occupation)
        elif scheme == "onet":
            titles["onet"][occupation].add(key)
        elif unit_group:
            titles["noc"][unit_group].add(key)
    groups = dict(
        conn.execute(
            select(ref_occupations.c.code, ref_occupations.c.parent).where(
                ref_occupations.c.load_id == loads["esco"], ref_occupations.c.scheme == "esco"
            )
        ).all()
    )
    pairs = 0
    for noc in sorted(set(titles["noc"]) | set(onet)):
        evidence: dict[str, Counter[str]] = defaultdict(Counter)
        for key in titles["noc"].get(noc, ()):
            for uri in esco.get(key, ()):
                evidence[uri]["noc>esco"] += 1
        for code in onet.get(noc, ()):
            for key in titles["onet"].get(code, ()):
                for uri in esco.get(key, ()):
                    evidence[uri]["noc>onet>esco"] += 1
        total = sum(sum(c.values()) for c in evidence.values())
        if not total:
            continue
        ranked = sorted(evidence.items(), key=lambda item: (-sum(item[1].values()), item[0]))[:TOP]
        isco: dict[str, float] = defaultdict(float)
        for uri, paths in ranked:
            share = sum(paths.values()) / total
            path = "+".join(sorted(paths, key=len, reverse=True))
            parsed.add(
                "ref_crosswalk",
                source_scheme="noc",
                source_code=noc,
                target_scheme="esco",
                target_code=uri,
                path=path,
                confidence=round(share, 3),
            )
            if uri in groups:
                isco[groups[uri]] += share
            pairs += 1
        for group, share in sorted(isco.items(), key=lambda item: -item[1])[:3]:
            parsed.add(
                "ref_crosswalk",
                source_scheme="noc",
                source_code=noc,
                target_scheme="isco",
                target_code=group,
                path="noc>esco>isco",
                confidence=round(share, 3),
            )
    parsed.counts["NOC-ESCO pairs (derived)"] = pairs
    parsed.counts["unit groups with ESCO counterparts"] = len(
        {r["source_code"] for r in parsed.rows["ref_crosswalk"] if r["target_scheme"] == "esco"}
    )
