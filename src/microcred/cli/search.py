"""``microcred search "QUERY" …`` and ``microcred index sync|rebuild|status``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from microcred.app import Microcred
from microcred.cli.context import err, microcred, out, print_json
from microcred.search.params import LISTS, from_params
from microcred.web.api.search import page_json

index = typer.Typer(help="The search index: apply pending changes, rebuild.", no_args_is_help=True)
Many = Annotated[list[str] | None, typer.Option(help="Repeat for alternatives.")]
Number = Annotated[float | None, typer.Option()]


def search(
    query: Annotated[str, typer.Argument(help='Words, "a phrase", prefix*, -excluded.')] = "",
    province: Annotated[
        list[str] | None, typer.Option(help="AB…YT, or online (anywhere in Canada).")
    ] = None,
    mode: Annotated[
        list[str] | None,
        typer.Option(help="online, in-person, hybrid, online_sync, online_async."),
    ] = None,
    language: Many = None,
    kind: Many = None,
    provider: Annotated[list[str] | None, typer.Option(help="Provider slug.")] = None,
    provider_kind: Many = None,
    noc: Annotated[list[str] | None, typer.Option(help="Target NOC 2021 unit group.")] = None,
    skill: Annotated[list[str] | None, typer.Option(help="OaSIS code or ESCO URI.")] = None,
    cost_min: Number = None,
    cost_max: Number = None,
    hours_min: Number = None,
    hours_max: Number = None,
    weeks_max: Number = None,
    starts_after: Annotated[str | None, typer.Option(help="YYYY-MM-DD.")] = None,
    osap: Annotated[bool | None, typer.Option("--osap/--no-osap")] = None,
    ctc: Annotated[bool | None, typer.Option("--ctc/--no-ctc")] = None,
    sort: Annotated[str, typer.Option(help="relevance, cost, duration, start.")] = "relevance",
    page: Annotated[int, typer.Option(min=1)] = 1,
    per_page: Annotated[int, typer.Option(min=1, max=50)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search the catalogue's active listings, with facet counts."""
    given = locals()
    items = [("q", query), ("sort", sort), ("page", str(page)), ("per_page", str(per_page))]
    for name in LISTS:
        items += [(name, v) for v in given[name] or ()]
    for name in ("cost_min", "cost_max", "hours_min", "hours_max", "weeks_max", "starts_after"):
        if given[name] is not None:
            items.append((name, str(given[name])))
    for name in ("osap", "ctc"):
        if given[name] is not None:
            items.append((name, "true" if given[name] else "false"))
    with microcred() as mc:
        found = mc.search.query(from_params(items))
    if as_json:
        print_json(page_json(found))
        return
    note = " (allowing a typo)" if found.fuzzy else ""
    out.print(f"{found.total:,} result(s){note}, page {page} of {found.pages:,}")
    if found.related:
        names = escape(found.related.names("en"))
        out.print(f"including listings that teach the skills of: {names}")
    table = Table("id", "title", "provider", "cost", "hours", "mode", "where")
    for hit in found.hits:
        table.add_row(
            str(hit.id),
            hit.title("en"),
            hit.provider,
            f"${hit.cost_cents / 100:,.2f}",
            f"{hit.hours:g}",
            hit.mode,
            ", ".join(hit.places),
        )
    if found.hits:
        out.print(table)


def bring_index_up_to_date(mc: Microcred, *, quiet: bool = False) -> int:
    """Apply pending changes with a progress bar (after imports, before serving)."""
    pending = mc.search.pending()
    if not pending:
        return 0
    with Progress(
        TextColumn("updating the search index"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        disable=quiet,
    ) as bar:
        task = bar.add_task("index", total=pending)
        return mc.search.sync(lambda n: bar.advance(task, n))


@index.command("sync")
def sync() -> None:
    """Apply pending listing changes to the search index (searches do this too)."""
    with microcred() as mc:
        done = bring_index_up_to_date(mc)
    out.print(f"applied {done:,} change(s)")


@index.command("rebuild")
def rebuild() -> None:
    """Drop the search index and index every listing again."""
    progress = Progress(TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), console=err)
    with microcred() as mc, progress as bar:
        task = bar.add_task("indexing", total=None)
        done = mc.search.rebuild(lambda n: bar.advance(task, n))
    out.print(f"indexed {done:,} listing(s)")


@index.command("status")
def status() -> None:
    """How many listing changes wait to be indexed, and what answers searches."""
    with microcred() as mc:
        out.print(f"{mc.search.pending():,} pending change(s)")
        out.print(f"searches go to: {_ENGINES[mc.search.engine]}")


_ENGINES = {
    "embedded": "the embedded index",
    "replica": "this machine's replica of the index",
    "postgresql": "PostgreSQL full-text search",
}
