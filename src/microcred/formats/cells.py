"""Parsing spreadsheet cells into typed values, with messages that say what was expected."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

SEPARATOR = " | "
_TRUE = {"true", "yes", "y", "1", "oui", "vrai", "o"}
_FALSE = {"false", "no", "n", "0", "non", "faux", ""}
_MONEY = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s*(?:CAD|\$)?$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def text(value: str | None) -> str | None:
    """Trimmed text, or None for an empty cell."""
    value = (value or "").strip()
    return value or None


def split(value: str | None) -> list[str]:
    """A multi-valued cell: values separated by '|'."""
    return [part for part in map(str.strip, (value or "").split("|")) if part]


def join(values: list[str]) -> str:
    """Write a multi-valued cell."""
    for value in values:
        if "|" in value:
            raise CellError(f"value {value!r} contains '|', which separates values in a cell")
    return SEPARATOR.join(values)


def boolean(value: str | None) -> bool:
    """true/false, yes/no, oui/non, 1/0; an empty cell is false."""
    lowered = (value or "").strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError(f"{value!r} is not true or false; expected true, false, yes or no")


def money(value: str | None) -> Decimal | None:
    """CAD amounts like 1250, 1250.00, $1,250.00; an empty cell is None."""
    raw = (value or "").strip()
    if not raw:
        return None
    match = _MONEY.match(raw)
    if not match:
        raise CellError(f"{raw!r} is not a number; expected CAD like 1250.00")
    return Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))


def number(value: str | None, unit: str) -> Decimal | None:
    """A plain non-negative decimal number like 36 or 7.5; an empty cell is None."""
    raw = (value or "").strip()
    if not raw:
        return None
    if not _NUMBER.match(raw):
        raise CellError(f"{raw!r} is not a number; expected {unit} like 36 or 7.5")
    try:
        return Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
        raise CellError(f"{raw!r} is not a number") from exc
