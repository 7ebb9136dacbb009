"""NOC 2021 v1.0 classification structure (Statistics Canada).

Five levels: broad category (1 digit) → major group (2) → sub-major (3) → minor (4) → unit
group (5). The published CSV drops leading zeros, so codes are padded to their level's
length. TEER is the second digit of any code from the major group down.
"""

from __future__ import annotations

from microcred.reference.files import ReferenceFileError, Source
from microcred.reference.model import Parsed, expect, integer, require_text

VERSION = "NOC 2021 v1.0"
LEVELS = {
    1: "broad categories",
    2: "major groups",
    3: "sub-major groups",
    4: "minor groups",
    5: "unit groups",
}
FILES = (
    "noc2021/noc_structure_en.csv",
    "noc2021/*structure*.csv",
    "noc*/*classification*structure*.csv",
)
CODE = "Code - NOC 2021 V1.0"


def parse(source: Source) -> Parsed:
    parsed = Parsed("noc", VERSION)
    table = source.table(*FILES)
    parsed.used(table.path)
    table.require("Level", CODE, "Class title", "Class definition")
    seen: dict[str, int] = {}
    for row in table:
        level = integer(table, row, "Level", low=1, high=5)
        raw = row.get(CODE).strip()
        expect(
            raw.isdigit() and len(raw) <= level,
            table,
            row,
            CODE,
            f"{raw!r} is not a level-{level} NOC code",
        )
        code = raw.zfill(level)
        expect(
            code not in seen,
            table,
            row,
            CODE,
            f"{code} appears twice (first on line {seen.get(code)})",
        )
        seen[code] = row.line
        title = require_text(table, row, "Class title")
        parent = code[:-1] if level > 1 else None
        if parent is not None:
            expect(
                parent in seen,
                table,
                row,
                CODE,
                f"{code}'s parent {parent} is not listed before it",
            )
        data = {"teer": int(code[1])} if level >= 2 else {}
        parsed.add(
            "ref_occupations",
            scheme="noc",
            code=code,
            parent=parent,
            level=level,
            title_en=title,
            title_fr=None,
            description_en=row.get("Class definition").strip() or None,
            description_fr=None,
            data=data,
        )
        if level == 5:
            parsed.add_title("noc", code, title, kind="preferred", unit_group=code)
    for level, name in LEVELS.items():
        parsed.counts[name] = sum(1 for r in parsed.rows["ref_occupations"] if r["level"] == level)
    if not parsed.counts["unit groups"]:
        raise ReferenceFileError(
            table.name, "no unit groups (level 5): is this the NOC 2021 structure file?"
        )
    return parsed
