"""``microcred data fetch | load | status``: the official reference datasets."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from microcred.cli.context import load_settings, microcred, out, print_json
from microcred.reference import fetch as fetching
from microcred.reference.loader import status as load_status

data = typer.Typer(
    help="Official reference data: NOC, OaSIS, COPS, ESCO, O*NET, crosswalks.", no_args_is_help=True
)

DEFAULT_DIR = Path("reference-data")
Datasets = Annotated[
    list[str] | None, typer.Argument(help="noc oasis cops esco onet crosswalk (default: all)")
]


def _folder(option: Path | None) -> Path:
    if option is not None:
        return option
    return load_settings().data_dir or DEFAULT_DIR


@data.command("fetch")
def fetch(
    datasets: Datasets = None,
    to: Annotated[
        Path | None,
        typer.Option("--to", help="Where to put the files (default: ./reference-data)."),
    ] = None,
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Copy from this offline mirror folder (default: MICROCRED_DATA_DIR) instead of downloading.",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", help="Download from an HTTP mirror laid out like the data folder."
        ),
    ] = None,
    retries: Annotated[
        int, typer.Option(min=0, max=20, help="Attempts after the first, with back-off.")
    ] = 4,
) -> None:
    """Download the reference files from their publishers, verifying size and sha256."""
    mirror = from_ or load_settings().data_dir
    target = to or DEFAULT_DIR
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=out,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(file: fetching.ManifestFile, done: int, total: int | None) -> None:
            if file.path not in tasks:
                tasks[file.path] = bar.add_task(file.path, total=total)
            bar.update(tasks[file.path], completed=done, total=total)

        fetcher = fetching.Fetcher(
            target, mirror=mirror, base_url=base_url, retries=retries, progress=progress
        )
        results = fetcher.fetch(datasets or None)
    for result in results:
        colour = {"skipped": "yellow"}.get(result.status, "green")
        out.print(
            f"[{colour}]{result.status:>10}[/] {result.file.path} {result.detail if result.status == 'skipped' else ''}"
        )
    out.print(f"files are in {target}; next: microcred data load --from {target}")


@data.command("load")
def load(
    datasets: Datasets = None,
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Folder of reference files (default: MICROCRED_DATA_DIR or ./reference-data).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Load even when the files are unchanged.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Load reference datasets into the database (a new version replaces the old at once)."""
    folder = _folder(from_)
    with (
        microcred() as mc,
        Progress(TextColumn("{task.description}"), console=out, transient=True) as bar,
    ):
        task = bar.add_task("")
        results = mc.reference_loader.load(
            folder,
            datasets or None,
            force=force,
            progress=lambda d, m: bar.update(task, description=f"{d}: {m}…"),
        )
    if as_json:
        print_json([asdict(r) for r in results])
        return
    for r in results:
        counts = ", ".join(f"{v:,} {k}" for k, v in r.counts.items())
        out.print(
            f"[green]{r.status:>9}[/] {r.dataset:<9} {r.version} in {r.seconds:.1f} s: {counts}",
            highlight=False,
        )
        for note in r.notes[:5]:
            out.print(f"          note: {note}", highlight=False, markup=False)
        if len(r.notes) > 5:
            out.print(
                f"          … and {len(r.notes) - 5} more notes (microcred data status --json)"
            )


@data.command("status")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Which datasets are loaded: versions, row counts, load time, source."""
    with microcred() as mc:
        entries = load_status(mc.store)
    if as_json:
        print_json(entries)
        return
    table = Table("dataset", "version", "rows", "loaded", "source")
    for e in entries:
        if not e["loaded"]:
            table.add_row(e["dataset"], "[yellow]not loaded[/]", "", "", "")
            continue
        counts = ", ".join(f"{v:,} {k}" for k, v in e["counts"].items())
        table.add_row(
            e["dataset"],
            e["version"],
            counts,
            f"{e['loaded_at'][:19]}Z\n{e['load_seconds']} s",
            e["source"],
        )
    out.print(table)
