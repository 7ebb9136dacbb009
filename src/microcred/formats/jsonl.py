"""JSON Lines: one ``{"provider": {...}, "listing": {...}}`` object per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from pydantic import ValidationError

from microcred.domain.listing import LISTING_FIELDS, Listing, ListingData
from microcred.domain.organization import ORGANIZATION_FIELDS, Organization, OrganizationData
from microcred.errors import Problem
from microcred.formats.records import ImportRecord, ParsedFile, problems_from
from microcred.formats.text import utf8_lines


def _parse_line(line: int, raw: str) -> ImportRecord | list[Problem]:
    try:
        obj: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        return [Problem("json", f"column {exc.colno}: {exc.msg}", line=line)]
    if not isinstance(obj, dict) or set(obj) != {"provider", "listing"}:
        return [
            Problem("json", 'expected an object with exactly "provider" and "listing"', line=line)
        ]
    problems: list[Problem] = []
    try:
        listing = ListingData.model_validate(obj["listing"])
    except ValidationError as exc:
        problems += problems_from(exc, line, prefix="listing.")
    try:
        provider = OrganizationData.model_validate(obj["provider"])
    except ValidationError as exc:
        problems += problems_from(exc, line, prefix="provider.")
    return problems or ImportRecord.of(line, provider, listing)


def read(stream: IO[bytes]) -> ParsedFile:
    """Read JSON Lines (UTF-8). Blank lines are skipped."""
    parsed = ParsedFile()
    for line, raw in enumerate(utf8_lines(stream), start=1):
        if not raw.strip():
            continue
        parsed.rows_read += 1
        outcome = _parse_line(line, raw)
        if isinstance(outcome, list):
            parsed.problems += outcome
        else:
            parsed.records.append(outcome)
    return parsed


def write(
    rows: Iterable[tuple[Listing | ListingData, Organization | OrganizationData]], out: IO[str]
) -> int:
    """Write listings as JSON Lines; returns the number written."""
    count = 0
    for listing, provider in rows:
        record = {
            "provider": provider.model_dump(mode="json", include=ORGANIZATION_FIELDS),
            "listing": listing.model_dump(mode="json", include=LISTING_FIELDS),
        }
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
