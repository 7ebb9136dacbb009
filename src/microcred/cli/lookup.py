"""``microcred occupation …`` and ``microcred skill …``: look things up in the reference data."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from microcred.cli.context import microcred, out, print_json

occupation = typer.Typer(
    help="Occupations: NOC 2021 unit groups with OaSIS, COPS, ESCO and O*NET data.",
    no_args_is_help=True,
)
skill = typer.Typer(
    help="Skills: OaSIS descriptors, ESCO skills, O*NET skills and technologies.",
    no_args_is_help=True,
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Limit = Annotated[int, typer.Option("--limit", min=1, max=50, help="How many results.")]


@occupation.command("find")
def find_occupation(
    query: Annotated[str, typer.Argument(help="A NOC code or a job title (English or French).")],
    limit: Limit = 10,
    as_json: Json = False,
) -> None:
    """Find NOC 2021 unit groups by code or title."""
    with microcred() as mc:
        matches = mc.reference.find_occupations(query, limit=limit)
    if as_json:
        print_json([asdict(m) for m in matches])
        return
    table = Table("NOC", "title", "titre", "matched")
    for m in matches:
        table.add_row(m.code, m.title_en, m.title_fr or "", f"{m.matched} ({m.how})")
    out.print(table if matches else "no occupation matches")


@occupation.command("show")
def show_occupation(
    code: Annotated[
        str, typer.Argument(help="NOC code (any level), OaSIS profile, ESCO URI or O*NET-SOC code.")
    ],
    top: Annotated[int, typer.Option(min=1, max=50)] = 5,
    as_json: Json = False,
) -> None:
    """An occupation with its profile, outlook and counterparts."""
    with microcred() as mc:
        found = mc.reference.occupation(code)
        extra: dict[str, object] = {}
        if found.scheme == "noc" and found.level == 5:
            extra["profile"] = {
                k: [asdict(r) for r in v]
                for k, v in mc.reference.profile(found.code, top=top).items()
            }
            try:
                extra["outlook"] = mc.reference.outlook(found.code)
            except Exception as exc:
                extra["outlook"] = {"error": str(exc)}
            extra["counterparts"] = mc.reference.counterparts(found.code)
    if as_json:
        print_json({**asdict(found), **extra})
        return
    out.print(
        f"[bold]{found.code} {found.title_en}[/]"
        + (f" / {found.title_fr}" if found.title_fr else ""),
        highlight=False,
    )
    for code_, title in found.ancestors:
        out.print(f"  in {code_} {title}", highlight=False)
    if found.description_en:
        out.print(found.description_en, highlight=False)
    if found.example_titles:
        out.print("Example titles: " + "; ".join(found.example_titles[:12]), highlight=False)
    for category, rated in extra.get("profile", {}).items():  # type: ignore[attr-defined]
        out.print(
            f"{category}: " + ", ".join(f"{r['label_en']} {r['score']:g}" for r in rated),
            highlight=False,
        )
    outlook = extra.get("outlook")
    if isinstance(outlook, dict) and "future_conditions" in outlook:
        out.print(
            f"Outlook 2024-2033: {outlook['future_conditions'] or 'not published'}; job openings {outlook.get('job_openings')}, job seekers {outlook.get('job_seekers')}"
        )
    counterparts = extra.get("counterparts")
    for c in counterparts[:8] if isinstance(counterparts, list) else []:
        out.print(
            f"  {c['scheme']}: {c['title_en']} ({c['path']}, {c['confidence']:g})", highlight=False
        )
    for child, title in found.children[:30]:
        out.print(f"  - {child} {title}", highlight=False)


@skill.command("find")
def find_skill(
    query: Annotated[
        str, typer.Argument(help="A code, an ESCO URI or a label (English or French).")
    ],
    limit: Limit = 10,
    as_json: Json = False,
) -> None:
    """Find skills by code, URI or label."""
    with microcred() as mc:
        found = mc.reference.find_skills(query, limit=limit)
    if as_json:
        print_json(
            [
                {"code": r.code, "label_en": r.label_en, "label_fr": r.label_fr, "how": r.detail}
                for r in found
            ]
        )
        return
    table = Table("code", "label", "libellé", "matched")
    for r in found:
        table.add_row(r.code, r.label_en, r.label_fr or "", r.detail or "")
    out.print(table if found else "no skill matches")


@skill.command("show")
def show_skill(
    code: Annotated[str, typer.Argument(help="OaSIS code (F01a01), ESCO URI or O*NET element id.")],
    limit: Limit = 10,
    as_json: Json = False,
) -> None:
    """A skill and the occupations that need it most."""
    with microcred() as mc:
        found = mc.reference.skill(code)
        needing = mc.reference.occupations_for_skill(found.code, limit=limit)
    if as_json:
        print_json({**asdict(found), "occupations": [asdict(r) for r in needing]})
        return
    out.print(
        f"[bold]{found.code} {found.label_en}[/]"
        + (f" / {found.label_fr}" if found.label_fr else ""),
        highlight=False,
    )
    if found.description_en:
        out.print(found.description_en, highlight=False)
    table = Table("occupation", "title", "score")
    for r in needing:
        table.add_row(
            r.code,
            r.label_en,
            f"{r.score:g}" + (f" ({r.detail})" if r.detail not in (None, "rating") else ""),
        )
    out.print(table)
