"""COPS 2024–2033 (ESDC Canadian Occupational Projection System), NOC 2021 edition.

Bilingual files, one per table, 533 rows each: the total (``00000``), ``TEER_x``,
``NOC1_x`` aggregates and the 516 unit groups. The summary file carries the French unit
group titles, the ten-year totals and the recent and future labour-market conditions;
yearly series come from the employment, job openings and job seekers files.
"""

from __future__ import annotations

import re
from typing import cast

from microcred.reference.files import Source, Table
from microcred.reference.model import Parsed, expect, optional_number, require_text

VERSION = "COPS 2024-2033"
DIR = "cops*/"
# Future conditions speak of "risk", recent ones of "signs".
CONDITIONS = re.compile(r"^(Balance|(Moderate|Strong) (risk|signs) of (Shortage|Surplus))$")
# Summary figures: our name → the start of the publisher's (bilingual) column name.
FIGURES = {
    "employment_2023": "Employment_emploi_",
    "employment_growth": "Employment_Growth",
    "retirements": "Retirements",
    "other_replacement": "Other_Replacement",
    "job_openings": "Total_Job_Openings",
    "school_leavers": "School_Leavers",
    "immigration": "Immigration",
    "other_seekers": "Other_Seekers",
    "job_seekers": "Job_Seekers",
}
SERIES = {
    "employment": "employment_emploi_*.csv",
    "job_openings": "jo_pe_*.csv",
    "job_seekers": "job_seekers_chercheurs_emploi_*.csv",
}
CODE = re.compile(r"^(\d{5}|TEER_\d|NOC1_\d)$")


def _column(table: Table, prefix: str) -> str:
    column = next((h for h in table.header if h.casefold().startswith(prefix.casefold())), None)
    if column is None:
        table.require(prefix + "…")
    assert column is not None
    return column


def parse(source: Source) -> Parsed:
    parsed = Parsed("cops", VERSION)
    table = source.table(DIR + "summary_sommaire_*.csv")
    parsed.used(table.path)
    table.require("Code")
    name_en, name_fr = _column(table, "Occupation"), _column(table, "Nom")
    recent, future = _column(table, "Recent_Labour"), _column(table, "Future_Labour")
    recent_fr, future_fr = _column(table, "Conditions_r"), _column(table, "Conditions_f")
    figures = {ours: _column(table, theirs) for ours, theirs in FIGURES.items()}
    rows: dict[str, dict[str, object]] = {}
    yearly: dict[str, dict[str, object]] = {}  # code → series name → year → figure
    for row in table:
        code = row.get("Code").strip()
        expect(
            bool(CODE.match(code)),
            table,
            row,
            "Code",
            f"{code!r} is not a NOC 2021 unit group or COPS aggregate code",
        )
        expect(code not in rows, table, row, "Code", f"{code} appears twice")
        conditions = {}
        for column in (recent, future):
            value = row.get(column).strip()
            known = bool(CONDITIONS.match(value))
            expect(
                known or value in ("N/A", ""),
                table,
                row,
                column,
                f"{value!r} is not Balance, Moderate/Strong risk (or signs) of Shortage/Surplus, or N/A",
            )
            conditions[column] = value if known else None
        data: dict[str, object] = {
            name: optional_number(table, row, column) for name, column in figures.items()
        }
        data["recent_conditions_fr"] = row.get(recent_fr).strip() if conditions[recent] else None
        data["future_conditions_fr"] = row.get(future_fr).strip() if conditions[future] else None
        title_fr = row.get(name_fr).strip() or None
        rows[code] = {
            "code": code,
            "title_en": require_text(table, row, name_en),
            "title_fr": title_fr,
            "recent_conditions": conditions[recent],
            "future_conditions": conditions[future],
            "data": data,
        }
        if code.isdigit() and code != "00000" and title_fr:
            parsed.add_title("cops", code, title_fr, kind="preferred", lang="fr", unit_group=code)
    for name, pattern in SERIES.items():
        series = source.maybe_table(DIR + pattern)
        if series is None:
            parsed.notes.append(
                f"no {name.replace('_', ' ')} file ({pattern}): yearly {name} not loaded"
            )
            continue
        parsed.used(series.path)
        series.require("Code")
        years = [h for h in series.header if h.isdigit()]
        for row in series:
            code = row.get("Code").strip()
            if code in rows:
                values = {year: optional_number(series, row, year) for year in years}
                yearly.setdefault(code, {})[name] = values
    for code, found in yearly.items():
        cast(dict[str, object], rows[code]["data"])["series"] = found
    for record in rows.values():
        parsed.add("ref_outlooks", **record)
    parsed.counts["unit group outlooks"] = sum(1 for c in rows if c.isdigit() and c != "00000")
    parsed.counts["future conditions known"] = sum(
        1 for c, r in rows.items() if c.isdigit() and r["future_conditions"]
    )
    parsed.counts["aggregates"] = len(rows) - parsed.counts["unit group outlooks"]
    return parsed
