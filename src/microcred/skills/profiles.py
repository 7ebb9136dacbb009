"""Unified occupation profiles, occupation similarity and skills gaps.

A unit group's profile joins three sources:
- OaSIS 2023 ratings (0–5) of its descriptors, averaged over its OaSIS profiles;
- ESCO skills of its ESCO counterparts (NOC–ESCO crosswalk), weighted by crosswalk
  confidence × 1 for essential, ½ for optional; and, apart, the share of the counterparts'
  confidence for which each skill is essential (what a gap calls essential);
- O*NET technology skills of its O*NET counterparts (NOC–O*NET crosswalk).

Similarity of two unit groups is 0.6 × cosine of their OaSIS ratings + 0.4 × cosine of
their ESCO skill weights (OaSIS alone when ESCO is not loaded).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, select

from microcred.errors import NotFound
from microcred.reference import active
from microcred.store.schema import ref_crosswalk, ref_ratings, ref_skills

RATED = ("Skills", "Knowledge", "Abilities", "Work Activities")
REQUIRED_LEVEL = 3.0  # OaSIS ratings from here up count as required by the target
ESSENTIAL_WEIGHT = 0.5  # ESCO weight from here up: the person has the skill
ESSENTIAL_SHARE = 0.5  # essential to counterparts holding this share of the confidence
OASIS_SHARE = 0.6


@dataclass
class Profile:
    """What an occupation asks for, from every source loaded."""

    code: str
    oasis: dict[str, float] = field(default_factory=dict)  # descriptor → 0–5
    esco: dict[str, float] = field(default_factory=dict)  # skill URI → weight 0–1
    essential: dict[str, float] = field(default_factory=dict)  # skill URI → share 0–1
    technology: dict[str, bool] = field(default_factory=dict)  # O*NET tech → in demand


@dataclass(frozen=True)
class GapItem:
    scheme: str
    code: str
    label_en: str
    label_fr: str | None
    required: float
    current: float
    weight: float  # importance × size of the gap, 0–1
    reason: str

    def label(self, lang: str) -> str:
        return (self.label_fr if lang == "fr" else None) or self.label_en


def _unit_of(profile_code: str) -> str:
    return profile_code[:5]


class Profiles:
    """All unit groups' profiles, built once per reference-data version."""

    def __init__(self, conn: Connection) -> None:
        loads = active.load_ids(conn)
        if "oasis" not in loads:
            raise NotFound("OaSIS is not loaded: run `microcred data load oasis`")
        self.labels: dict[str, tuple[str, str | None]] = {}
        s = ref_skills
        categories: dict[str, str] = {}
        for code, en, fr, data in conn.execute(
            select(s.c.code, s.c.label_en, s.c.label_fr, s.c.data).where(
                s.c.load_id.in_([loads[d] for d in ("oasis", "esco", "onet") if d in loads])
            )
        ):
            self.labels[code] = (en, fr)
            if data and "category" in data:
                categories[code] = data["category"]
        self.profiles: dict[str, Profile] = {}
        self._oasis(conn, loads["oasis"], categories)
        if "crosswalk" in loads and "esco" in loads:
            self._esco(conn, loads["crosswalk"], loads["esco"])
        if "crosswalk" in loads and "onet" in loads:
            self._technology(conn, loads["crosswalk"], loads["onet"])
        self.units = sorted(self.profiles)
        self._matrices()

    def _oasis(self, conn: Connection, load: int, categories: dict[str, str]) -> None:
        sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        counts: dict[str, set[str]] = defaultdict(set)
        r = ref_ratings
        for occupation, skill, score in conn.execute(
            select(r.c.occupation, r.c.skill, r.c.score).where(
                r.c.load_id == load, r.c.relation == "rating"
            )
        ):
            unit = _unit_of(occupation)
            counts[unit].add(occupation)
            if categories.get(skill) in RATED:
                sums[unit][skill] += float(score)
        for unit, ratings in sums.items():
            n = len(counts[unit])
            self.profiles[unit] = Profile(
                unit, {k: round(v / n, 2) for k, v in ratings.items() if v > 0}
            )

    def _counterparts(
        self, conn: Connection, load: int, scheme: str
    ) -> dict[str, list[tuple[str, float]]]:
        c = ref_crosswalk
        found: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for source, target, confidence in conn.execute(
            select(c.c.source_code, c.c.target_code, c.c.confidence).where(
                c.c.load_id == load, c.c.target_scheme == scheme
            )
        ):
            found[source].append((target, float(confidence)))
        return found

    def _esco(self, conn: Connection, crosswalk: int, esco: int) -> None:
        counterparts = self._counterparts(conn, crosswalk, "esco")
        wanted = {uri for pairs in counterparts.values() for uri, _ in pairs}
        skills: dict[str, list[tuple[str, float, bool]]] = defaultdict(list)
        r = ref_ratings
        for occupation, skill, score, relation in conn.execute(
            select(r.c.occupation, r.c.skill, r.c.score, r.c.relation).where(
                r.c.load_id == esco, r.c.relation.in_(["essential", "optional"])
            )
        ):
            if occupation in wanted:
                skills[occupation].append((skill, float(score), relation == "essential"))
        for unit, pairs in counterparts.items():
            profile = self.profiles.get(unit)
            if profile is None:
                continue
            total = sum(confidence for _, confidence in pairs) or 1.0
            weights: dict[str, float] = defaultdict(float)
            essential: dict[str, float] = defaultdict(float)
            for uri, confidence in pairs:
                for skill, relation, is_essential in skills.get(uri, ()):
                    weights[skill] += confidence / total * relation
                    if is_essential:
                        essential[skill] += confidence / total
            profile.esco = {k: round(min(v, 1.0), 3) for k, v in weights.items()}
            profile.essential = {k: round(min(v, 1.0), 3) for k, v in essential.items()}

    def _technology(self, conn: Connection, crosswalk: int, onet: int) -> None:
        counterparts = self._counterparts(conn, crosswalk, "onet")
        by_onet: dict[str, dict[str, bool]] = defaultdict(dict)
        r = ref_ratings
        for occupation, skill, level in conn.execute(
            select(r.c.occupation, r.c.skill, r.c.level).where(
                r.c.load_id == onet, r.c.relation == "technology"
            )
        ):
            by_onet[occupation][skill] = bool(level)
        for unit, pairs in counterparts.items():
            if unit in self.profiles:
                merged: dict[str, bool] = {}
                for code, _ in pairs:
                    for skill, hot in by_onet.get(code, {}).items():
                        merged[skill] = merged.get(skill, False) or hot
                self.profiles[unit].technology = merged

    def _matrices(self) -> None:
        def matrix(attribute: str) -> np.ndarray:
            columns = sorted({k for p in self.profiles.values() for k in getattr(p, attribute)})
            position = {k: i for i, k in enumerate(columns)}
            out = np.zeros((len(self.units), len(columns)), dtype=np.float32)
            for row, unit in enumerate(self.units):
                for key, value in getattr(self.profiles[unit], attribute).items():
                    out[row, position[key]] = value
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            return out / np.where(norms == 0, 1, norms)

        self._oasis_matrix = matrix("oasis")
        self._esco_matrix = matrix("esco")
        self._row = {u: i for i, u in enumerate(self.units)}

    def profile(self, unit: str) -> Profile:
        if unit not in self.profiles:
            raise NotFound(f"no OaSIS profile for unit group {unit}")
        return self.profiles[unit]

    def similarities(self, unit: str) -> dict[str, float]:
        """Every other unit group's similarity to ``unit`` (0–1)."""
        row = self._row.get(unit)
        if row is None:
            raise NotFound(f"no OaSIS profile for unit group {unit}")
        oasis = self._oasis_matrix @ self._oasis_matrix[row]
        combined = oasis
        if self._esco_matrix.shape[1] and self._esco_matrix[row].any():
            esco = self._esco_matrix @ self._esco_matrix[row]
            combined = OASIS_SHARE * oasis + (1 - OASIS_SHARE) * esco
        return {u: round(float(combined[i]), 4) for i, u in enumerate(self.units) if u != unit}

    def label(self, code: str) -> tuple[str, str | None]:
        return self.labels.get(code, (code, None))

    def gap(
        self,
        target: str,
        *,
        current: str | None = None,
        skills: dict[str, float] | None = None,
        target_title: str = "",
        current_title: str = "",
    ) -> list[GapItem]:
        """What ``target`` asks for that the person lacks, heaviest first.

        ``current`` is the person's unit group (its profile counts as what they have);
        ``skills`` maps OaSIS descriptor codes (→ level 0–5) or ESCO URIs (→ any value)
        the person declares or that were read from their résumé.
        """
        want = self.profile(target)
        have = self.profile(current) if current else Profile("")
        declared = skills or {}
        target_name = target_title or target
        items = []
        for code, required in want.oasis.items():
            if required < REQUIRED_LEVEL:
                continue
            level = max(have.oasis.get(code, 0.0), float(declared.get(code, 0.0)))
            if level >= required:
                continue
            en, fr = self.label(code)
            source = f"{current_title or current} {level:g}/5" if current else f"{level:g}/5"
            items.append(
                GapItem(
                    "oasis",
                    code,
                    en,
                    fr,
                    required,
                    level,
                    round(required / 5 * (required - level) / 5, 3),
                    f"OaSIS 2023 rates {en} {required:g}/5 for {target_name}; you: {source}",
                )
            )
        for code, share in want.essential.items():
            weight = want.esco[code]
            if (
                share < ESSENTIAL_SHARE
                or code in declared
                or have.esco.get(code, 0) >= ESSENTIAL_WEIGHT
            ):
                continue
            en, fr = self.label(code)
            items.append(
                GapItem(
                    "esco",
                    code,
                    en,
                    fr,
                    1.0,
                    0.0,
                    round(weight * 0.8, 3),
                    f"ESCO lists {en} as essential to the European counterparts of {target_name}",
                )
            )
        items.sort(key=lambda i: (-i.weight, i.code))
        return items
