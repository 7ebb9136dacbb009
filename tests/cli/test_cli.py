"""The command-line contract: commands, options, output, exit codes (run in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.errors import MicrocredError
from tests.formats.test_csv_template import HEADER, row

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "listings-example.csv"
COMMANDS = [
    ["demo"],
    ["serve"],
    ["import"],
    ["export"],
    ["db", "upgrade"],
    ["db", "status"],
    ["users", "create"],
    ["users", "token"],
    ["users", "revoke-token"],
]


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Invoke the CLI against the test database, mapping errors like the real entry point."""
    monkeypatch.setenv("MICROCRED_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCRED_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("MICROCRED_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.delenv("MICROCRED_DATA_DIR", raising=False)
    monkeypatch.setenv("MICROCRED_SEMANTIC", "false")
    monkeypatch.setenv("MICROCRED_KEY_SECRET", "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ=")
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args), input=input)
        if isinstance(result.exception, MicrocredError):
            result.exit_code = result.exception.exit_code
        return result

    return invoke


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(cli, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = cli(*command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def _leaves(command, path):  # type: ignore[no-untyped-def]
    children = getattr(command, "commands", None)
    if not children:
        yield path
        return
    for name, child in children.items():
        yield from _leaves(child, [*path, name])


def test_every_command_is_documented() -> None:
    import typer.main

    guide = (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    every = list(_leaves(typer.main.get_command(app), []))
    assert set(map(tuple, COMMANDS)) <= set(map(tuple, every))
    missing = [" ".join(c) for c in every if f"microcred {' '.join(c)}" not in guide]
    assert missing == []


def test_demo_builds_a_catalogue_idempotently(cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("demo", "--listings", "60", "--no-serve")
    assert first.exit_code == 0, first.output
    assert "60 inserted" in first.output and "admin@demo.microcred.example" in first.output
    again = cli("demo", "--listings", "60", "--no-serve")
    assert "0 inserted, 0 updated, 60 unchanged" in again.output
    status = json.loads(cli("db", "status", "--json").stdout)
    assert status["listings"] == 60 and status["organizations"] == 13
    summary = json.loads(cli("demo", "--listings", "60", "--no-serve", "--json").stdout)
    assert summary["unchanged"] == 60 and len(summary["accounts"]) == 4


def test_import_reports_and_exits_non_zero_on_rejected_rows(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "listings.csv"
    path.write_text(HEADER + "\n" + row() + row(external_id="X2", cost_cad="abc"), encoding="utf-8")
    result = cli("import", str(path), "--json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["inserted"] == 1 and report["rejected"][0]["line"] == 3


def test_strict_import_writes_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "listings.csv"
    path.write_text(HEADER + "\n" + row() + row(external_id="X2", cost_cad="abc"), encoding="utf-8")
    result = cli("import", str(path), "--strict")
    assert result.exit_code == 2
    assert json.loads(cli("db", "status", "--json").stdout)["listings"] == 0


def test_import_export_round_trip(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", str(EXAMPLE)).exit_code == 0
    for fmt in ("csv", "jsonl"):
        out = tmp_path / f"export.{fmt}"
        assert cli("export", "--format", fmt, "--output", str(out)).exit_code == 0
        report = json.loads(cli("import", str(out), "--json").stdout)
        assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 0, 4)


def test_missing_file_is_a_clear_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "cannot read" in str(result.exception)


def test_errors_print_what_users_typed_as_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    import typer

    from microcred.cli.context import fail
    from microcred.errors import InvalidInput

    # Rich markup and emoji codes in a message (a path, a DID) are text, never interpreted.
    with pytest.raises(typer.Exit):
        fail(InvalidInput("cannot read [/]odd.json for did:key:z6Mk"))
    assert "cannot read [/]odd.json for did:key:z6Mk" in capsys.readouterr().err


def test_an_error_lists_its_problems_unless_its_message_says_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import typer

    from microcred.cli.context import fail
    from microcred.errors import InvalidInput, Problem

    said = "is 300,000 characters long; the limit is 200,000"
    with pytest.raises(typer.Exit):
        fail(InvalidInput(f"the text {said}", [Problem("text", said)]))
    assert capsys.readouterr().err.count("300,000") == 1
    rows = [Problem("title_en", "is required", line=3), Problem("hours", "is not a number")]
    with pytest.raises(typer.Exit):
        fail(InvalidInput("2 rows are invalid", rows))
    shown = capsys.readouterr().err
    assert "line 3, title_en: is required" in shown and "hours: is not a number" in shown


def test_users_and_tokens(cli) -> None:  # type: ignore[no-untyped-def]
    cli("import", str(EXAMPLE))
    created = cli(
        "users",
        "create",
        "staff@example.ca",
        "--role",
        "provider",
        "--name",
        "Staff",
        "--org",
        "northwind-college",
        "--password",
        "a-long-password",
    )
    assert created.exit_code == 0, created.output
    token = cli("users", "token", "staff@example.ca", "--name", "ci")
    assert token.exit_code == 0 and token.stdout.strip().startswith("mct_")
    assert cli("users", "revoke-token", "1").exit_code == 0
    assert cli("users", "revoke-token", "1").exit_code == 4
    missing_org = cli(
        "users",
        "create",
        "x@example.ca",
        "--role",
        "provider",
        "--name",
        "X",
        "--password",
        "a-long-password",
    )
    assert missing_org.exit_code == 2


def test_bad_settings_are_reported(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MICROCRED_PORT", "not-a-port")
    result = cli("db", "status")
    assert result.exit_code == 3 and "MICROCRED_PORT" in str(result.exception)
