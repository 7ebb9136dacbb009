"""``microcred import`` and ``microcred export``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from microcred.app import Microcred
from microcred.catalog.importer import ImportReport
from microcred.cli.context import err, microcred, out, print_json
from microcred.cli.search import bring_index_up_to_date
from microcred.errors import InvalidInput, Problem
from microcred.formats import csv_template, external, jsonl


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


PARALLEL_FROM_BYTES = 4 * 1024 * 1024  # below this, starting worker processes costs more


def _guess(path: Path) -> ImportFormat:
    return ImportFormat.jsonl if path.suffix.lower() in (".jsonl", ".ndjson") else ImportFormat.csv


def _import(
    mc: Microcred,
    path: Path,
    fmt: ImportFormat,
    *,
    strict: bool,
    usd_rate: float | None,
    progress: Callable[[int], None],
) -> ImportReport:
    with path.open("rb") as stream:
        if fmt in (ImportFormat.edx, ImportFormat.udemy):
            rate = Decimal(str(usd_rate)) if usd_rate else None
            parsed = external.read(stream, fmt.value, usd_rate=rate)
            return mc.catalog.import_parsed(
                parsed, source=fmt.value, strict=strict, progress=progress
            )
        big = fmt is ImportFormat.csv and path.stat().st_size > PARALLEL_FROM_BYTES
        return mc.catalog.import_file(
            stream,
            file_format=fmt.value,
            strict=strict,
            progress=progress,
            workers=(os.cpu_count() or 1) if big else 1,
        )


def _report(report: ImportReport, as_json: bool) -> None:
    if as_json:
        print_json(asdict(report))  # asdict recurses into the rejected Problems
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
    if not file.is_file():
        raise InvalidInput(f"cannot read {file}", [Problem("FILE", "no such file")])
    columns = [SpinnerColumn(), TextColumn("importing: {task.completed} rows checked")]
    progress = Progress(
        *columns, console=err, transient=True, disable=as_json, refresh_per_second=4
    )
    with microcred() as mc, progress as bar:
        task = bar.add_task("import", total=None)
        report = _import(
            mc,
            file,
            fmt or _guess(file),
            strict=strict,
            usd_rate=usd_rate,
            progress=lambda n: bar.advance(task, n),
        )
    with microcred() as mc:
        bring_index_up_to_date(mc, quiet=as_json)
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
