"""``microcred import`` and ``microcred export``."""

from __future__ import annotations

import sys
from dataclasses import asdict
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from microcred.catalog.importer import ImportReport
from microcred.catalog.service import read_file
from microcred.cli.context import err, microcred, out, print_json
from microcred.errors import InvalidInput, Problem
from microcred.formats import csv_template, external, jsonl
from microcred.formats.records import ParsedFile


class ImportFormat(StrEnum):
    """Formats ``microcred import`` reads."""

    csv = "csv"
    jsonl = "jsonl"
    edx = "edx"
    udemy = "udemy"


class ExportFormat(StrEnum):
    """Formats ``microcred export`` writes."""

    csv = "csv"
    jsonl = "jsonl"


def _guess(path: Path) -> ImportFormat:
    return ImportFormat.jsonl if path.suffix.lower() in (".jsonl", ".ndjson") else ImportFormat.csv


def _parse(path: Path, fmt: ImportFormat, usd_rate: float | None) -> ParsedFile:
    if not path.is_file():
        raise InvalidInput(f"cannot read {path}", [Problem("FILE", "no such file")])
    with path.open("rb") as stream:
        if fmt in (ImportFormat.edx, ImportFormat.udemy):
            rate = Decimal(str(usd_rate)) if usd_rate else None
            return external.read(stream, fmt.value, usd_rate=rate)
        return read_file(stream, fmt.value)


def _report(report: ImportReport, as_json: bool) -> None:
    if as_json:
        data = asdict(report)
        data["rejected"] = [asdict(p) for p in report.rejected]
        print_json(data)
        return
    out.print(
        f"read {report.rows} rows: [green]{report.inserted} inserted[/], {report.updated} updated, "
        f"{report.unchanged} unchanged, [red]{report.rejected_lines} rejected[/]; "
        f"{report.organizations_created} new providers"
    )
    for problem in report.rejected[:200]:
        err.print(f"  rejected {problem}", markup=False, highlight=False)
    if len(report.rejected) > 200:
        err.print(f"  … and {len(report.rejected) - 200} more (use --json for all)")


def import_(
    file: Annotated[
        Path, typer.Argument(help="CSV (microcred template), JSON Lines, or an edX/Udemy export.")
    ],
    strict: Annotated[
        bool, typer.Option("--strict", help="Reject the whole file on any error.")
    ] = False,
    fmt: Annotated[
        ImportFormat | None, typer.Option("--format", help="Default: from the file extension.")
    ] = None,
    usd_rate: Annotated[
        float | None, typer.Option(help="CAD per USD, to convert USD prices (edx, udemy).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Validate every row, then write all valid rows in one transaction (re-importing changes nothing)."""
    parsed = _parse(file, fmt or _guess(file), usd_rate)
    with microcred() as mc, Progress(console=err, transient=True, disable=as_json) as bar:
        task = bar.add_task("importing", total=len(parsed.records))
        report = mc.catalog.import_parsed(
            parsed,
            source=(fmt or _guess(file)).value,
            strict=strict,
            progress=lambda n: bar.advance(task, n),
        )
    _report(report, as_json)
    if report.rejected:  # the valid rows were imported; say so in the exit status too
        raise typer.Exit(2)


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.csv,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Default: standard output.")
    ] = None,
) -> None:
    """Write the whole catalogue in a format ``microcred import`` reads back."""
    writer = csv_template.write if fmt is ExportFormat.csv else jsonl.write
    with microcred() as mc:
        if output is None:
            count = writer(mc.catalog.export(), sys.stdout)
        else:
            tmp = output.with_name(output.name + ".partial")
            with tmp.open("w", encoding="utf-8", newline="") as stream:
                count = writer(mc.catalog.export(), stream)
            tmp.replace(output)  # never leave a half-written export behind
    err.print(f"exported {count} listings")
