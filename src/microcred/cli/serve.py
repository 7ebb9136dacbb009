"""``microcred serve`` and ``microcred demo``."""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from microcred.app import Microcred
from microcred.cli.context import err, load_settings, microcred, out, print_json
from microcred.cli.search import bring_index_up_to_date
from microcred.demo import generator
from microcred.demo import reference as demo_reference
from microcred.domain.account import UserData
from microcred.domain.vocab import Role
from microcred.errors import Conflict
from microcred.formats.records import ImportRecord, ParsedFile
from microcred.store import accounts as account_repo
from microcred.store import organizations as org_repo

DEMO_DOMAIN = "demo.microcred.example"
_CHUNK = 10_000
_PARALLEL_FROM = 50_000  # below this, starting worker processes costs more than it saves


def _run_server(host: str, port: int, workers: int) -> None:
    import uvicorn  # only the serving commands need it

    err.print(f"microcred is serving on [bold]http://{host}:{port}/[/] (Ctrl+C to stop)")
    uvicorn.run(
        "microcred.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
    )


def serve(
    host: Annotated[str | None, typer.Option(help="Default: MICROCRED_HOST or 127.0.0.1.")] = None,
    port: Annotated[int | None, typer.Option(help="Default: MICROCRED_PORT or 8000.")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the web app and the JSON API."""
    settings = load_settings()
    # Checks (or, in development, upgrades) the schema before any worker starts, and brings
    # the search index up to date so that no first request has to.
    with microcred(migrate=settings.environment == "development") as mc:
        bring_index_up_to_date(mc)
    _run_server(host or settings.host, port or settings.port, workers)


def _demo_accounts(mc: Microcred) -> list[tuple[str, str, str]]:
    """(role, email, password) for one account per role; passwords are new on each run."""
    with mc.store.read() as conn:
        first_org = org_repo.list_all(conn, limit=1)[0][0]
    made = []
    for role in Role:
        email = f"{role.value}@{DEMO_DOMAIN}"
        password = secrets.token_urlsafe(12)
        data = UserData(
            email=email,
            display_name=f"Demo {role.value}",
            role=role,
            organization_id=first_org.id if role is Role.PROVIDER else None,
        )
        try:
            mc.accounts.create_user(data, password)
        except Conflict:
            with mc.store.read() as conn:
                found = account_repo.credentials_for(conn, email)
            assert found is not None
            mc.accounts.set_password(found[0].id, password)
        made.append((role.value, email, password))
    return made


def _demo_batches(
    listings: int, seed: int, data_dir: Path | None, ref: demo_reference.DemoReference
) -> Iterator[list[ImportRecord]]:
    """Demo records in batches (each imported in its own transaction)."""
    workers = os.cpu_count() or 1
    if listings >= _PARALLEL_FROM and workers > 1:
        yield from generator.generate_in_processes(
            listings, seed=seed, data_dir=data_dir, workers=workers, chunk=_CHUNK
        )
        return
    records = generator.generate(listings, seed=seed, reference=ref)
    while batch := list(itertools.islice(records, _CHUNK)):
        yield batch


def demo(
    listings: Annotated[
        int, typer.Option(min=1, max=2_000_000, help="How many demo listings.")
    ] = 500,
    seed: Annotated[int, typer.Option(help="Same seed, same catalogue.")] = generator.DEFAULT_SEED,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the web app afterwards.")
    ] = True,
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Create the database, build a demo catalogue, and serve it on 127.0.0.1:8000."""
    settings = load_settings()
    ref = demo_reference.load(settings.data_dir)
    err.print(f"demo vocabulary: {ref.source}")
    with microcred(migrate=True) as mc, Progress(console=err, disable=as_json) as bar:
        task = bar.add_task("building the demo catalogue", total=listings)
        totals = [0, 0, 0]
        for batch in _demo_batches(listings, seed, settings.data_dir, ref):
            report = mc.catalog.import_parsed(
                ParsedFile(records=batch, rows_read=len(batch)),
                source="demo",
                is_demo=True,
                progress=lambda n: bar.advance(task, n),
            )
            for i, n in enumerate((report.inserted, report.updated, report.unchanged)):
                totals[i] += n
        accounts = _demo_accounts(mc)
    with microcred() as mc:
        bring_index_up_to_date(mc, quiet=as_json)
    if as_json:
        print_json(
            {
                "inserted": totals[0],
                "updated": totals[1],
                "unchanged": totals[2],
                "vocabulary": ref.source,
                "accounts": [{"role": r, "email": e, "password": p} for r, e, p in accounts],
            }
        )
    else:
        out.print(
            f"demo catalogue: {totals[0]} inserted, {totals[1]} updated, {totals[2]} unchanged"
        )
        title = "Demo accounts (passwords change on every run)"
        table = Table("role", "email", "password", title=title)
        for row in accounts:
            table.add_row(*row)
        out.print(table)
    if serve_after:
        _run_server(host or settings.host, port or settings.port, 1)
