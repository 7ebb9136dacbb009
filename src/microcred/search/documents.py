"""Search documents: what the index knows of a listing, read from the store in batches.

A document carries the listing's own text, the labels of the skills it is declared or tagged
with and of the occupations it targets (so that "SQL" or "data analyst" finds listings
about them), its provider, and the values filters and facets work on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from microcred.reference import active
from microcred.search.model import ONLINE
from microcred.store.schema import (
    listing_skills,
    listings,
    organizations,
    ref_occupations,
    ref_outlooks,
    ref_skills,
)

_ONLINE_MODES = frozenset(("online_sync", "online_async"))


@dataclass(frozen=True)
class SearchDocument:
    id: int
    title_en: str
    title_fr: str
    body_en: str
    body_fr: str
    labels: tuple[str, ...]  # skill and occupation labels, EN and FR
    provider_name: str
    places: tuple[str, ...]  # province or territory, and "online" when delivered online
    mode: str
    languages: tuple[str, ...]
    kind: str
    provider: str  # organization slug
    provider_kind: str
    nocs: tuple[str, ...]
    skills: tuple[str, ...]
    cost_cents: int
    hours: float
    weeks: float | None
    starts: tuple[date, ...]
    osap: bool
    ctc: bool

    @property
    def first_start(self) -> date | None:
        return self.starts[0] if self.starts else None

    def keywords(self) -> dict[str, Any]:
        """The exact-match and numeric values, as both engines store them."""
        return {
            "places": list(self.places),
            "mode": self.mode,
            "languages": list(self.languages),
            "kind": self.kind,
            "provider": self.provider,
            "provider_kind": self.provider_kind,
            "nocs": list(self.nocs),
            "skills": list(self.skills),
            "cost_cents": self.cost_cents,
            "hours": self.hours,
        }


def load(conn: Connection, ids: Sequence[int]) -> tuple[list[SearchDocument], list[int]]:
    """Documents for the active listings among ``ids``, and the ids to drop from the index
    (archived or deleted listings)."""
    t = listings
    rows = conn.execute(
        select(t.c.id, t.c.organization_id, t.c.status, t.c.document).where(t.c.id.in_(ids))
    ).all()
    active_rows = [r for r in rows if r.status == "active"]
    gone = sorted(set(ids) - {r.id for r in active_rows})
    if not active_rows:
        return [], gone
    o = organizations
    providers = {
        r.id: r
        for r in conn.execute(
            select(o.c.id, o.c.slug, o.c.name_en, o.c.name_fr, o.c.kind).where(
                o.c.id.in_({r.organization_id for r in active_rows})
            )
        )
    }
    tags: dict[int, set[str]] = defaultdict(set)
    s = listing_skills
    for listing_id, code in conn.execute(
        select(s.c.listing_id, s.c.code).where(s.c.listing_id.in_([r.id for r in active_rows]))
    ):
        tags[listing_id].add(code)
    documents = [_document(r.document) for r in active_rows]
    labels = _labels(
        conn,
        {code for d in documents for code in d["skill_codes"]} | set().union(*tags.values()),
        {noc for d in documents for noc in d["nocs"]},
    )
    out = []
    for row, doc in zip(active_rows, documents, strict=True):
        provider = providers[row.organization_id]
        skills = tuple(dict.fromkeys([*doc["skill_codes"], *sorted(tags[row.id])]))
        names = [*doc["skill_labels"], *(n for c in skills for n in labels.get(c, ()))]
        names += [n for noc in doc["nocs"] for n in labels.get(noc, ())]
        out.append(
            SearchDocument(
                id=row.id,
                provider_name=" ".join(filter(None, (provider.name_en, provider.name_fr))),
                provider=provider.slug,
                provider_kind=provider.kind,
                skills=skills,
                labels=tuple(dict.fromkeys(names)),
                **doc["fields"],
            )
        )
    return out, gone


def _document(document: Any) -> dict[str, Any]:
    """The indexed fields of a stored (already validated) listing document."""
    d = document if isinstance(document, dict) else {}
    outcomes = " ".join(d.get("learning_outcomes") or [])
    extra = " ".join([*(d.get("stacks_into") or []), *(d.get("industry_partners") or [])])
    mode = d.get("delivery_mode", "")
    places = ([d["province"]] if d.get("province") else []) + (
        [ONLINE] if mode in _ONLINE_MODES else []
    )
    skills = d.get("skills") or []
    return {
        "skill_codes": [s["id"] for s in skills],
        "skill_labels": [s["label"] for s in skills if s.get("label")],
        "nocs": list(d.get("target_nocs") or []),
        "fields": {
            "title_en": d.get("title_en") or "",
            "title_fr": d.get("title_fr") or "",
            "body_en": " ".join(filter(None, (d.get("description_en"), outcomes, extra))),
            "body_fr": " ".join(filter(None, (d.get("description_fr"), outcomes))),
            "places": tuple(places),
            "mode": mode,
            "languages": tuple(d.get("languages") or ()),
            "kind": d.get("kind", ""),
            "nocs": tuple(d.get("target_nocs") or ()),
            "cost_cents": round(float(d.get("cost_cad", 0)) * 100),
            "hours": float(d.get("hours", 0)),
            "weeks": float(d["weeks"]) if d.get("weeks") is not None else None,
            "starts": tuple(date.fromisoformat(s) for s in d.get("start_dates") or ()),
            "osap": bool(d.get("osap_eligible")),
            "ctc": bool(d.get("ctc_eligible")),
        },
    }


def _labels(conn: Connection, skills: Iterable[str], nocs: Iterable[str]) -> dict[str, list[str]]:
    """Official EN and FR labels of skills and NOC unit groups (none when not loaded)."""
    loads = active.load_ids(conn)
    out: dict[str, list[str]] = {}
    wanted = sorted(set(skills))
    skill_loads = [loads[d] for d in ("oasis", "esco") if d in loads]
    for start in range(0, len(wanted), 500):
        s = ref_skills
        query = select(s.c.code, s.c.label_en, s.c.label_fr).where(
            s.c.load_id.in_(skill_loads), s.c.code.in_(wanted[start : start + 500])
        )
        for code, en, fr in conn.execute(query):
            out[code] = [x for x in (en, fr) if x]
    wanted_nocs = sorted(set(nocs))
    if wanted_nocs and "noc" in loads:
        o = ref_occupations
        for code, en in conn.execute(
            select(o.c.code, o.c.title_en).where(
                o.c.load_id == loads["noc"], o.c.level == 5, o.c.code.in_(wanted_nocs)
            )
        ):
            out[code] = [en]
    if wanted_nocs and "cops" in loads:
        c = ref_outlooks
        for code, fr in conn.execute(
            select(c.c.code, c.c.title_fr).where(
                c.c.load_id == loads["cops"], c.c.code.in_(wanted_nocs)
            )
        ):
            if fr:
                out.setdefault(code, []).append(fr)
    return out
