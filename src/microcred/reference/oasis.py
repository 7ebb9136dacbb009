"""OaSIS 2023 v1.0 (ESDC): the descriptor taxonomy and the 900 occupational profiles.

The guide file is the taxonomy (category → sub-category → similarity group → descriptor,
codes like ``F01a01``). Rating files are wide: one row per profile (``00010.00``), one column
per descriptor *name*, so columns are matched to guide descriptors by name. Publishers'
headers carry stray spaces, footnote digits ("Time Pressure2" is Time Pressure's second
scale), abbreviations and a few renamings; what cannot be matched is reported, not guessed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from microcred.reference.files import ReferenceFileError, Row, Source, Table, title_key
from microcred.reference.model import Parsed, expect, integer, require_text

VERSION = "OaSIS 2023 v1.0"
DIR = "oasis*/"
PROFILE = re.compile(r"^\d{5}\.\d{2}$")
KINDS = {
    "Category": "category",
    "Sub-Category": "sub-category",
    "Similarity Group": "group",
    "Descriptor": "descriptor",
}

# Rating file → guide category. Glob patterns tolerate the publisher's renamings.
RATINGS = (
    ("skills", "Skills", ("skills_oasis*.csv",)),
    ("abilities", "Abilities", ("abilities_oasis*.csv",)),
    ("knowledge", "Knowledge", ("knowledge*_oasis*.csv",)),
    (
        "work activities",
        "Work Activities",
        ("workactivities_oasis*.csv", "work-activities_oasis*.csv"),
    ),
    ("work context", "Work Context", ("workcontext_oasis*.csv", "work-context_oasis*.csv")),
    ("personal attributes", "Personal Attributes", ("personal-attributes_oasis*.csv",)),
)
# Column names the publisher changed between the guide and the ratings of the same release.
RENAMED = {"business administration": "business management"}

TEXTS = (
    ("lead_statement", ("lead-statement_oasis*.csv",), "Lead statement"),
    ("main_duty", ("main-duties_oasis*.csv",), "Main duties"),
    ("employment_requirement", ("employment-requirements_oasis*.csv",), "Employment requirement"),
    ("workplace", ("workplaces-employers_oasis*.csv",), "Workplace/employer name"),
    (
        "additional_information",
        ("additional-information_oasis*.csv",),
        "Additional information (EN)",
    ),
)
HOLLAND = {
    "R": "Realistic",
    "I": "Investigative",
    "A": "Artistic",
    "S": "Social",
    "E": "Enterprising",
    "C": "Conventional",
}


def _patterns(globs: Iterable[str]) -> tuple[str, ...]:
    return tuple(DIR + g for g in globs)


def profile_code(raw: str) -> str:
    """Profile codes as published (``21231.00``); some files store them as numbers (``31100.1``)."""
    raw = raw.strip()
    if re.fullmatch(r"\d{1,5}(\.\d{1,2})?", raw):
        return f"{float(raw):08.2f}"
    return raw


def _known(profile: str, profiles: dict[str, int], table: Table, row: Row, parsed: Parsed) -> bool:
    """Publishers' files disagree on a few profiles: skip those rows and say so."""
    if profile in profiles:
        return True
    parsed.notes.append(
        f"{table.name}, line {row.line}: profile {profile} is not in the labels file; row skipped"
    )
    return False


def _norm(name: str) -> str:
    return title_key(re.sub(r"\s*\d+\s*$", "", name))


def parse(source: Source) -> Parsed:
    parsed = Parsed("oasis", VERSION)
    descriptors = _guide(source, parsed)
    profiles = _labels(source, parsed)
    for what, category, globs in RATINGS:
        _ratings(source.table(*_patterns(globs)), category, descriptors, profiles, parsed, what)
    _interests(source, profiles, parsed)
    _texts(source, profiles, parsed)
    _titles(source, profiles, parsed)
    parsed.counts["profiles"] = len(profiles)
    parsed.counts["unit groups"] = len({p[:5] for p in profiles})
    parsed.counts["descriptors"] = sum(
        1 for r in parsed.rows["ref_skills"] if r["kind"] == "descriptor"
    )
    parsed.counts["ratings"] = len(parsed.rows["ref_ratings"])
    parsed.counts["example titles"] = sum(
        1 for r in parsed.rows["ref_titles"] if r["kind"] == "example"
    )
    return parsed


def _guide(source: Source, parsed: Parsed) -> dict[str, dict[str, str]]:
    """Load the taxonomy; return, per category, normalised descriptor name → code."""
    table = source.table(*_patterns(("guide_oasis*.csv", "guide*.csv")))
    parsed.used(table.path)
    table.require("Code", "Name", "Structure type", "Category", "Description")
    by_category: dict[str, dict[str, str]] = {}
    codes: set[str] = set()
    for row in table:
        code = require_text(table, row, "Code")
        kind = KINDS.get(row.get("Structure type").strip())
        expect(
            kind is not None,
            table,
            row,
            "Structure type",
            f"{row.get('Structure type')!r} is not one of {', '.join(KINDS)}",
        )
        expect(code not in codes, table, row, "Code", f"{code} appears twice")
        parent = {
            "category": None,
            "sub-category": code[:1],
            "group": code[:3],
            "descriptor": code[:4],
        }[kind or ""]
        expect(
            parent is None or parent in codes,
            table,
            row,
            "Code",
            f"{code}'s parent {parent} is not listed before it",
        )
        codes.add(code)
        name = require_text(table, row, "Name")
        category = row.get("Category").strip()
        parsed.add(
            "ref_skills",
            scheme="oasis",
            code=code,
            parent=parent,
            kind=kind,
            label_en=name,
            label_fr=None,
            alt_en=None,
            alt_fr=None,
            description_en=row.get("Description").strip() or None,
            data={"category": category},
        )
        parsed.add("ref_labels", skill=code, lang="en", label=name, key=title_key(name))
        if kind == "descriptor":
            by_category.setdefault(category, {})[title_key(name)] = code
    if not by_category:
        raise ReferenceFileError(table.name, "no descriptors: is this the OaSIS guide file?")
    return by_category


def _labels(source: Source, parsed: Parsed) -> dict[str, int]:
    """The profiles (code → line), from the labels file."""
    table = source.table(*_patterns(("labels_oasis*.csv",)))
    parsed.used(table.path)
    table.require("OaSIS profile code", "Label")
    profiles: dict[str, int] = {}
    for row in table:
        code = profile_code(row.get("OaSIS profile code"))
        expect(
            bool(PROFILE.match(code)),
            table,
            row,
            "OaSIS profile code",
            f"{code!r} is not a profile code like 21231.00",
        )
        expect(code not in profiles, table, row, "OaSIS profile code", f"{code} appears twice")
        profiles[code] = row.line
        label = require_text(table, row, "Label")
        parsed.add(
            "ref_occupations",
            scheme="oasis",
            code=code,
            parent=code[:5],
            level=6,
            title_en=label,
            title_fr=None,
            description_en=None,
            description_fr=None,
            data={},
        )
        parsed.add_title("oasis", code, label, kind="label", unit_group=code[:5])
    return profiles


def _match_columns(
    columns: list[str], names: dict[str, str]
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Column → (descriptor code, 'score' | 'level'); and the columns that match nothing."""
    matched: dict[str, tuple[str, str]] = {}
    unmatched: list[str] = []
    taken: set[str] = set()
    for column in columns:
        key = _norm(column)
        key = RENAMED.get(key, key)
        candidates = [key, _norm(column.split(":")[-1])]
        code = next((names[c] for c in candidates if c in names), None)
        if code is None:
            prefixed = [n for n in names if key.startswith(n + " ") or n.startswith(key + " ")]
            close = prefixed or difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
            code = names[close[0]] if close else None
        if code is None:
            unmatched.append(column)
            continue
        matched[column] = (code, "level" if code in taken else "score")
        taken.add(code)
    return matched, unmatched


def _ratings(
    table: Table,
    category: str,
    descriptors: dict[str, dict[str, str]],
    profiles: dict[str, int],
    parsed: Parsed,
    what: str,
) -> None:
    parsed.used(table.path)
    key = next((h for h in table.header if h.startswith("OaSIS Code")), "OaSIS Code - Final")
    table.require(key)
    columns = [h for h in table.header if not h.startswith("OaSIS ")]
    matched, unmatched = _match_columns(columns, descriptors.get(category, {}))
    for column in unmatched:
        parsed.notes.append(
            f"{table.name}: column {column!r} matches no {category} descriptor of the guide; not loaded"
        )
    seen: set[str] = set()
    for row in table:
        profile = profile_code(row.get(key))
        if not _known(profile, profiles, table, row, parsed):
            continue
        expect(profile not in seen, table, row, key, f"{profile} appears twice")
        seen.add(profile)
        values: dict[str, dict[str, float]] = {}
        for column, (code, scale) in matched.items():
            values.setdefault(code, {})[scale] = integer(table, row, column, low=0, high=5)
        for code, scales in values.items():
            if scales.get("score", 0) or scales.get("level", 0):
                parsed.add(
                    "ref_ratings",
                    occupation=profile,
                    skill=code,
                    relation="rating",
                    score=scales.get("score", 0),
                    level=scales.get("level"),
                )
    parsed.counts[f"{what} profiles"] = len(seen)


def _interests(source: Source, profiles: dict[str, int], parsed: Parsed) -> None:
    table = source.maybe_table(*_patterns(("interests_oasis*.csv",)))
    if table is None:
        parsed.notes.append("no interests file: Holland codes not loaded")
        return
    parsed.used(table.path)
    key = next((h for h in table.header if h.startswith("OaSIS Code")), "OaSIS Code")
    table.require(key)
    holland = {}
    for row in table:
        profile = profile_code(row.get(key))
        if not _known(profile, profiles, table, row, parsed):
            continue
        letters = [row.get(h).strip().upper() for h in table.header if h.startswith("Holland")]
        for letter in letters:
            expect(
                letter in HOLLAND or not letter,
                table,
                row,
                "Holland Codes",
                f"{letter!r} is not a Holland code (RIASEC)",
            )
        holland[profile] = [HOLLAND[x] for x in letters if x]
    for occupation in parsed.rows["ref_occupations"]:
        if occupation["code"] in holland:
            occupation["data"] = {"interests": holland[occupation["code"]]}


def _texts(source: Source, profiles: dict[str, int], parsed: Parsed) -> None:
    lead: dict[str, str] = {}
    for kind, globs, column in TEXTS:
        table = source.maybe_table(*_patterns(globs))
        if table is None:
            parsed.notes.append(f"no {kind.replace('_', ' ')} file")
            continue
        parsed.used(table.path)
        table.require("OaSIS profile code", column)
        positions: dict[str, int] = {}
        for row in table:
            profile = profile_code(row.get("OaSIS profile code"))
            if not _known(profile, profiles, table, row, parsed):
                continue
            text = row.get(column).strip()
            if not text:
                continue
            positions[profile] = positions.get(profile, 0) + 1
            parsed.add(
                "ref_texts", occupation=profile, kind=kind, position=positions[profile], text=text
            )
            if kind == "lead_statement":
                lead.setdefault(profile, text)
    for occupation in parsed.rows["ref_occupations"]:
        occupation["description_en"] = lead.get(occupation["code"])


def _titles(source: Source, profiles: dict[str, int], parsed: Parsed) -> None:
    table = source.table(*_patterns(("example-titles_oasis*.csv",)))
    parsed.used(table.path)
    table.require("OaSIS profile code", "Job title text")
    for row in table:
        profile = profile_code(row.get("OaSIS profile code"))
        if not _known(profile, profiles, table, row, parsed):
            continue
        title = require_text(table, row, "Job title text")
        parsed.add_title("oasis", profile, title, kind="example", unit_group=profile[:5])
