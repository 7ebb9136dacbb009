"""Looking things up in the loaded reference data: occupations, profiles, outlooks, skills.

Every query reads the *active* load of each dataset, so a reload switching versions in
another process is seen at once and a half-written version never is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, func, select

from microcred.errors import InvalidInput, NotFound
from microcred.reference import active
from microcred.reference.files import title_key
from microcred.store.engine import Store
from microcred.store.schema import (
    ref_crosswalk,
    ref_labels,
    ref_occupations,
    ref_outlooks,
    ref_ratings,
    ref_skills,
    ref_texts,
    ref_titles,
)

NOC = re.compile(r"^\d{1,5}$")
OASIS = re.compile(r"^\d{5}\.\d{2}$")
ONET = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
ESCO = "http://data.europa.eu/esco/"
PROFILE_CATEGORIES = (
    "Skills",
    "Abilities",
    "Knowledge",
    "Work Activities",
    "Personal Attributes",
    "Work Context",
)
MAX_QUERY = 200


@dataclass
class OccupationMatch:
    code: str
    title_en: str
    title_fr: str | None
    matched: str
    how: str  # code | exact | prefix | words


@dataclass
class Rated:
    code: str
    label_en: str
    label_fr: str | None
    score: float
    level: float | None = None
    detail: str | None = None


@dataclass
class Occupation:
    scheme: str
    code: str
    level: int
    title_en: str
    title_fr: str | None
    description_en: str | None
    description_fr: str | None
    data: dict[str, Any]
    ancestors: list[tuple[str, str]] = field(default_factory=list)
    children: list[tuple[str, str]] = field(default_factory=list)
    profiles: list[tuple[str, str]] = field(default_factory=list)
    example_titles: list[str] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return (self.title_fr if lang == "fr" and self.title_fr else self.title_en) or self.code


@dataclass
class Skill:
    scheme: str
    code: str
    kind: str
    label_en: str
    label_fr: str | None
    alt_en: list[str]
    alt_fr: list[str]
    description_en: str | None
    ancestors: list[tuple[str, str]]
    data: dict[str, Any]


def _clean_query(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("q: give a code or some words to look for")
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"q: at most {MAX_QUERY} characters")
    return text


class Reference:
    """Read-only queries over the active reference data."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- occupations -------------------------------------------------------------------

    def find_occupations(self, query: str, *, limit: int = 10) -> list[OccupationMatch]:
        """NOC unit groups by code or by title (EN/FR, accents and case ignored)."""
        query = _clean_query(query)
        limit = max(1, min(limit, 50))
        with self.store.read() as conn:
            loads = active.load_ids(conn)
            if "noc" not in loads:
                raise NotFound("NOC 2021 is not loaded: run `microcred data load`")
            if NOC.match(query) or OASIS.match(query):
                unit = query[:5].zfill(5) if OASIS.match(query) else query.zfill(5)
                found = self._units(conn, loads, [(unit, query, "code")])
                if found:
                    return found
            key = title_key(query)
            if not key:
                return []
            schemes = [loads[d] for d in ("noc", "oasis", "cops") if d in loads]
            base = select(ref_titles.c.unit_group, ref_titles.c.title).where(
                ref_titles.c.load_id.in_(schemes), ref_titles.c.unit_group.is_not(None)
            )
            hits: list[tuple[str, str, str]] = []
            for unit, title in conn.execute(base.where(ref_titles.c.key == key).limit(200)):
                hits.append((unit, title, "exact"))
            if len({h[0] for h in hits}) < limit:
                prefix = base.where(ref_titles.c.key > key, ref_titles.c.key < key + "\uffff")
                for unit, title in conn.execute(prefix.order_by(ref_titles.c.key).limit(200)):
                    hits.append((unit, title, "prefix"))
            if not hits:  # a scan: only when no title starts with the query
                words = key.split()
                condition = and_(*(ref_titles.c.key.like(f"%{w}%") for w in words[:6]))
                for unit, title in conn.execute(
                    base.where(condition).order_by(func.length(ref_titles.c.key)).limit(200)
                ):
                    hits.append((unit, title, "words"))
            return self._units(conn, loads, hits)[:limit]

    def _units(
        self, conn: Connection, loads: dict[str, int], hits: list[tuple[str, str, str]]
    ) -> list[OccupationMatch]:
        seen: dict[str, tuple[str, str]] = {}
        for unit, title, how in hits:
            seen.setdefault(unit, (title, how))
        if not seen:
            return []
        titles = self._noc_titles(conn, loads, list(seen))
        return [
            OccupationMatch(unit, titles[unit][0], titles[unit][1], title, how)
            for unit, (title, how) in seen.items()
            if unit in titles
        ]

    def _noc_titles(
        self, conn: Connection, loads: dict[str, int], codes: list[str]
    ) -> dict[str, tuple[str, str | None]]:
        rows = conn.execute(
            select(ref_occupations.c.code, ref_occupations.c.title_en).where(
                ref_occupations.c.load_id == loads["noc"], ref_occupations.c.code.in_(codes)
            )
        ).all()
        french: dict[str, str] = {}
        if "cops" in loads:
            french = {
                code: title
                for code, title in conn.execute(
                    select(ref_outlooks.c.code, ref_outlooks.c.title_fr).where(
                        ref_outlooks.c.load_id == loads["cops"], ref_outlooks.c.code.in_(codes)
                    )
                )
                if title
            }
        return {code: (title, french.get(code)) for code, title in rows}

    def occupation(self, code: str) -> Occupation:
        """An occupation by NOC code (any level), OaSIS profile, ESCO URI or O*NET-SOC code."""
        code = code.strip()
        if NOC.match(code):
            code = code.zfill(len(code) if len(code) < 5 else 5)
        with self.store.read() as conn:
            loads = active.load_ids(conn)
            dataset = self._occupation_dataset(code)
            if dataset not in loads:
                raise NotFound(
                    f"{code}: {dataset.upper()} is not loaded: run `microcred data load`"
                )
            row = conn.execute(
                select(ref_occupations).where(
                    ref_occupations.c.load_id == loads[dataset], ref_occupations.c.code == code
                )
            ).first()
            if row is None:
                raise NotFound(f"no occupation {code}")
            found = Occupation(
                row.scheme,
                row.code,
                row.level,
                row.title_en,
                row.title_fr,
                row.description_en,
                row.description_fr,
                row.data or {},
            )
            self._family(conn, loads[dataset], found)
            if row.scheme == "noc":
                self._noc_details(conn, loads, found)
            return found

    @staticmethod
    def _occupation_dataset(code: str) -> str:
        if NOC.match(code):
            return "noc"
        if OASIS.match(code):
            return "oasis"
        if ONET.match(code):
            return "onet"
        if code.startswith(ESCO):
            return "esco"
        raise InvalidInput(
            f"{code!r} is not a NOC code (e.g. 21231), an OaSIS profile (21231.00), an ESCO URI or an O*NET-SOC code (15-1252.00)"
        )

    def _family(self, conn: Connection, load_id: int, found: Occupation) -> None:
        t = ref_occupations
        code = found.code
        while True:
            parent_code = conn.execute(
                select(t.c.parent).where(t.c.load_id == load_id, t.c.code == code)
            ).scalar()
            if not parent_code:
                break
            title = conn.execute(
                select(t.c.title_en).where(t.c.load_id == load_id, t.c.code == parent_code)
            ).scalar()
            if title is None:
                break
            found.ancestors.insert(0, (parent_code, title))
            code = parent_code
        found.children = [
            (c, title)
            for c, title in conn.execute(
                select(t.c.code, t.c.title_en)
                .where(t.c.load_id == load_id, t.c.parent == found.code)
                .order_by(t.c.code)
            )
        ]

    def _noc_details(self, conn: Connection, loads: dict[str, int], found: Occupation) -> None:
        if "cops" in loads and found.level == 5:
            found.title_fr = conn.execute(
                select(ref_outlooks.c.title_fr).where(
                    ref_outlooks.c.load_id == loads["cops"], ref_outlooks.c.code == found.code
                )
            ).scalar()
        if "oasis" not in loads or found.level != 5:
            return
        t = ref_occupations
        found.profiles = [
            (c, title)
            for c, title in conn.execute(
                select(t.c.code, t.c.title_en)
                .where(t.c.load_id == loads["oasis"], t.c.parent == found.code)
                .order_by(t.c.code)
            )
        ]
        codes = [c for c, _ in found.profiles]
        found.example_titles = list(
            conn.execute(
                select(ref_titles.c.title).where(
                    ref_titles.c.load_id == loads["oasis"],
                    ref_titles.c.occupation.in_(codes),
                    ref_titles.c.kind == "example",
                )
            ).scalars()
        )
        texts: dict[str, list[str]] = defaultdict(list)
        query = select(ref_texts.c.kind, ref_texts.c.text).where(
            ref_texts.c.load_id == loads["oasis"], ref_texts.c.occupation.in_(codes)
        )
        for kind, text in conn.execute(
            query.order_by(ref_texts.c.occupation, ref_texts.c.kind, ref_texts.c.position)
        ):
            if text not in texts[kind]:
                texts[kind].append(text)
        found.texts = dict(texts)

    def profile(
        self, code: str, *, top: int = 10, categories: tuple[str, ...] = PROFILE_CATEGORIES
    ) -> dict[str, list[Rated]]:
        """A unit group's OaSIS ratings by category, best first (averaged over its profiles)."""
        unit = self._unit(code)
        with self.store.read() as conn:
            loads = active.load_ids(conn)
            if "oasis" not in loads:
                raise NotFound("OaSIS is not loaded: run `microcred data load oasis`")
            r, s = ref_ratings, ref_skills
            query = (
                select(r.c.skill, func.sum(r.c.score), func.avg(r.c.level))
                .where(r.c.load_id == loads["oasis"], r.c.occupation.like(unit + ".%"))
                .group_by(r.c.skill)
            )
            sums = {skill: (float(total), level) for skill, total, level in conn.execute(query)}
            profiles = conn.execute(
                select(func.count()).where(
                    ref_occupations.c.load_id == loads["oasis"], ref_occupations.c.parent == unit
                )
            ).scalar_one()
            grouped: dict[str, list[Rated]] = {c: [] for c in categories}
            skills = select(s.c.code, s.c.label_en, s.c.label_fr, s.c.data).where(
                s.c.load_id == loads["oasis"], s.c.code.in_(list(sums))
            )
            for skill, label_en, label_fr, data in conn.execute(skills):
                category = (data or {}).get("category")
                if category in grouped:
                    # Profiles that do not rate a descriptor rate it 0: average over all of them.
                    total, level = sums[skill]
                    mean = total / max(profiles, 1)
                    grouped[category].append(
                        Rated(
                            skill,
                            label_en,
                            label_fr,
                            round(mean, 2),
                            None if level is None else round(float(level), 2),
                        )
                    )
            for values in grouped.values():
                values.sort(key=lambda x: (-x.score, x.code))
                del values[top:]
            return grouped

    def outlook(self, code: str) -> dict[str, Any]:
        """COPS 2024–2033 projections and conditions for a unit group."""
        unit = self._unit(code)
        with self.store.read() as conn:
            loads = active.load_ids(conn)
            if "cops" not in loads:
                raise NotFound("COPS is not loaded: run `microcred data load cops`")
            row = conn.execute(
                select(ref_outlooks).where(
                    ref_outlooks.c.load_id == loads["cops"], ref_outlooks.c.code == unit
                )
            ).first()
            if row is None:
                raise NotFound(f"no COPS outlook for {unit}")
            return {
                "code": row.code,
                "title_en": row.title_en,
                "title_fr": row.title_fr,
                "recent_conditions": row.recent_conditions,
                "future_conditions": row.future_conditions,
                **row.data,
                "source": "ESDC, Canadian Occupational Projection System 2024-2033",
            }

    def counterparts(self, code: str) -> list[dict[str, Any]]:
        """O*NET, ESCO and ISCO counterparts of a unit group, with how each was found."""
        unit = self._unit(code)
        with self.store.read() as conn:
            loads = active.load_ids(conn)
            if "crosswalk" not in loads:
                return []
            c = ref_crosswalk
            rows = conn.execute(
                select(c.c.target_scheme, c.c.target_code, c.c.path, c.c.confidence)
                .where(c.c.load_id == loads["crosswalk"], c.c.source_code == unit)
                .order_by(c.c.target_scheme, c.c.confidence.desc(), c.c.target_code)
            ).all()
            scheme_load = {
                "onet": loads.get("onet"),
                "esco": loads.get("esco"),
                "isco": loads.get("esco"),
            }
            titles: dict[str, tuple[str, str | None]] = {}
            for scheme in ("onet", "esco", "isco"):
                codes = [r.target_code for r in rows if r.target_scheme == scheme]
                if codes and scheme_load[scheme]:
                    o = ref_occupations
                    for code_, en, fr in conn.execute(
                        select(o.c.code, o.c.title_en, o.c.title_fr).where(
                            o.c.load_id == scheme_load[scheme], o.c.code.in_(codes)
                        )
                    ):
                        titles[code_] = (en, fr)
            return [
                {
                    "scheme": r.target_scheme,
                    "code": r.target_code,
                    "title_en": titles.get(r.target_code, (None, None))[0],
                    "title_fr": titles.get(r.target_code, (None, None))[1],
                    "path": r.path,
                    "confidence": r.confidence,
                }
                for r in rows
            ]

    @staticmethod
    def _unit(code: str) -> str:
        code = code.strip()
        if OASIS.match(code):
            return code[:5]
        if NOC.match(code) and len(code) >= 4:
            return code.zfill(5)
        raise InvalidInput(f"{code!r} is not a NOC 2021 unit group code (five digits, e.g. 21231)")

    # -- skills ------------------------------------------------------------------------

    def find_skills(self, query: str, *, limit: int = 10) -> list[Rated]:
        """Skills (OaSIS descriptors, ESCO skills, O*NET skills) by code, URI or label (EN/FR)."""
        query = _clean_query(query)
        limit = max(1, min(limit, 50))
        with self.store.read() as conn:
            loads = active.load_ids(conn)
            ids = [loads[d] for d in ("oasis", "esco", "onet") if d in loads]
            if not ids:
                raise NotFound("no skills taxonomy is loaded: run `microcred data load`")
            s = ref_skills
            direct = conn.execute(select(s).where(s.c.load_id.in_(ids), s.c.code == query)).first()
            if direct is not None:
                return [Rated(direct.code, direct.label_en, direct.label_fr, 1.0, detail="code")]
            key = title_key(query)
            if not key:
                return []
            base = select(ref_labels.c.skill, ref_labels.c.label).where(
                ref_labels.c.load_id.in_(ids)
            )
            hits: dict[str, str] = {}
            for how, condition in (
                ("exact", ref_labels.c.key == key),
                ("prefix", and_(ref_labels.c.key > key, ref_labels.c.key < key + "\uffff")),
                ("words", and_(*(ref_labels.c.key.like(f"%{w}%") for w in key.split()[:6]))),
            ):
                if len(hits) >= limit:
                    break
                for skill, _label in conn.execute(
                    base.where(condition).order_by(func.length(ref_labels.c.key)).limit(100)
                ):
                    hits.setdefault(skill, how)
            rows = {
                r.code: r
                for r in conn.execute(
                    select(s).where(s.c.load_id.in_(ids), s.c.code.in_(list(hits)))
                )
            }
            return [
                Rated(code, rows[code].label_en, rows[code].label_fr, 1.0, detail=how)
                for code, how in hits.items()
                if code in rows
            ][:limit]

    def skill(self, code: str) -> Skill:
        code = code.strip()
        with self.store.read() as conn:
            loads = active.load_ids(conn)
            ids = [loads[d] for d in ("oasis", "esco", "onet") if d in loads]
            s = ref_skills
            row = conn.execute(select(s).where(s.c.load_id.in_(ids), s.c.code == code)).first()
            if row is None:
                raise NotFound(f"no skill {code}")
            ancestors: list[tuple[str, str]] = []
            parent = row.parent
            while parent and len(ancestors) < 8:
                up = conn.execute(
                    select(s.c.code, s.c.label_en, s.c.parent).where(
                        s.c.load_id == row.load_id, s.c.code == parent
                    )
                ).first()
                if up is None:
                    break
                ancestors.insert(0, (up.code, up.label_en))
                parent = up.parent
            return Skill(
                row.scheme,
                row.code,
                row.kind,
                row.label_en,
                row.label_fr,
                (row.alt_en or "").split("\n") if row.alt_en else [],
                (row.alt_fr or "").split("\n") if row.alt_fr else [],
                row.description_en,
                ancestors,
                row.data or {},
            )

    def occupations_for_skill(self, code: str, *, limit: int = 20) -> list[Rated]:
        """Occupations that need a skill most: OaSIS ratings, ESCO essential first, O*NET importance."""
        skill = self.skill(code)
        dataset = {"oasis": "oasis", "esco": "esco", "onet": "onet"}[skill.scheme]
        with self.store.read() as conn:
            loads = active.load_ids(conn)
            r, o = ref_ratings, ref_occupations
            query = (
                select(
                    r.c.occupation, o.c.title_en, o.c.title_fr, r.c.score, r.c.level, r.c.relation
                )
                .join(o, and_(o.c.load_id == r.c.load_id, o.c.code == r.c.occupation))
                .where(r.c.load_id == loads[dataset], r.c.skill == skill.code)
                .order_by(r.c.score.desc(), r.c.level.desc(), r.c.occupation)
                .limit(max(1, min(limit, 100)))
            )
            return [
                Rated(occ, en, fr, float(score), None if level is None else float(level), relation)
                for occ, en, fr, score, level, relation in conn.execute(query)
            ]
