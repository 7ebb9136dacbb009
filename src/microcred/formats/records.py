"""What every importer produces: validated records, or precise problems, per source line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from microcred.domain.listing import ListingData, ListingDigest
from microcred.domain.organization import OrganizationData
from microcred.errors import Problem


@dataclass(frozen=True)
class ImportRecord:
    """One validated listing (its digest, and the model when parsed in this process) and its
    provider, read from ``line`` of a source file."""

    line: int
    provider: OrganizationData
    digest: ListingDigest
    listing: ListingData | None = None

    @classmethod
    def of(cls, line: int, provider: OrganizationData, listing: ListingData) -> ImportRecord:
        """A record for a listing validated in this process."""
        return cls(line, provider, ListingDigest.of(listing), listing)


@dataclass
class ParsedFile:
    """Every record that validated, and every problem found, in source order."""

    records: list[ImportRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0


def merge(chunks: Iterable[ParsedFile]) -> ParsedFile:
    """One ParsedFile from chunks read in order."""
    whole = ParsedFile()
    for chunk in chunks:
        whole.records += chunk.records
        whole.problems += chunk.problems
        whole.rows_read += chunk.rows_read
    return whole


def _location(loc: tuple[int | str, ...], aliases: Mapping[str, str]) -> str:
    if not loc:
        return "row"
    key = ".".join(str(part) for part in loc if not isinstance(part, int))
    return aliases.get(key, aliases.get(str(loc[0]), str(loc[0])))


def problems_from(
    error: ValidationError,
    line: int | None,
    aliases: Mapping[str, str] | None = None,
    prefix: str = "",
) -> list[Problem]:
    """Turn a pydantic error into problems naming the source column (via ``aliases``)."""
    out = []
    for item in error.errors(include_url=False):
        named = (item.get("ctx") or {}).get("field")
        loc = _location((named,) if named else tuple(item["loc"]), aliases or {})
        message = str(item["msg"]).removeprefix("Value error, ")
        value: Any = item.get("input")
        if item["type"] not in ("missing", "model_type") and isinstance(value, str | int | float):
            message = f"{value!r}: {message}"
        out.append(Problem(f"{prefix}{loc}", message, code=str(item["type"]), line=line))
    return out
