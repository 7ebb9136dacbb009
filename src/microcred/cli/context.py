"""Shared CLI plumbing: settings from the environment, error → exit code mapping, output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from microcred.app import Microcred
from microcred.errors import ConfigurationError, InvalidInput, MicrocredError, Problem
from microcred.settings import Settings

# No emoji codes: "did:key:z6Mk…" must not print as "did🔑z6Mk…".
out = Console(emoji=False)
err = Console(stderr=True, emoji=False)


def load_settings() -> Settings:
    """Settings from ``MICROCRED_*`` variables, or a ConfigurationError saying what is wrong."""
    try:
        return Settings()
    except ValidationError as exc:
        details = "; ".join(
            f"MICROCRED_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in exc.errors(include_url=False)
        )
        raise ConfigurationError(f"invalid settings: {details}") from None


@contextmanager
def microcred(*, migrate: bool = False, check: bool = True) -> Iterator[Microcred]:
    """Open the installation named by the environment."""
    mc = Microcred(load_settings())
    mc.skills.background = False  # a command ends before a model trained meanwhile would
    try:
        if migrate:
            mc.migrate()
        elif check:
            mc.check_schema()
        yield mc
        if mc.skills.untrained:
            err.print(
                "note: the title model is not trained yet for this reference data, so these"
                " occupations come from a plainer nearest-title vote; run"
                " `microcred skills index` once (about 15 minutes) for the best matches"
            )
    finally:
        mc.close()


def read_file(source: str | Path) -> bytes:
    """The bytes of a file, or of standard input for ``-``; InvalidInput naming the file
    when it cannot be read."""
    if str(source) == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as error:
        message = f"cannot read {source}: {error.strerror or error}"
        raise InvalidInput(message, [Problem(str(source), message)]) from None


def fail(error: MicrocredError) -> None:
    """Print an error the user can act on and exit with its code."""
    err.print(f"[bold red]error:[/] {escape(error.message)}", highlight=False)
    problems = error.problems if isinstance(error, InvalidInput) else []
    if len(problems) == 1 and problems[0].line is None and problems[0].message in error.message:
        problems = []  # the message says it all already
    for problem in problems[:50]:
        err.print(f"  - {problem}", highlight=False, markup=False)
    if len(problems) > 50:
        err.print(f"  … and {len(problems) - 50} more")
    raise typer.Exit(error.exit_code)


def print_json(data: Any) -> None:
    """Machine-readable output on stdout (one document)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
