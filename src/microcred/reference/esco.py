"""ESCO v1.1.1 (European Commission) from the official CSV zips, English and French.

Skills (with alt labels, type, reuse level), skill groups and the skill hierarchy,
occupations with their ISCO-08 group, and the occupation–skill relations
(essential/optional). French occupation labels come from the v1.1.1 French files; French
skill labels from the v1.0 French file, joined by concept URI (ESCO URIs are stable).
"""

from __future__ import annotations

from microcred.reference.files import Source, Table, title_key
from microcred.reference.model import Parsed, expect, require_text

VERSION = "ESCO v1.1.1"
CLASSIFICATION = ("esco*/*lassification*en*csv.zip",)
RELATIONS = ("esco*/*relations*csv.zip", "esco*/*lassification - *- csv.zip")
FRENCH_OCCUPATIONS = ("esco1.1*/fr/occupations_fr.csv", "esco*/fr/occupations_fr.csv")
FRENCH_SKILLS = ("esco1.1*/fr/skills_fr.csv", "esco*/fr/skills_fr.csv", "esco*-fr/skills_fr.csv")
URI = "http://data.europa.eu/esco/"
RELATION_SCORE = {"essential": 1.0, "optional": 0.5}


def _uri(table: Table, row: object, column: str, value: str) -> str:
    expect(value.startswith(URI), table, row, column, f"{value!r} is not an ESCO concept URI")  # type: ignore[arg-type]
    return value


def _alt(text: str) -> list[str]:
    return [a.strip() for a in text.split("\n") if a.strip()]


def parse(source: Source) -> Parsed:
    parsed = Parsed("esco", VERSION)
    french_skills = _french(source, parsed, FRENCH_SKILLS)
    french_occupations = _french(source, parsed, FRENCH_OCCUPATIONS)
    broader = _broader(source, parsed)
    skills = _skills(source, parsed, broader, french_skills)
    _groups(source, parsed, broader)
    occupations = _occupations(source, parsed, french_occupations)
    _relations(source, parsed, skills, occupations)
    parsed.counts["skills"] = len(skills)
    parsed.counts["skills with French labels"] = sum(1 for s in skills if s in french_skills)
    parsed.counts["occupations"] = len(occupations)
    parsed.counts["occupations with French labels"] = sum(
        1 for o in occupations if o in french_occupations
    )
    parsed.counts["occupation-skill relations"] = len(parsed.rows["ref_ratings"])
    return parsed


def _french(
    source: Source, parsed: Parsed, patterns: tuple[str, ...]
) -> dict[str, tuple[str, list[str], str]]:
    table = source.maybe_table(*patterns)
    if table is None:
        parsed.notes.append(f"no French file ({patterns[0]}): French labels not loaded")
        return {}
    parsed.used(table.path)
    table.require("conceptUri", "preferredLabel", "altLabels")
    found = {}
    for row in table:
        uri = _uri(table, row, "conceptUri", row.get("conceptUri").strip())
        found[uri] = (
            row.get("preferredLabel").strip(),
            _alt(row.get("altLabels")),
            row.get("description").strip(),
        )
    return found


def _broader(source: Source, parsed: Parsed) -> dict[str, list[str]]:
    table = source.member(RELATIONS, "broaderRelationsSkillPillar.csv")
    parsed.used(table.path)
    table.require("conceptUri", "broaderUri")
    broader: dict[str, list[str]] = {}
    for row in table:
        uri = _uri(table, row, "conceptUri", row.get("conceptUri").strip())
        broader.setdefault(uri, []).append(
            _uri(table, row, "broaderUri", row.get("broaderUri").strip())
        )
    return broader


def _labels(parsed: Parsed, uri: str, english: list[str], french: list[str]) -> None:
    for lang, labels in (("en", english), ("fr", french)):
        for label in dict.fromkeys(labels):
            parsed.add("ref_labels", skill=uri, lang=lang, label=label, key=title_key(label))


def _skills(
    source: Source,
    parsed: Parsed,
    broader: dict[str, list[str]],
    french: dict[str, tuple[str, list[str], str]],
) -> set[str]:
    table = source.member(CLASSIFICATION, "skills_en.csv")
    parsed.used(table.path)
    table.require(
        "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "description"
    )
    seen: set[str] = set()
    for row in table:
        uri = _uri(table, row, "conceptUri", row.get("conceptUri").strip())
        expect(uri not in seen, table, row, "conceptUri", f"{uri} appears twice")
        seen.add(uri)
        label = require_text(table, row, "preferredLabel")
        alt = _alt(row.get("altLabels"))
        label_fr, alt_fr, _ = french.get(uri, (None, [], ""))
        parents = broader.get(uri, [])
        parsed.add(
            "ref_skills",
            scheme="esco",
            code=uri,
            parent=parents[0] if parents else None,
            kind=row.get("skillType").strip() or "skill/competence",
            label_en=label,
            label_fr=label_fr,
            alt_en="\n".join(alt) or None,
            alt_fr="\n".join(alt_fr) or None,
            description_en=row.get("description").strip() or None,
            data={"reuse_level": row.get("reuseLevel").strip() or None, "broader": parents[1:]},
        )
        _labels(parsed, uri, [label, *alt], [label_fr, *alt_fr] if label_fr else [])
    return seen


def _groups(source: Source, parsed: Parsed, broader: dict[str, list[str]]) -> None:
    table = source.member(CLASSIFICATION, "skillGroups_en.csv")
    table.require("conceptUri", "preferredLabel", "code")
    count = 0
    for row in table:
        uri = _uri(table, row, "conceptUri", row.get("conceptUri").strip())
        label = require_text(table, row, "preferredLabel")
        parents = broader.get(uri, [])
        parsed.add(
            "ref_skills",
            scheme="esco",
            code=uri,
            parent=parents[0] if parents else None,
            kind="group",
            label_en=label,
            label_fr=None,
            alt_en=None,
            alt_fr=None,
            description_en=row.get("description").strip() or None,
            data={"code": row.get("code").strip()},
        )
        count += 1
    parsed.counts["skill groups"] = count


def _occupations(
    source: Source, parsed: Parsed, french: dict[str, tuple[str, list[str], str]]
) -> set[str]:
    isco = source.member(CLASSIFICATION, "ISCOGroups_en.csv")
    isco.require("code", "preferredLabel")
    for row in isco:
        code = row.get("code").strip()
        expect(
            code.isdigit() and len(code) <= 4, isco, row, "code", f"{code!r} is not an ISCO-08 code"
        )
        parsed.add(
            "ref_occupations",
            scheme="isco",
            code=code,
            parent=code[:-1] or None,
            level=len(code),
            title_en=require_text(isco, row, "preferredLabel"),
            title_fr=None,
            description_en=row.get("description").strip() or None,
            description_fr=None,
            data={},
        )
    table = source.member(CLASSIFICATION, "occupations_en.csv")
    parsed.used(table.path)
    table.require("conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description", "code")
    seen: set[str] = set()
    for row in table:
        uri = _uri(table, row, "conceptUri", row.get("conceptUri").strip())
        expect(uri not in seen, table, row, "conceptUri", f"{uri} appears twice")
        seen.add(uri)
        group = row.get("iscoGroup").strip()
        expect(
            group.isdigit() and len(group) == 4,
            table,
            row,
            "iscoGroup",
            f"{group!r} is not a 4-digit ISCO-08 unit group",
        )
        label = require_text(table, row, "preferredLabel")
        label_fr, alt_fr, description_fr = french.get(uri, (None, [], ""))
        parsed.add(
            "ref_occupations",
            scheme="esco",
            code=uri,
            parent=group,
            level=5,
            title_en=label,
            title_fr=label_fr,
            description_en=row.get("description").strip() or None,
            description_fr=description_fr or None,
            data={"isco_group": group, "code": row.get("code").strip()},
        )
        for lang, labels in (
            ("en", [label, *_alt(row.get("altLabels"))]),
            ("fr", [label_fr, *alt_fr] if label_fr else []),
        ):
            for position, title in enumerate(dict.fromkeys(labels)):
                kind = "preferred" if position == 0 else "alternate"
                parsed.add_title("esco", uri, title, kind=kind, lang=lang)
    return seen


def _relations(source: Source, parsed: Parsed, skills: set[str], occupations: set[str]) -> None:
    table = source.member(RELATIONS, "occupationSkillRelations.csv")
    table.require("occupationUri", "relationType", "skillUri")
    dangling = 0
    for row in table:
        occupation = row.get("occupationUri").strip()
        skill = row.get("skillUri").strip()
        relation = row.get("relationType").strip()
        expect(
            relation in RELATION_SCORE,
            table,
            row,
            "relationType",
            f"{relation!r} is not essential or optional",
        )
        _uri(table, row, "occupationUri", occupation)
        _uri(table, row, "skillUri", skill)
        dangling += occupation not in occupations or skill not in skills
        parsed.add(
            "ref_ratings",
            occupation=occupation,
            skill=skill,
            relation=relation,
            score=RELATION_SCORE[relation],
            level=None,
        )
    if dangling:
        # The published release itself has these; they are kept as published.
        parsed.notes.append(
            f"{table.name}: {dangling} relations name an occupation or skill missing from the classification files"
        )
