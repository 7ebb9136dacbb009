"""Mappings from real-world course catalogues (edX and Udemy exports) into listings.

These files are messy (broken multi-line cells, USD prices, free-text durations); every value
that cannot be mapped is reported against its line, never guessed and never a crash.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO, Any
from urllib.parse import urlparse

from pydantic import ValidationError

from microcred.domain.listing import ListingData
from microcred.domain.organization import OrganizationData
from microcred.domain.vocab import CredentialKind, DeliveryMode, OrganizationKind
from microcred.errors import InvalidInput, Problem
from microcred.formats.records import ImportRecord, ParsedFile, problems_from
from microcred.formats.text import utf8_lines

LANGUAGES = {
    "english": "en",
    "français": "fr",
    "french": "fr",
    "español": "es",
    "spanish": "es",
    "italiano": "it",
    "português": "pt",
    "deutsch": "de",
    "中文": "zh",
    "日本語": "ja",
    "русский": "ru",
    "العربية": "ar",
    "한국어": "ko",
    "türkçe": "tr",
    "nederlands": "nl",
}
_EFFORT = re.compile(r"^(\d+(?:\.\d+)?)(?:\s*[–-]\s*(\d+(?:\.\d+)?))?\s+hours? per week$", re.I)
_LENGTH = re.compile(r"^(\d+)\s+weeks?$", re.I)
_EDX_PRICE = re.compile(r"^FREE-Add a Verified Certificate for \$(\d+(?:\.\d{1,2})?) USD$")
_SCHOOL = re.compile(r"universit|college|école|school|institut|polytechn", re.I)


class Unmappable(ValueError):
    """A source value with no faithful counterpart; ``column`` names where it was."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _usd(amount: Decimal, usd_rate: Decimal | None, column: str) -> Decimal:
    if usd_rate is None:
        raise Unmappable(
            column,
            f"price {amount} is in USD; microcred records CAD "
            "(pass --usd-rate, e.g. 1.37, to convert)",
        )
    return (amount * usd_rate).quantize(Decimal("0.01"))


def _language(value: str) -> str:
    first = value.split(",")[0].strip().lower()
    if first not in LANGUAGES:
        raise Unmappable("language", f"{value!r} is not a language microcred knows")
    return LANGUAGES[first]


def edx_row(
    row: dict[str, str], usd_rate: Decimal | None
) -> tuple[OrganizationData, dict[str, Any]]:
    """Map one row of the edX catalogue export."""
    url = (row.get("course_url") or "").strip()
    if not url.startswith("https://www.edx.org/"):
        raise Unmappable("course_url", f"{url[:60]!r} is not an edX course URL")
    institution = (row.get("institution") or "").strip()
    if not institution or len(institution) > 200:
        raise Unmappable("institution", "is empty or not an institution name")
    effort, length = (
        _EFFORT.match(row.get("course_effort", "").strip()),
        _LENGTH.match(row.get("course_length", "").strip()),
    )
    if not effort or not length:
        raise Unmappable(
            "course_effort",
            f"cannot compute hours from {row.get('course_effort')!r}"
            f" and {row.get('course_length')!r}",
        )
    weekly = (Decimal(effort.group(1)) + Decimal(effort.group(2) or effort.group(1))) / 2
    price = _EDX_PRICE.match(row.get("price", "").strip())
    if not price:
        raise Unmappable(
            "price", f"{row.get('price', '')[:60]!r} is not a price microcred can read"
        )
    certificate = _usd(Decimal(price.group(1)), usd_rate, "price")
    language = _language(row.get("language", ""))
    paced = row.get("course_type", "").strip().lower()
    provider = OrganizationData(
        name_en=institution,
        kind=OrganizationKind.UNIVERSITY
        if _SCHOOL.search(institution)
        else OrganizationKind.PRIVATE_TRAINER,
    )
    title_key = "title_fr" if language == "fr" else "title_en"
    desc_key = "description_fr" if language == "fr" else "description_en"
    return provider, {
        "external_id": urlparse(url).path.rstrip("/").rsplit("/", 1)[-1],
        title_key: row.get("title"),
        desc_key: " ".join(p for p in (row.get("summary"), row.get("course_description")) if p),
        "kind": CredentialKind.COURSE,
        "hours": (weekly * int(length.group(1))).quantize(Decimal("0.1")),
        "weeks": int(length.group(1)),
        "delivery_mode": DeliveryMode.ONLINE_SYNC
        if paced.startswith("instructor")
        else DeliveryMode.ONLINE_ASYNC,
        "languages": [language],
        "cost_cad": certificate,
        "cost_includes": "Verified certificate (the course itself is free to audit)",
        "url": url,
    }


def udemy_row(
    row: dict[str, str], usd_rate: Decimal | None
) -> tuple[OrganizationData, dict[str, Any]]:
    """Map one row of the Udemy catalogue export."""
    course_id = (row.get("course_id") or "").strip()
    if not course_id.isdigit():
        raise Unmappable("course_id", f"{course_id!r} is not a Udemy course id")
    price_text = (row.get("price") or "").strip()
    if row.get("is_paid", "").strip().upper() == "FALSE" or price_text in ("0", "Free"):
        price = Decimal(0)
    elif re.fullmatch(r"\d+(\.\d{1,2})?", price_text):
        price = _usd(Decimal(price_text), usd_rate, "price")
    else:
        raise Unmappable("price", f"{price_text!r} is not a number")
    try:
        hours = Decimal(row.get("content_duration", "").strip()).quantize(Decimal("0.1"))
    except ArithmeticError:
        raise Unmappable(
            "content_duration", f"{row.get('content_duration')!r} is not hours"
        ) from None
    provider = OrganizationData(
        slug="udemy",
        name_en="Udemy",
        kind=OrganizationKind.PRIVATE_TRAINER,
        website="https://www.udemy.com/",
    )
    return provider, {
        "external_id": course_id,
        "title_en": row.get("course_title"),
        "kind": CredentialKind.CERTIFICATE_OF_COMPLETION,
        "hours": hours,
        "delivery_mode": DeliveryMode.ONLINE_ASYNC,
        "languages": ["en"],
        "cost_cad": price,
        "url": row.get("url"),
    }


Mapper = Callable[[dict[str, str], Decimal | None], tuple[OrganizationData, dict[str, Any]]]
MAPPERS: dict[str, tuple[Mapper, set[str]]] = {
    "edx": (edx_row, {"title", "institution", "course_url", "price", "course_effort"}),
    "udemy": (udemy_row, {"course_id", "course_title", "url", "price", "content_duration"}),
}


def _rows(text: Iterable[str], needed: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(text)
    header: list[str] | None = None
    for values in reader:
        if header is None:
            # Udemy's export starts with a title line before the header.
            if needed <= {v.strip() for v in values}:
                header = [v.strip() for v in values]
            elif reader.line_num > 2:
                break
            continue
        yield reader.line_num, dict(zip(header, values, strict=False))
    if header is None:
        raise InvalidInput(
            "not the expected catalogue export",
            [Problem("header", f"needs columns {sorted(needed)}", line=1)],
        )


def read(stream: IO[bytes], catalogue: str, *, usd_rate: Decimal | None = None) -> ParsedFile:
    """Read an edX or Udemy export into records; every unmappable row becomes a problem."""
    mapper, needed = MAPPERS[catalogue]
    parsed = ParsedFile()
    try:
        for line, row in _rows(utf8_lines(stream), needed):
            parsed.rows_read += 1
            try:
                provider, listing = mapper(row, usd_rate)
                parsed.records.append(
                    ImportRecord.of(line, provider, ListingData.model_validate(listing))
                )
            except Unmappable as exc:
                parsed.problems.append(Problem(exc.column, str(exc), code="unmappable", line=line))
            except ValidationError as exc:
                parsed.problems += problems_from(exc, line)
    except csv.Error as exc:
        raise InvalidInput("the file is not well-formed CSV", [Problem("csv", str(exc))]) from None
    return parsed
