"""``microcred credentials issue|verify|revoke|clr|keys``: Open Badges 3.0 credentials and
CLR 2.0 learner records."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from microcred.catalog import policy
from microcred.cli.context import err, microcred, out, print_json, read_file
from microcred.credentials.ob3 import Recipient
from microcred.credentials.verify import parse
from microcred.errors import InvalidInput, MicrocredError, Problem
from microcred.store import organizations as org_repo

credentials = typer.Typer(
    help="Issue, verify and revoke Open Badges 3.0 credentials.", no_args_is_help=True
)
keys = typer.Typer(help="Issuers' signing keys.", no_args_is_help=True)
credentials.add_typer(keys, name="keys")
schemas = typer.Typer(
    help="The official Open Badges 3.0 / CLR 2.0 JSON Schemas.", no_args_is_help=True
)
credentials.add_typer(schemas, name="schemas")


@credentials.command("issue")
def issue(
    listing: Annotated[int, typer.Option(help="The listing the credential is for.")],
    recipient: Annotated[
        str | None, typer.Option(help="Email address or DID of one recipient.")
    ] = None,
    csv_file: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="CSV of recipients: a 'recipient' column (and optionally "
            "'issuance_key'). Prints a per-row report.",
        ),
    ] = None,
    issuance_key: Annotated[str, typer.Option(help="Makes a retried issue a no-op.")] = "",
    output: Annotated[Path | None, typer.Option(help="Write the credential(s) here.")] = None,
) -> None:
    """Issue a listing's credential to one recipient, or to every row of a CSV file."""
    if (recipient is None) == (csv_file is None):
        raise typer.BadParameter("give --recipient or --csv", param_hint="--recipient")
    operator = policy.operator()
    with microcred() as mc:
        if recipient is not None:
            issued = mc.credentials.issue(
                listing, Recipient.parse(recipient), actor=operator, issuance_key=issuance_key
            )
            _write([issued.document], output, single=True)
            err.print(f"{'issued' if issued.created else 'already issued'} {issued.credential_id}")
            return
        assert csv_file is not None
        rows = _rows(csv_file)
        report, documents = [], []
        with Progress(TextColumn("issuing"), BarColumn(), MofNCompleteColumn(), console=err) as bar:
            task = bar.add_task("issuing", total=len(rows))
            for number, row in rows:
                try:
                    issued = mc.credentials.issue(
                        listing,
                        Recipient.parse(row.get("recipient", "")),
                        actor=operator,
                        issuance_key=row.get("issuance_key") or issuance_key,
                    )
                    documents.append(issued.document)
                    report.append(
                        (
                            number,
                            "issued" if issued.created else "already issued",
                            issued.credential_id,
                        )
                    )
                except MicrocredError as error:
                    report.append((number, "refused", error.message))
                bar.advance(task)
    _write(documents, output, single=False)
    table = Table("row", "result", "credential or reason")
    for number, result, detail in report:
        table.add_row(str(number), result, detail)
    out.print(table)
    if any(result == "refused" for _, result, _ in report):
        raise typer.Exit(2)


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        text = read_file(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        message = f"{path}: not UTF-8 text"
        raise InvalidInput(message, [Problem(str(path), message)]) from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "recipient" not in reader.fieldnames:
        message = f"{path}: the first line must name a 'recipient' column"
        raise InvalidInput(message, [Problem("recipient", message, line=1)])
    return [(i, row) for i, row in enumerate(reader, start=2)]


def _write(documents: list[dict[str, Any]], output: Path | None, *, single: bool) -> None:
    text = json.dumps(documents[0] if single else documents, ensure_ascii=False, indent=2)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")


@credentials.command("verify")
def verify(
    source: Annotated[str, typer.Argument(help="A credential file (JSON), or - for stdin.")],
    recipient: Annotated[
        str | None, typer.Option(help="Check the credential is for this email or DID.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Verify any Open Badges 3.0 / VC credential; exits 0 only when every check passes."""
    raw = read_file(source)
    with microcred() as mc:
        report = mc.credentials.verify(parse(raw), recipient=recipient)
    if as_json:
        print_json(report.as_json())
    else:
        table = Table("check", "outcome", "why")
        for check in report.checks:
            table.add_row(check.name, check.outcome, check.why)
        out.print(table)
        out.print("verified" if report.verified else "[bold red]not verified[/]")
    if not report.verified:
        raise typer.Exit(1)


@credentials.command("revoke")
def revoke(
    credential_id: Annotated[str, typer.Argument(help="The credential's id (urn:uuid:…).")],
    suspend: Annotated[bool, typer.Option(help="Suspend (reversible) instead.")] = False,
    reinstate: Annotated[bool, typer.Option(help="Lift a suspension.")] = False,
) -> None:
    """Revoke (final), suspend, or reinstate an issued credential."""
    state = "active" if reinstate else "suspended" if suspend else "revoked"
    with microcred() as mc:
        done = mc.credentials.set_state(credential_id, state, actor=policy.operator())
    out.print(f"{done.credential_id}: {done.state}")


@credentials.command("clr")
def learner_record(
    provider: Annotated[str, typer.Option(help="The issuing provider's slug.")],
    recipient: Annotated[str, typer.Option(help="The learner's email address or DID.")],
    output: Annotated[Path | None, typer.Option(help="Write the record here.")] = None,
) -> None:
    """A signed CLR 2.0 learner record bundling a learner's active credentials from a
    provider."""
    with microcred() as mc:
        record = mc.credentials.clr(provider, Recipient.parse(recipient), actor=policy.operator())
    _write([record], output, single=True)
    count = len(record["credentialSubject"]["verifiableCredential"])
    err.print(f"{record['id']}: {count} credential(s) bundled")


@keys.command("list")
def list_keys(
    organization: Annotated[str, typer.Argument(help="Provider slug.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A provider's keys (public parts only: secrets are never shown)."""
    with microcred() as mc:
        with mc.store.read() as conn:
            org = org_repo.get_by_slug(conn, organization)
        found = mc.issuer_keys.list(org.id)
    rows = [
        {
            "verification_method": k.verification_method,
            "created_at": k.created_at.isoformat(),
            "retired_at": k.retired_at.isoformat() if k.retired_at else None,
        }
        for k in found
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("verification method", "created", "retired")
    for row in rows:
        table.add_row(row["verification_method"], row["created_at"], row["retired_at"] or "—")
    out.print(table)


@keys.command("rotate")
def rotate(organization: Annotated[str, typer.Argument(help="Provider slug.")]) -> None:
    """Retire a provider's signing key and create a new one (old credentials still verify)."""
    with microcred() as mc:
        with mc.store.read() as conn:
            org = org_repo.get_by_slug(conn, organization)
        key = mc.issuer_keys.rotate(org.id, actor=policy.operator())
    out.print(f"new key: {key.verification_method}")


@schemas.command("fetch")
def fetch_schemas(
    folder: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A folder holding the schema files (named as the last part of their URLs) "
            "instead of downloading them from 1EdTech.",
        ),
    ] = None,
) -> None:
    """Install the official JSON Schemas: credentials are then validated against them before
    signing and when verified."""
    with microcred() as mc:
        done = mc.credentials.schemas.fetch(folder=folder)
    for found in done:
        out.print(f"{found.url}  sha256 {found.sha256[:16]}…  from {found.source}")


@schemas.command("list")
def list_schemas(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The installed official JSON Schemas."""
    with microcred() as mc:
        found = mc.credentials.schemas.installed()
    rows = [
        {
            "url": s.url,
            "sha256": s.sha256,
            "source": s.source,
            "fetched_at": s.fetched_at.isoformat(),
        }
        for s in found
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        err.print("no schema installed: microcred credentials schemas fetch")
    for row in rows:
        out.print(f"{row['url']}  {row['fetched_at']}  {row['source']}")
