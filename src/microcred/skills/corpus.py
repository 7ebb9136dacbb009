"""What the skills engine indexes, read from the active reference data in the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, select

from microcred.errors import NotFound
from microcred.reference import active
from microcred.skills.knowledge import Counterpart
from microcred.store.schema import (
    ref_crosswalk,
    ref_occupations,
    ref_outlooks,
    ref_skills,
    ref_texts,
    ref_titles,
)

# NOC matching also reads ESCO through the crosswalk (``counterpart_titles``)
TAXONOMIES = {"noc": ("noc", "oasis", "cops", "esco", "crosswalk"), "esco": ("esco",)}
SKILL_TAXONOMIES = {"oasis": "oasis", "esco": "esco"}


@dataclass(frozen=True)
class Example:
    """One text that stands for an occupation: a title, an alternative label…"""

    occupation: str
    text: str
    lang: str
    source: str  # scheme/kind it came from, e.g. "oasis/example"


@dataclass(frozen=True)
class Concept:
    """A skill (or occupation) the engine can return: its id and official labels."""

    code: str
    label_en: str
    label_fr: str | None
    alternatives: tuple[str, ...] = ()
    description: str | None = None

    def label(self, lang: str) -> str:
        return (self.label_fr if lang == "fr" else None) or self.label_en


def loads_for(conn: Connection, datasets: tuple[str, ...]) -> dict[str, int]:
    """Active load ids of ``datasets``; NotFound says which to load when one is missing."""
    loads = active.load_ids(conn)
    missing = [d for d in datasets if d not in loads]
    if missing:
        raise NotFound(
            f"reference data not loaded: {', '.join(missing)} — "
            f"run `microcred data load {' '.join(missing)}`"
        )
    return {d: loads[d] for d in datasets}


def occupation_examples(
    conn: Connection, taxonomy: str, keep: Callable[[Example], bool] | None = None
) -> Iterator[Example]:
    """Titles that stand for each occupation of ``taxonomy`` (noc: unit groups; esco).

    For NOC, only titles NOC itself places: OaSIS example titles and profile labels, the
    unit groups' titles and their French titles from COPS. Other classifications' titles
    (O*NET, and ESCO in English and French) are evidence, not labels: crosswalked
    many-to-many, they teach the model through ``counterpart_titles`` instead."""
    loads = loads_for(conn, TAXONOMIES[taxonomy])
    t = ref_titles
    if taxonomy == "noc":
        query = select(t.c.unit_group, t.c.title, t.c.lang, t.c.scheme, t.c.kind).where(
            t.c.load_id.in_(list(loads.values())),
            t.c.unit_group.is_not(None),
            t.c.kind != "alternate",
        )
    else:
        query = select(t.c.occupation, t.c.title, t.c.lang, t.c.scheme, t.c.kind).where(
            t.c.load_id == loads["esco"]
        )
    for occupation, title, lang, scheme, kind in conn.execute(query):
        example = Example(occupation, title, lang, f"{scheme}/{kind}")
        if keep is None or keep(example):
            yield example


def counterpart_titles(conn: Connection) -> list[Counterpart]:
    """O*NET titles and alternate titles, and ESCO labels, each with the NOC unit groups
    its occupation is crosswalked to: the published NOC–O*NET crosswalk, and ESCO through
    O*NET titles (``noc>onet>esco``; never the ``noc>esco`` pairs, which are found through
    OaSIS example titles and would carry held-out titles into an evaluation). O*NET is
    optional: without it, ESCO's labels alone."""
    loads = active.load_ids(conn)
    if "crosswalk" not in loads:
        return []
    c = ref_crosswalk
    units: dict[tuple[str, str], set[str]] = {}
    for noc, scheme, code in conn.execute(
        select(c.c.source_code, c.c.target_scheme, c.c.target_code).where(
            c.c.load_id == loads["crosswalk"],
            c.c.path.in_(["noc>onet", "noc>onet>esco", "noc>onet>esco+noc>esco"]),
        )
    ):
        units.setdefault((scheme, code), set()).add(noc)
    t = ref_titles
    out = []
    for scheme in ("onet", "esco"):
        if scheme not in loads:
            continue
        query = select(t.c.occupation, t.c.title).where(
            t.c.load_id == loads[scheme], t.c.scheme == scheme
        )
        for code, title in conn.execute(query.order_by(t.c.occupation, t.c.title)):
            found = units.get((scheme, code))
            if found:
                out.append(Counterpart(scheme, title, tuple(sorted(found))))
    return out


def titles_in_languages(conn: Connection) -> list[tuple[str, str]]:
    """(title, language) of every loaded NOC, COPS, ESCO and O*NET title (never the OaSIS
    example titles: an evaluation's queries), for telling a title's language
    (``language``)."""
    loads = active.load_ids(conn)
    wanted = [loads[d] for d in ("noc", "cops", "esco", "onet") if d in loads]
    t = ref_titles
    query = select(t.c.title, t.c.lang).where(t.c.load_id.in_(wanted))
    order = (t.c.scheme, t.c.occupation, t.c.lang, t.c.title)
    return [(title, lang) for title, lang in conn.execute(query.order_by(*order))]


def occupation_concepts(conn: Connection, taxonomy: str) -> dict[str, Concept]:
    """Code → official titles: NOC unit groups (French from COPS) or ESCO occupations."""
    loads = loads_for(conn, TAXONOMIES[taxonomy])
    o = ref_occupations
    if taxonomy == "noc":
        french = dict(
            conn.execute(
                select(ref_outlooks.c.code, ref_outlooks.c.title_fr).where(
                    ref_outlooks.c.load_id == loads["cops"]
                )
            ).all()
        )
        query = select(o.c.code, o.c.title_en, o.c.description_en).where(
            o.c.load_id == loads["noc"], o.c.level == 5
        )
        return {
            code: Concept(code, en, french.get(code), description=text)
            for code, en, text in conn.execute(query)
        }
    query = select(o.c.code, o.c.title_en, o.c.title_fr, o.c.description_en).where(
        o.c.load_id == loads["esco"], o.c.scheme == "esco"
    )
    return {
        row.code: Concept(row.code, row.title_en, row.title_fr, description=row.description_en)
        for row in conn.execute(query)
    }


DESCRIBING = ("lead_statement", "main_duty", "workplace")  # OaSIS texts that describe a job


def occupation_descriptions(
    conn: Connection, taxonomy: str, concepts: dict[str, Concept]
) -> dict[str, str]:
    """Code → what the occupation is: its definition and, for NOC unit groups, the lead
    statements, main duties and workplaces of their OaSIS profiles."""
    out = {code: c.description or "" for code, c in concepts.items()}
    if taxonomy != "noc":
        return out
    load = loads_for(conn, ("oasis",))["oasis"]
    t = ref_texts
    query = select(t.c.occupation, t.c.text).where(t.c.load_id == load, t.c.kind.in_(DESCRIBING))
    parts: dict[str, list[str]] = {}
    for profile, text in conn.execute(query.order_by(t.c.occupation, t.c.kind, t.c.position)):
        parts.setdefault(profile[:5], []).append(text)
    for code, texts in parts.items():
        if code in out:
            out[code] = "\n".join([out[code], *texts])
    return out


def skill_concepts(conn: Connection, taxonomy: str) -> list[Concept]:
    """Rankable skills: OaSIS descriptors, or ESCO skills and knowledge (not groups)."""
    load = loads_for(conn, (SKILL_TAXONOMIES[taxonomy],))[SKILL_TAXONOMIES[taxonomy]]
    s = ref_skills
    kinds = ["descriptor"] if taxonomy == "oasis" else ["skill/competence", "knowledge"]
    query = (
        select(s.c.code, s.c.label_en, s.c.label_fr, s.c.alt_en, s.c.alt_fr, s.c.description_en)
        .where(s.c.load_id == load, s.c.scheme == taxonomy, s.c.kind.in_(kinds))
        .order_by(s.c.code)
    )
    out = []
    for code, en, fr, alt_en, alt_fr, description in conn.execute(query):
        alternatives = [a for a in (alt_en or "").split("\n") + (alt_fr or "").split("\n") if a]
        out.append(Concept(code, en, fr, tuple(alternatives), description))
    return out


WORD_DATASETS = ("noc", "oasis", "cops", "esco", "onet")  # what ``word_documents`` reads


def word_documents(conn: Connection) -> list[str]:
    """Short texts of the loaded reference data whose words keep each other's company
    (``wordvectors``): per ESCO occupation and skill its labels (English and French) and
    description; per O*NET alternate title, it beside its occupation's title; per unit
    group, its NOC title, French COPS title and definition; per OaSIS text (duty, lead
    statement…), it beside its profile's label. Never OaSIS example titles (an
    evaluation's queries)."""
    loads = active.load_ids(conn)
    ids = [loads[d] for d in WORD_DATASETS if d in loads]
    t, o, s = ref_titles, ref_occupations, ref_skills
    titles: dict[tuple[str, str], list[str]] = {}
    preferred: dict[tuple[str, str], str] = {}
    alternates: list[tuple[str, str, str]] = []
    query = select(t.c.scheme, t.c.occupation, t.c.kind, t.c.title).where(
        t.c.load_id.in_(ids), t.c.kind != "example"
    )
    for scheme, code, kind, title in conn.execute(query.order_by(t.c.scheme, t.c.occupation)):
        key = (scheme, code[:5] if scheme in ("noc", "cops") else code)
        if scheme == "onet" and kind == "alternate":
            alternates.append((scheme, code, title))
            continue
        titles.setdefault(key, []).append(title)
        if kind in ("preferred", "label"):
            preferred.setdefault(key, title)
    described: dict[tuple[str, str], str] = {}
    query_o = select(o.c.scheme, o.c.code, o.c.description_en).where(o.c.load_id.in_(ids))
    for scheme, code, text in conn.execute(query_o):
        if text:
            described[(scheme, code)] = text
    documents = [
        f"{title} {preferred.get((scheme, code), '')}" for scheme, code, title in alternates
    ]
    for (scheme, code), names in titles.items():
        if scheme == "cops":
            continue  # with NOC's
        if scheme == "noc":
            names = names + titles.get(("cops", code), [])
        documents.append(" ".join([*names, described.get((scheme, code), "")]))
    for (scheme, code), text in described.items():
        if (scheme, code) not in titles:  # O*NET, ISCO… definitions: with their title
            documents.append(f"{preferred.get((scheme, code), '')} {text}")
    for code, text in conn.execute(
        select(ref_texts.c.occupation, ref_texts.c.text).where(ref_texts.c.load_id.in_(ids))
    ):
        documents.append(f"{preferred.get(('oasis', code), '')} {text}")
    query_s = select(s.c.label_en, s.c.label_fr, s.c.alt_en, s.c.alt_fr, s.c.description_en).where(
        s.c.load_id.in_(ids), s.c.scheme == "esco", s.c.kind != "group"
    )
    for parts in conn.execute(query_s):
        documents.append(" ".join(p for p in parts if p))
    return documents
