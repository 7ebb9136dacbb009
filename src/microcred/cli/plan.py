"""``microcred plan --from … --to …``: a learning plan (or, without ``--to``, suggested moves)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from microcred.cli.context import microcred, out, print_json
from microcred.planner import explain
from microcred.planner.model import LearnerProfile, Plan
from microcred.planner.moves import Move
from microcred.planner.serialize import move_json, plan_json

Many = Annotated[list[str] | None, typer.Option(help="Repeat for several.")]


def plan(
    current: Annotated[
        str | None, typer.Option("--from", help="Current NOC code or job title (EN/FR).")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--to", help="Target NOC code; omit for suggested moves.")
    ] = None,
    province: Annotated[
        str | None, typer.Option(help="AB…YT; online listings always count.")
    ] = None,
    budget: Annotated[float | None, typer.Option(help="Tuition budget, CAD.")] = None,
    hours: Annotated[float, typer.Option(help="Study hours a week.")] = 8,
    language: Annotated[list[str] | None, typer.Option(help="en, fr (repeat).")] = None,
    mode: Annotated[
        list[str] | None, typer.Option(help="online_sync, online_async, in_person, hybrid.")
    ] = None,
    start: Annotated[str | None, typer.Option(help="Earliest start, YYYY-MM-DD.")] = None,
    finish: Annotated[str | None, typer.Option(help="Latest finish, YYYY-MM-DD.")] = None,
    skill: Annotated[list[str] | None, typer.Option(help="OaSIS code or ESCO URI held.")] = None,
    resume: Annotated[
        Path | None, typer.Option(help="A résumé (text file) to read skills from.")
    ] = None,
    held: Annotated[list[int] | None, typer.Option(help="Listing id already held.")] = None,
    birth_year: Annotated[int | None, typer.Option(help="To estimate the CTC limit.")] = None,
    ctc_limit: Annotated[
        float | None, typer.Option(help="CTC limit from the notice of assessment.")
    ] = None,
    ctc_limit_year: Annotated[int | None, typer.Option(help="The year that limit is for.")] = None,
    ctc_years: Annotated[
        int | None, typer.Option(help="Years since 2019 you met the CTC conditions.")
    ] = None,
    weight_cost: Annotated[float, typer.Option(help="How much cost counts (0–10).")] = 0.25,
    weight_time: Annotated[float, typer.Option(help="How much time counts (0–10).")] = 0.25,
    weight_stacks: Annotated[
        float, typer.Option(help="How much completing larger credentials counts.")
    ] = 0.1,
    top: Annotated[int, typer.Option(help="Suggested moves shown.", min=1, max=50)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Plan micro-credentials from a current occupation to a target one, costed after the
    Canada Training Credit; without --to, suggest occupations to move to."""
    with microcred() as mc:
        if target is None:
            if not current:
                raise typer.BadParameter("give --from (and --to for a plan)", param_hint="--from")
            moves = mc.planner.suggest(current, top=top)
            if as_json:
                print_json([move_json(m) for m in moves])
            else:
                _print_moves(moves)
            return
        raw: dict[str, Any] = {
            "current": current,
            "target": target,
            "province": province,
            "budget": budget,
            "hours_per_week": hours,
            "earliest_start": start,
            "latest_finish": finish,
            "skills": skill or [],
            "held": held or [],
            "birth_year": birth_year,
            "ctc_limit": ctc_limit,
            "ctc_limit_year": ctc_limit_year,
            "ctc_eligible_years": ctc_years,
            "weights": {"cost": weight_cost, "time": weight_time, "stacks": weight_stacks},
        }
        if language:
            raw["languages"] = language
        if mode:
            raw["modes"] = mode
        if resume is not None:
            raw["resume"] = resume.read_text("utf-8", errors="replace")
        found = mc.planner.plan(LearnerProfile.parse(raw))
    if as_json:
        print_json(plan_json(found))
    else:
        _print_plan(found)


def _same(text: str) -> str:
    return text


def _print_moves(moves: list[Move]) -> None:
    table = Table("NOC", "occupation", "similarity", "outlook 2024–2033", "carries over", "missing")
    for m in moves:
        table.add_row(
            m.code,
            m.title_en,
            f"{m.similarity:.2f}",
            m.outlook or "—",
            ", ".join(en for en, _ in m.carries_over[:3]),
            ", ".join(g.label_en for g in m.missing[:3]),
        )
    out.print(table)


def _print_plan(plan: Plan) -> None:
    start = f"{plan.current} {plan.current_title_en}" if plan.current else "your skills"
    out.print(f"[bold]{start} → {plan.target} {plan.target_title_en}[/]", highlight=False)
    finish = plan.finish.isoformat() if plan.finish else "—"
    out.print(
        f"closes {plan.coverage:.0%} of the weighted skills gap · {len(plan.steps)} listing(s) · "
        f"{plan.hours:g} h · finishes {finish}",
        highlight=False,
    )
    gap = Table("missing skill", "weight", "closed", "why", title="Skills gap")
    for line in plan.gap[:15]:
        gap.add_row(line.label_en, f"{line.weight:.2f}", f"{line.covered:.0%}", line.reason)
    if len(plan.gap) > 15:
        gap.add_row(f"… {len(plan.gap) - 15} more", "", "", "")
    out.print(gap)
    if plan.steps:
        steps = Table("dates", "listing", "provider", "cost", "hours", "mode", title="Plan")
        for s in plan.steps:
            steps.add_row(
                f"{s.start} → {s.finish}",
                f"#{s.listing_id} {s.title('en')}",
                s.provider,
                f"${s.cost:,.2f}",
                f"{s.hours:g}",
                s.mode,
            )
        out.print(steps)
    for stack in plan.stacks:
        done = stack.held + stack.planned
        out.print(f"stacks into {stack.name} ({stack.provider}): {done} of {stack.members}")
    _print_costs(plan)
    for code in plan.notes:
        out.print(f"note: {explain.note(code, _same)}", highlight=False)
    for relaxation in plan.relaxations:
        out.print(f"to widen the plan: {explain.relaxation(relaxation, _same)}", highlight=False)
    solved = plan.solver
    out.print(
        f"[dim]{solved.solver}: {solved.status}, gap {solved.gap:.2%}, {solved.candidates} of "
        f"{solved.eligible} eligible listings modelled, {solved.seconds * 1000:.0f} ms[/]",
        highlight=False,
    )


def _print_costs(plan: Plan) -> None:
    if not plan.costs.years:
        return
    table = Table("tax year", "tuition", "CTC (refundable)", "tuition credit", "net", title="Costs")
    for y in plan.costs.years:
        table.add_row(
            str(y.year),
            f"${y.tuition:,.2f}",
            f"${y.ctc:,.2f}",
            f"${y.tuition_credit:,.2f}",
            f"${y.net:,.2f}",
        )
    c = plan.costs
    table.add_row(
        "total",
        f"${c.tuition:,.2f}",
        f"${c.ctc:,.2f}",
        f"${c.tuition_credit:,.2f}",
        f"${c.net:,.2f}",
    )
    out.print(table)
