"""What a dataset loader produces: rows for the reference tables, counts and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microcred.reference.files import ReferenceFileError, Row, Table, title_key

TABLES = (
    "ref_occupations",
    "ref_skills",
    "ref_titles",
    "ref_labels",
    "ref_ratings",
    "ref_texts",
    "ref_outlooks",
    "ref_crosswalk",
)


@dataclass
class Parsed:
    """One dataset read and checked in memory, ready to be written as a new version."""

    dataset: str
    version: str
    files: list[Path] = field(default_factory=list)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, table: str, **row: Any) -> None:
        self.rows[table].append(row)

    def add_title(
        self,
        scheme: str,
        occupation: str,
        title: str,
        *,
        kind: str,
        lang: str = "en",
        unit_group: str | None = None,
    ) -> None:
        """A job title of an occupation, with its lookup key (``title_key``)."""
        self.add(
            "ref_titles",
            scheme=scheme,
            occupation=occupation,
            unit_group=unit_group,
            lang=lang,
            kind=kind,
            title=title,
            key=title_key(title),
        )

    def used(self, path: Path | None) -> None:
        if path is not None and path not in self.files:
            self.files.append(path)


def integer(
    table: Table, row: Row, column: str, *, low: int | None = None, high: int | None = None
) -> int:
    """A whole number cell (thousands separators allowed), range-checked."""
    raw = row.get(column).strip().replace(",", "")
    try:
        value = int(float(raw)) if raw.endswith(".0") else int(raw)
    except ValueError:
        raise table.error(row, column, f"{row.get(column)!r} is not a whole number") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise table.error(row, column, f"{value} is outside {low}–{high}")
    return value


def optional_number(table: Table, row: Row, column: str) -> float | None:
    """A number cell where the publisher writes N/A (or nothing) for 'not available'."""
    raw = row.get(column).strip().replace(",", "")
    if raw in ("", "N/A", "N/D", "NA", "-", "x", "X", "F"):
        return None
    try:
        return float(raw)
    except ValueError:
        raise table.error(row, column, f"{row.get(column)!r} is not a number or N/A") from None


def require_text(table: Table, row: Row, column: str) -> str:
    value = row.get(column).strip()
    if not value:
        raise table.error(row, column, "is empty")
    return value


def expect(condition: bool, table: Table, row: Row, column: str, message: str) -> None:
    if not condition:
        raise table.error(row, column, message)


__all__ = ["Parsed", "ReferenceFileError", "expect", "integer", "optional_number", "require_text"]
