"""O*NET 29.2 (U.S. Department of Labor): occupations, skills, technology skills, titles.

Read from the Excel release (``db_29_2_excel``) or the tab-delimited text release; the two
carry the same columns. Skills have two scales per element: importance (IM, 1–5) and level
(LV, 0–7), stored as one rating (score = importance, level = level). Technology skills
record the "Hot Technology" flag on the skill and "In Demand" per occupation (as level 1).
"""

from __future__ import annotations

import re

from microcred.reference.files import Row, Source, Table, title_key
from microcred.reference.model import Parsed, expect, optional_number, require_text

VERSION = "O*NET 29.2"
DIR = "onet*/"
SOC = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
CODE = "O*NET-SOC Code"


def _table(source: Source, parsed: Parsed, name: str) -> Table:
    table = source.table(
        f"{DIR}{name}.xlsx", f"{DIR}{name}.txt", f"{DIR}*/{name}.txt", f"{DIR}*/{name}.xlsx"
    )
    parsed.used(table.path)
    return table


def _soc(table: Table, row: Row) -> str:
    code = row.get(CODE).strip()
    expect(
        bool(SOC.match(code)),
        table,
        row,
        CODE,
        f"{code!r} is not an O*NET-SOC code like 15-1252.00",
    )
    return code


def _occupation(table: Table, row: Row, occupations: set[str]) -> str | None:
    code = _soc(table, row)
    return code if code in occupations else None


def parse(source: Source) -> Parsed:
    parsed = Parsed("onet", VERSION)
    occupations = _occupations(source, parsed)
    _skills(source, parsed, occupations)
    _technology(source, parsed, occupations)
    _titles(source, parsed, occupations)
    parsed.counts["occupations"] = len(occupations)
    parsed.counts["skill ratings"] = sum(
        1 for r in parsed.rows["ref_ratings"] if r["relation"] == "importance"
    )
    parsed.counts["technology skills"] = sum(
        1 for r in parsed.rows["ref_skills"] if r["kind"] == "technology"
    )
    parsed.counts["alternate titles"] = sum(
        1 for r in parsed.rows["ref_titles"] if r["kind"] == "alternate"
    )
    return parsed


def _occupations(source: Source, parsed: Parsed) -> set[str]:
    table = _table(source, parsed, "Occupation Data")
    table.require(CODE, "Title", "Description")
    seen: set[str] = set()
    for row in table:
        code = _soc(table, row)
        expect(code not in seen, table, row, CODE, f"{code} appears twice")
        seen.add(code)
        title = require_text(table, row, "Title")
        parsed.add(
            "ref_occupations",
            scheme="onet",
            code=code,
            parent=code[:2],
            level=6,
            title_en=title,
            title_fr=None,
            description_en=row.get("Description").strip() or None,
            description_fr=None,
            data={},
        )
        parsed.add_title("onet", code, title, kind="preferred")
    return seen


def _skills(source: Source, parsed: Parsed, occupations: set[str]) -> None:
    table = _table(source, parsed, "Skills")
    table.require(CODE, "Element ID", "Element Name", "Scale ID", "Data Value")
    elements: dict[str, str] = {}
    scales: dict[tuple[str, str], dict[str, float]] = {}
    for row in table:
        occupation = _occupation(table, row, occupations)
        element = require_text(table, row, "Element ID")
        scale = row.get("Scale ID").strip()
        expect(
            scale in ("IM", "LV"),
            table,
            row,
            "Scale ID",
            f"{scale!r} is not IM (importance) or LV (level)",
        )
        value = optional_number(table, row, "Data Value")
        expect(value is not None, table, row, "Data Value", "is empty")
        elements.setdefault(element, require_text(table, row, "Element Name"))
        if occupation is not None and value is not None:
            scales.setdefault((occupation, element), {})[scale] = value
    for element, name in elements.items():
        parsed.add(
            "ref_skills",
            scheme="onet",
            code=element,
            parent=None,
            kind="skill",
            label_en=name,
            label_fr=None,
            alt_en=None,
            alt_fr=None,
            description_en=None,
            data={},
        )
        parsed.add("ref_labels", skill=element, lang="en", label=name, key=title_key(name))
    for (occupation, element), values in scales.items():
        parsed.add(
            "ref_ratings",
            occupation=occupation,
            skill=element,
            relation="importance",
            score=values.get("IM", 0.0),
            level=values.get("LV"),
        )


def _technology(source: Source, parsed: Parsed, occupations: set[str]) -> None:
    table = _table(source, parsed, "Technology Skills")
    table.require(CODE, "Example", "Commodity Title", "Hot Technology", "In Demand")
    technologies: dict[str, dict[str, object]] = {}
    pairs: dict[tuple[str, str], bool] = {}
    for row in table:
        occupation = _occupation(table, row, occupations)
        example = require_text(table, row, "Example")
        code = "onet-tech:" + title_key(example)[:100]
        hot, demand = row.get("Hot Technology").strip(), row.get("In Demand").strip()
        for column, flag in (("Hot Technology", hot), ("In Demand", demand)):
            expect(flag in ("Y", "N", ""), table, row, column, f"{flag!r} is not Y or N")
        known = technologies.setdefault(
            code, {"label": example, "commodity": row.get("Commodity Title").strip(), "hot": False}
        )
        known["hot"] = bool(known["hot"]) or hot == "Y"
        if occupation is not None:
            pairs[(occupation, code)] = pairs.get((occupation, code), False) or demand == "Y"
    for code, info in technologies.items():
        parsed.add(
            "ref_skills",
            scheme="onet",
            code=code,
            parent=None,
            kind="technology",
            label_en=str(info["label"]),
            label_fr=None,
            alt_en=None,
            alt_fr=None,
            description_en=None,
            data={"commodity": info["commodity"], "hot": info["hot"]},
        )
        parsed.add(
            "ref_labels",
            skill=code,
            lang="en",
            label=str(info["label"]),
            key=title_key(str(info["label"])),
        )
    for (occupation, code), in_demand in pairs.items():
        parsed.add(
            "ref_ratings",
            occupation=occupation,
            skill=code,
            relation="technology",
            score=1.0,
            level=1.0 if in_demand else 0.0,
        )


def _titles(source: Source, parsed: Parsed, occupations: set[str]) -> None:
    table = _table(source, parsed, "Alternate Titles")
    table.require(CODE, "Alternate Title")
    for row in table:
        occupation = _occupation(table, row, occupations)
        title = require_text(table, row, "Alternate Title")
        if occupation is not None:
            parsed.add_title("onet", occupation, title, kind="alternate")
