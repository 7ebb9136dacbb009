"""microcred's documented CSV template (docs/csv-template.md): one listing per row.

Multi-valued cells separate values with '|'. Skills are ``scheme:id``, optionally followed by
``@proficiency`` and `` = label`` (e.g. ``oasis:F01a01@advanced = Active Listening``).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from pydantic import ValidationError

from microcred.domain.listing import Listing, ListingData, ListingDigest
from microcred.domain.organization import Organization, OrganizationData
from microcred.errors import InvalidInput, Problem
from microcred.formats import cells
from microcred.formats.records import ImportRecord, ParsedFile, merge, problems_from
from microcred.formats.text import utf8_lines

PROVIDER_COLUMNS = [
    "provider_slug",
    "provider_name_en",
    "provider_name_fr",
    "provider_kind",
    "provider_province",
    "provider_website",
]
LISTING_COLUMNS = [
    "external_id",
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "kind",
    "learning_outcomes",
    "skills",
    "assessment_type",
    "assessment_description",
    "assessment_summative",
    "hours",
    "weeks",
    "delivery_mode",
    "languages",
    "province",
    "city",
    "cost_cad",
    "cost_includes",
    "start_dates",
    "prerequisites",
    "credits",
    "stacks_into",
    "credit_transfer",
    "industry_partners",
    "quality_assurance",
    "target_nocs",
    "cip_code",
    "osap_eligible",
    "ctc_eligible",
    "url",
    "status",
]
COLUMNS = ["external_id", *PROVIDER_COLUMNS, *LISTING_COLUMNS[1:]]
REQUIRED = ["external_id", "provider_kind", "hours", "delivery_mode", "languages", "cost_cad"]
# pydantic locations → the CSV column a provider should fix.
ALIASES = {
    "assessment.type": "assessment_type",
    "assessment.description": "assessment_description",
    "assessment.summative": "assessment_summative",
    "skills.scheme": "skills",
    "skills.id": "skills",
    "skills.proficiency": "skills",
}
_PROVIDER_ALIASES = {
    "slug": "provider_slug",
    "name_en": "provider_name_en",
    "name_fr": "provider_name_fr",
    "kind": "provider_kind",
    "province": "provider_province",
    "website": "provider_website",
    "row": "provider_name_en",
}


def _skill(cell: str) -> dict[str, str]:
    cell, _, label = cell.partition(" = ")
    scheme, sep, rest = cell.partition(":")
    if not sep or not rest:
        raise cells.CellError(f"{cell!r} is not a skill; expected scheme:id like oasis:F01a01")
    # ESCO URIs contain ':' themselves, so the proficiency is the part after the last '@'.
    ident, at, level = rest.rpartition("@") if "@" in rest else (rest, "", "")
    out = {"scheme": scheme.strip().lower(), "id": ident.strip()}
    if at:
        out["proficiency"] = level.strip().lower()
    if label.strip():
        out["label"] = label.strip()
    return out


_CONVERTERS: dict[str, Callable[[str | None], Any]] = {
    "hours": lambda v: cells.number(v, "hours"),
    "weeks": lambda v: cells.number(v, "weeks"),
    "credits": lambda v: cells.number(v, "credits"),
    "cost_cad": cells.money,
    "osap_eligible": cells.boolean,
    "ctc_eligible": cells.boolean,
    "learning_outcomes": cells.split,
    "languages": cells.split,
    "start_dates": cells.split,
    "stacks_into": cells.split,
    "industry_partners": cells.split,
    "target_nocs": cells.split,
    "skills": lambda v: [_skill(c) for c in cells.split(v)],
}


_TEXT_COLUMNS = [
    c for c in LISTING_COLUMNS if c not in _CONVERTERS and not c.startswith("assessment_")
]


def _listing_dict(row: dict[str, str]) -> tuple[dict[str, Any], list[_ColumnError]]:
    """Translate cells to the model's shape, leaving out (and naming) every bad cell."""
    # The hot loop of big imports: a comprehension over present, non-blank text cells.
    out: dict[str, Any] = {
        column: text for column in _TEXT_COLUMNS if (text := (row.get(column) or "").strip())
    }
    errors: list[_ColumnError] = []
    for column, convert in _CONVERTERS.items():
        raw = row.get(column)
        if not raw:  # an empty cell means "not stated": the model's default applies
            continue
        try:
            value = convert(raw)
        except cells.CellError as exc:
            errors.append(_ColumnError(column, str(exc)))
            continue
        if value is not None and value != []:
            out[column] = value
    if cells.text(row.get("assessment_type")):
        try:
            summative = cells.boolean(row.get("assessment_summative") or "true")
        except cells.CellError as exc:
            errors.append(_ColumnError("assessment_summative", str(exc)))
            summative = True
        out["assessment"] = {
            "type": cells.text(row.get("assessment_type")),
            "description": cells.text(row.get("assessment_description")),
            "summative": summative,
        }
    errors += [
        _ColumnError(column, "is empty; every listing needs it", "missing")
        for column in ("hours", "cost_cad")
        if column not in out and column not in {e.column for e in errors}
    ]
    return out, errors


class _ColumnError(Exception):
    def __init__(self, column: str, message: str, code: str = "invalid_cell") -> None:
        super().__init__(message)
        self.column, self.message, self.code = column, message, code


def provider_from_cells(row: dict[str, str]) -> dict[str, Any]:
    """The provider part of a row, in the model's shape."""
    return {
        "slug": cells.text(row.get("provider_slug")) or "",
        "name_en": cells.text(row.get("provider_name_en")),
        "name_fr": cells.text(row.get("provider_name_fr")),
        "kind": cells.text(row.get("provider_kind")),
        "province": cells.text(row.get("provider_province")),
        "website": cells.text(row.get("provider_website")),
    }


def check_header(header: list[str] | None) -> list[str]:
    """Raise InvalidInput naming unknown and missing columns."""
    if not header:
        raise InvalidInput("the file is empty", [Problem("header", "no header row", line=1)])
    names = [h.strip() for h in header]
    problems = [
        Problem("header", f"unknown column {name!r}", line=1)
        for name in names
        if name not in COLUMNS
    ]
    problems += [
        Problem("header", f"missing required column {name!r}", line=1)
        for name in REQUIRED
        if name not in names
    ]
    if "provider_slug" not in names and "provider_name_en" not in names:
        problems.append(Problem("header", "need provider_slug or provider_name_en", line=1))
    dupes = {n for n in names if names.count(n) > 1}
    problems += [Problem("header", f"column {d!r} appears twice", line=1) for d in sorted(dupes)]
    if problems:
        raise InvalidInput(
            "the CSV header does not match the microcred template (see docs/csv-template.md)",
            problems,
        )
    return names


def listing_from_cells(row: dict[str, str], line: int | None = None) -> ListingData | list[Problem]:
    """Validate the listing part of a row (CSV or web form); returns it or every problem."""
    values, errors = _listing_dict(row)
    problems = [Problem(e.column, e.message, code=e.code, line=line) for e in errors]
    try:
        listing = ListingData.model_validate(values)
    except ValidationError as exc:
        reported = {p.location for p in problems}
        return problems + [
            p for p in problems_from(exc, line, ALIASES) if p.location not in reported
        ]
    return problems or listing


ProviderCache = dict[tuple[str, ...], OrganizationData | ValidationError]


def provider_key(row: dict[str, str]) -> tuple[str, ...]:
    """The row's provider cells (rows of one provider share them)."""
    return tuple(row.get(c, "") for c in PROVIDER_COLUMNS)


def provider_of(key: tuple[str, ...], cache: ProviderCache) -> OrganizationData | ValidationError:
    """The provider named by ``key`` cells, validated once per distinct key."""
    found = cache.get(key)
    if found is None:
        try:
            found = OrganizationData.model_validate(
                provider_from_cells(dict(zip(PROVIDER_COLUMNS, key, strict=True)))
            )
        except ValidationError as exc:
            found = exc
        cache[key] = found
    return found


def record(
    line: int,
    provider: OrganizationData | ValidationError,
    listing: ListingData | ListingDigest | list[Problem],
) -> ImportRecord | list[Problem]:
    """Combine a row's provider and listing outcomes into a record or its problems."""
    problems = list(listing) if isinstance(listing, list) else []
    if isinstance(provider, ValidationError):
        problems += problems_from(provider, line, _PROVIDER_ALIASES)
    if problems or isinstance(provider, ValidationError) or isinstance(listing, list):
        return problems
    if isinstance(listing, ListingDigest):
        return ImportRecord(line, provider, listing)
    return ImportRecord.of(line, provider, listing)


def parse_row(
    line: int, row: dict[str, str], cache: ProviderCache | None = None
) -> ImportRecord | list[Problem]:
    """Validate one data row; returns the record or the problems found."""
    provider = provider_of(provider_key(row), {} if cache is None else cache)
    return record(line, provider, listing_from_cells(row, line))


Row = tuple[int, list[str] | Problem]
CHUNK_ROWS = 2000


def rows(reader: Any, names: list[str], first_line: int = 1) -> Iterator[Row]:
    """Non-blank rows; a row with the wrong number of cells comes as its Problem."""
    offset = first_line - 1
    for values in reader:
        if not any(values):  # a blank line, or a row of empty cells
            continue
        line = reader.line_num + offset
        if len(values) != len(names):
            message = f"has {len(values)} cells, the header has {len(names)}"
            yield line, Problem("row", message, line=line)
        else:
            yield line, values


def not_csv(exc: csv.Error, line: int) -> InvalidInput:
    """The error for a file the csv module cannot read."""
    return InvalidInput("the file is not well-formed CSV", [Problem("csv", str(exc), line=line)])


def chunked(rows: Iterable[Row], size: int = CHUNK_ROWS) -> Iterator[list[Row]]:
    """Rows in lists of ``size``."""
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def add(parsed: ParsedFile, outcome: ImportRecord | list[Problem]) -> None:
    """File a row's outcome."""
    if isinstance(outcome, list):
        parsed.problems += outcome
    else:
        parsed.records.append(outcome)


def _in_process(chunks: Iterable[list[Row]], names: list[str]) -> Iterator[ParsedFile]:
    providers: ProviderCache = {}
    for chunk in chunks:
        parsed = ParsedFile(rows_read=len(chunk))
        for line, values in chunk:
            if isinstance(values, Problem):
                parsed.problems.append(values)
            else:
                add(parsed, parse_row(line, dict(zip(names, values, strict=True)), providers))
        yield parsed


def read_chunks(stream: IO[bytes], *, workers: int = 1) -> Iterator[ParsedFile]:
    """Read a template CSV (UTF-8, BOM or not) chunk by chunk; header errors raise InvalidInput.

    ``workers`` > 1 reads and validates rows in that many processes (worth it for big files).
    """
    if workers > 1:
        from microcred.formats.parallel import read_in_processes

        yield from read_in_processes(stream, workers=workers)
        return
    reader = csv.reader(utf8_lines(stream))
    try:
        names = check_header(next(reader, None))
        yield from _in_process(chunked(rows(reader, names)), names)
    except csv.Error as exc:
        raise not_csv(exc, reader.line_num) from None


def read(stream: IO[bytes], *, workers: int = 1) -> ParsedFile:
    """Read a whole template CSV (see ``read_chunks``)."""
    return merge(read_chunks(stream, workers=workers))


def listing_cells(listing: ListingData) -> dict[str, str]:
    """The listing part of a row, as cell text (the inverse of ``listing_from_cells``)."""
    data = listing.model_dump(mode="json")
    row: dict[str, str] = {}
    for column in LISTING_COLUMNS:
        value = data.get(column)
        if column == "skills":
            row[column] = cells.join(
                [
                    f"{s['scheme']}:{s['id']}"
                    + (f"@{s['proficiency']}" if s["proficiency"] else "")
                    + (f" = {s['label']}" if s["label"] else "")
                    for s in value or []
                ]
            )
        elif column.startswith("assessment_"):
            part = (data["assessment"] or {}).get(column.removeprefix("assessment_"))
            if isinstance(part, bool):
                part = "true" if part else "false"
            row[column] = "" if part is None else str(part)
        elif isinstance(value, list):
            row[column] = cells.join([str(v) for v in value])
        elif isinstance(value, bool):
            row[column] = "true" if value else "false"
        else:
            row[column] = "" if value is None else str(value)
    return row


def to_row(listing: ListingData, provider: OrganizationData) -> dict[str, str]:
    """One CSV row for a listing and its provider."""
    return {
        "provider_slug": provider.slug,
        "provider_name_en": provider.name_en or "",
        "provider_name_fr": provider.name_fr or "",
        "provider_kind": provider.kind.value,
        "provider_province": provider.province.value if provider.province else "",
        "provider_website": str(provider.website) if provider.website else "",
        **listing_cells(listing),
    }


def write(
    rows: Iterable[tuple[Listing | ListingData, Organization | OrganizationData]],
    out: IO[str],
) -> int:
    """Write listings as template CSV; returns the number of rows written."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for listing, provider in rows:
        writer.writerow(to_row(listing, provider))
        count += 1
    return count
