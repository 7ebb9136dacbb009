"""``microcred skills …`` and ``microcred occupation match|similar``: the skills engine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from microcred.cli.context import err, microcred, out, print_json
from microcred.cli.lookup import occupation
from microcred.errors import InvalidInput, Problem
from microcred.skills.matchers import Match
from microcred.skills.tagging import tag_listings

skills = typer.Typer(
    help="The skills engine: read skills from text, gaps, listing tags, indexes.",
    no_args_is_help=True,
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Top = Annotated[int, typer.Option("--top", min=1, max=100, help="How many results.")]


def read_input(value: str) -> str:
    """TEXT itself, the contents of FILE, or standard input for ``-``."""
    if value == "-":
        data = sys.stdin.buffer.read()
    elif len(value) < 4096 and "\n" not in value and Path(value).is_file():
        data = Path(value).read_bytes()
    else:
        return value
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = "not UTF-8 text (binary data, or another encoding)"
        raise InvalidInput(f"{value}: {message}", [Problem(value, message)]) from None


def show(matches: list[Match], as_json: bool, heading: str, empty: str) -> None:
    if as_json:
        print_json([m.as_json() for m in matches])
        return
    if not matches:
        out.print(empty)
        return
    table = Table(heading, "label", "score")
    for m in matches:
        table.add_row(m.id, m.label, f"{m.score:.2f}")
    out.print(table)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err
    )


@skills.command("extract")
def extract(
    source: Annotated[str, typer.Argument(help="TEXT, a FILE to read, or - for stdin.")],
    taxonomy: Annotated[str, typer.Option(help="oasis | esco")] = "esco",
    top: Top = 10,
    as_json: Json = False,
) -> None:
    """Rank the skills a text names or implies (sentence, course, job ad, résumé)."""
    text = read_input(source)
    with microcred() as mc:
        found = mc.skills.extract(text, taxonomy=taxonomy, top=top)
    show(found.skills, as_json, "id", "no confident skill match")


@skills.command("gap")
def gap(
    target: Annotated[str, typer.Argument(help="Target NOC 2021 unit group, e.g. 21211.")],
    current: Annotated[
        str | None, typer.Option("--from", help="Current NOC code or job title.")
    ] = None,
    skill: Annotated[
        list[str] | None,
        typer.Option("--skill", help="A skill you have: OaSIS code[=level] or ESCO URI."),
    ] = None,
    resume: Annotated[
        str | None, typer.Option("--resume", help="Résumé text, FILE, or - for stdin.")
    ] = None,
    top: Top = 15,
    as_json: Json = False,
) -> None:
    """Missing and under-level skills between you and a target occupation."""
    declared: dict[str, float] = {}
    for item in skill or []:
        code, _, level = item.partition("=")
        try:
            declared[code.strip()] = float(level) if level else 3.0
        except ValueError:
            message = f"level {level!r} is not a number from 0 to 5"
            raise InvalidInput(
                f"--skill {item}: {message}", [Problem("--skill", message)]
            ) from None
    with microcred() as mc:
        report = mc.skills.gap(
            target,
            current=current,
            skills=declared,
            text=read_input(resume) if resume else None,
        )
    items = report.items[:top]
    if as_json:
        print_json(
            {
                "target": report.target,
                "current": report.current,
                "gap": [vars(i) for i in items],
                "skills_read": [m.as_json() for m in report.skills_read],
            }
        )
        return
    table = Table("skill", "needed", "you", "weight", "why")
    for i in items:
        table.add_row(i.label_en, f"{i.required:g}", f"{i.current:g}", f"{i.weight:.2f}", i.reason)
    out.print(table if items else "no gap found: you already meet this profile")


@skills.command("tag")
def tag(
    listing: Annotated[
        list[int] | None, typer.Option("--listing", help="Only this listing id (repeatable).")
    ] = None,
) -> None:
    """Tag listings with declared and inferred skills (all listings by default)."""
    with microcred() as mc, _progress() as bar:
        task = bar.add_task("tagging listings", total=None)
        counts = tag_listings(
            mc.skills,
            listing_ids=listing,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    out.print(
        f"{counts['listings']} listings tagged: {counts['declared']} declared and "
        f"{counts['inferred']} inferred skills"
    )


@skills.command("index")
def index() -> None:
    """Build the engine's indexes now: word vectors and the title models (learnt once per
    reference data version, about 13 minutes on two cores, then kept in the database) and,
    with the semantic extra, the embeddings."""
    with microcred() as mc, _progress() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                label = (
                    name
                    if name.endswith("model")
                    else f"learning {name}"
                    if name == "word vectors"
                    else f"embedding {name}"
                )
                tasks[name] = bar.add_task(label, total=total)
            bar.update(tasks[name], completed=done)

        sizes = mc.skills.build(progress)
        mode = "lexical + semantic" if mc.skills.semantic else "lexical"
    for name, size in sizes.items():
        out.print(f"{name}: {size:,} indexed")
    out.print(f"mode: {mode}")


@occupation.command("match")
def match(
    title: Annotated[str, typer.Argument(help="A job title as people write it (EN/FR).")],
    taxonomy: Annotated[str, typer.Option(help="noc | esco")] = "noc",
    top: Top = 10,
    as_json: Json = False,
) -> None:
    """Rank occupations for a free-text job title, with scores."""
    with microcred() as mc:
        found = mc.skills.match_occupation(title, taxonomy=taxonomy, top=top)
    show(found, as_json, "id", "no confident occupation match")


@occupation.command("similar")
def similar(
    code: Annotated[str, typer.Argument(help="NOC 2021 unit group, e.g. 62010.")],
    top: Top = 10,
    as_json: Json = False,
) -> None:
    """Occupations closest in skills (OaSIS ratings and ESCO skills)."""
    with microcred() as mc:
        found = mc.skills.similar(code, top=top)
    show(found, as_json, "NOC", "no similar occupations")
