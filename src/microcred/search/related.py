"""Skills-aware search: a query that names an occupation ("become a data analyst",
"devenir infirmière", or a short query whose words find little) also finds the listings
that teach the skills the occupation needs or that aim at it (decision 0007).

The skills engine reads the occupation: NOC 2021 unit groups (the title model) and ESCO
occupations (their labels), each kept only when confident. What finds its listings:
- the unit group's own code (listings that target it);
- its unified profile's ESCO skills, essential to its counterparts through the crosswalk;
- the ESCO occupation's essential skills.
(OaSIS descriptors are left out: abilities such as Active Listening, rated high for most
occupations, would find every listing.) Engines match those codes against each listing's
declared and tagged skills and blend that ranking, at half weight, with the words' ranking
(reciprocal rank fusion): what the words find comes first."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select

from microcred.errors import MicrocredError
from microcred.reference import active
from microcred.skills import corpus
from microcred.skills.engine import Skills
from microcred.store.engine import Freshness
from microcred.store.schema import ref_ratings

log = logging.getLogger(__name__)

MIN_NOC = 0.3  # title-model confidence for a unit group
MIN_ESCO = 0.6  # label-match confidence for an ESCO occupation
MIN_WEIGHT = 0.6  # profile weight of an ESCO skill: above what "optional" everywhere gives
MOST_SKILLS = 30
NEEDED = corpus.TAXONOMIES["noc"]  # datasets reading needs (ESCO among them)
RECHECK = 1.0  # seconds: how stale this process's view of the loaded data may be
CACHED = 4096  # query texts whose reading is kept (a finite, repetitive vocabulary)
RRF_K = 60  # reciprocal rank fusion: score = Σ weight / (RRF_K + rank)
NEAR_WEIGHT = 0.5  # the occupation's ranking beside the words'
K = TypeVar("K", int, tuple[int, int])


@dataclass(frozen=True)
class Occupation:
    scheme: str  # "noc" or "esco"
    code: str
    label_en: str
    label_fr: str | None
    score: float

    def label(self, lang: str) -> str:
        return (self.label_fr if lang == "fr" else None) or self.label_en


@dataclass(frozen=True)
class Related:
    """What finds the listings of the occupations a query names."""

    occupations: tuple[Occupation, ...]
    nocs: tuple[str, ...]
    skills: tuple[str, ...]  # ESCO skill URIs
    labels: frozenset[str]  # those skills' official labels (EN, FR), to explain hits

    def names(self, lang: str) -> str:
        return "; ".join(dict.fromkeys(o.label(lang) for o in self.occupations))


class Reader:
    """Reads queries as occupations with the skills engine; each text once per
    reference-data version (an LRU of the last readings).

    A search never waits for the skills engine: until its matchers and profiles are built
    for the loaded reference data (seconds; minutes the first time with ``[semantic]``),
    they are built on a background thread and queries are not read."""

    def __init__(self, skills: Skills) -> None:
        self._skills = skills
        self._lock = threading.Lock()
        self._version: tuple[tuple[str, int], ...] = ()
        self._read: OrderedDict[str, Related | None] = OrderedDict()
        self._warm: tuple[tuple[str, int], ...] | None = None  # version built for
        self._warming: threading.Thread | None = None
        self._loads: tuple[tuple[str, int], ...] = ()
        self._looked = Freshness(skills.store, RECHECK)

    def warm(self, version: tuple[tuple[str, int], ...] | None = None) -> None:
        """Build what reading needs (the title matchers and profiles), now."""
        if version is None:
            version = self._loaded(fresh=True)
        try:
            self._skills.title_matcher("noc")
            self._skills.title_matcher("esco")
            self._skills.profiles()
        except Exception:  # on a background thread: say why, and read nothing
            log.exception("search cannot read queries as occupations")
        self._warm = version

    def _loaded(self, *, fresh: bool = False) -> tuple[tuple[str, int], ...]:
        """The active reference loads: read again after this process wrote, or a second
        after the last look (other processes' loads), not on every query."""
        if fresh or self._looked.stale():
            stamp = self._looked.stamp()
            with self._skills.store.read() as conn:
                self._loads = tuple(sorted(active.load_ids(conn).items()))
            self._looked.renew(stamp)
        return self._loads

    def _ready(self, version: tuple[tuple[str, int], ...]) -> bool:
        if self._warm == version:
            return True
        if not set(NEEDED) <= dict(version).keys():  # nothing to read with
            return False
        with self._lock:
            if self._warming is None or not self._warming.is_alive():
                self._warming = self._skills.store.spawn(
                    lambda: self.warm(version), "search-occupations"
                )
        return False

    def related(self, text: str) -> Related | None:
        """The occupations ``text`` names and what finds their listings; None when the
        engine is unsure, not ready yet, or the reference data it needs is not loaded."""
        version = self._loaded()
        if not self._ready(version):
            return None
        with self._lock:
            if version != self._version:
                self._version, self._read = version, OrderedDict()
            if text in self._read:
                self._read.move_to_end(text)
                return self._read[text]
        try:
            found = self._interpret(text, dict(version))
        except MicrocredError as error:  # reference data missing, title refused: no reading
            log.debug("no occupation reading for a query: %s", error)
            found = None
        with self._lock:
            self._read[text] = found
            while len(self._read) > CACHED:
                self._read.popitem(last=False)
        return found

    def _interpret(self, text: str, loads: dict[str, int]) -> Related | None:
        skills = self._skills
        occupations: list[Occupation] = []
        wanted: dict[str, float] = {}
        nocs: list[str] = []
        profiles = skills.profiles()
        for match in skills.match_occupation(text, taxonomy="noc", top=1, threshold=MIN_NOC):
            occupations.append(
                Occupation("noc", match.id, match.label, match.label_fr, match.score)
            )
            nocs.append(match.id)
            profile = profiles.profile(match.id)
            for code, weight in profile.esco.items():
                if weight >= MIN_WEIGHT:
                    wanted[code] = max(wanted.get(code, 0.0), weight)
        for match in skills.match_occupation(text, taxonomy="esco", top=1, threshold=MIN_ESCO):
            occupations.append(
                Occupation("esco", match.id, match.label, match.label_fr, match.score)
            )
            r = ref_ratings
            with skills.store.read() as conn:
                essential = conn.execute(
                    select(r.c.skill).where(
                        r.c.load_id == loads["esco"],
                        r.c.occupation == match.id,
                        r.c.relation == "essential",
                    )
                ).scalars()
                for code in essential:
                    wanted[code] = 1.0
        if not occupations:
            return None
        chosen = sorted(wanted, key=lambda c: (-wanted[c], c))[:MOST_SKILLS]
        labels = {name for code in chosen for name in profiles.label(code) if name}
        labels |= {name for o in occupations for name in (o.label_en, o.label_fr) if name}
        return Related(tuple(occupations), tuple(nocs), tuple(chosen), frozenset(labels))


def fuse(words: Sequence[K], near: Sequence[K], *, depth: int) -> list[K]:
    """Reciprocal rank fusion of the words' ranking and the occupation's: the first
    ``depth`` keys, best first (ties: the smaller key first, so pages are stable)."""
    scores: dict[K, float] = {}
    for ranking, weight in ((words, 1.0), (near, NEAR_WEIGHT)):
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (RRF_K + rank)
    return sorted(scores, key=lambda k: (-scores[k], k))[:depth]
