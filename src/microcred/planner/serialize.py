"""Plans and moves as JSON (the API, ``--json``, and saved plans) and back."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from decimal import Decimal
from typing import Any

from microcred.planner.costs import CostReport, YearCosts
from microcred.planner.model import GapLine, Plan, Relaxation, SolverReport, StackProgress, Step
from microcred.planner.moves import Move

FORMAT = 1  # bumped when the stored shape changes


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def plan_json(plan: Plan) -> dict[str, Any]:
    """A plan as JSON-ready values (money as decimal strings, dates as ISO 8601)."""
    body = {f.name: _plain(asdict(plan)[f.name]) for f in fields(plan) if f.name != "costs"}
    body["costs"] = {
        "tuition": str(plan.costs.tuition),
        "ctc": str(plan.costs.ctc),
        "tuition_credit": str(plan.costs.tuition_credit),
        "net": str(plan.costs.net),
        "years": [{**_plain(asdict(y)), "net": str(y.net)} for y in plan.costs.years],
    }
    body["finish"] = plan.finish.isoformat() if plan.finish else None
    body["hours"] = plan.hours
    body["stacks"] = [{**_plain(asdict(s)), "complete": s.complete} for s in plan.stacks]
    body["format"] = FORMAT
    return body


def _build(cls: Any, raw: dict[str, Any], **converted: Any) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in raw.items() if k in names} | converted)


def plan_from_json(raw: dict[str, Any]) -> Plan:
    """A plan saved by ``plan_json``."""
    steps = [
        _build(
            Step,
            s,
            cost=Decimal(s["cost"]),
            start=date.fromisoformat(s["start"]),
            finish=date.fromisoformat(s["finish"]),
        )
        for s in raw["steps"]
    ]
    years = []
    for y in raw["costs"]["years"]:
        money = {
            k: Decimal(y[k])
            for k in ("tuition", "eligible_fees", "ctc_limit", "ctc", "tuition_credit", "rate")
        }
        years.append(_build(YearCosts, y, **money))
    plan: Plan = _build(
        Plan,
        raw,
        gap=[_build(GapLine, g) for g in raw["gap"]],
        steps=steps,
        stacks=[_build(StackProgress, s) for s in raw["stacks"]],
        costs=CostReport(years),
        solver=_build(SolverReport, raw["solver"]),
        relaxations=[_build(Relaxation, r) for r in raw["relaxations"]],
    )
    return plan


def move_json(move: Move) -> dict[str, Any]:
    """A suggested move as JSON-ready values."""
    return {
        "code": move.code,
        "title_en": move.title_en,
        "title_fr": move.title_fr,
        "similarity": move.similarity,
        "outlook": move.outlook,
        "score": move.score,
        "carries_over": [{"label_en": en, "label_fr": fr} for en, fr in move.carries_over],
        "missing": [
            {"code": g.code, "label_en": g.label_en, "label_fr": g.label_fr, "weight": g.weight}
            for g in move.missing
        ],
    }
