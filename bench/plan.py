"""Planning latency over a large catalogue, and HiGHS against OR-Tools CP-SAT. Prints JSON.

    python bench/plan.py [--database URL] [--data ../shared/data] [--listings 100000]
                         [--plans 200] [--solvers highs,cpsat]

Without --database, a temporary SQLite store is made: the reference data loaded from
--data, then a demo catalogue of --listings listings (its declared OaSIS skills are the
tags the planner reads). Plans are made for seeded random moves between unit groups
(a current one and one of its 15 most similar, with a province, budget and weekly hours),
plus the fixed case 62010 Retail sales supervisors → 21211 Data scientists in Ontario.

Reported: wall time per plan through ``mc.planner.plan`` (p50/p95/p99 ms, after one
warm-up plan that builds the catalogue index), the index build time, the solver's status
and relative MIP gap, and — on the same MIP instances — HiGHS (scipy.optimize.milp, used
by microcred) against CP-SAT (``pip install ortools``; skipped when absent), with the
objective each reaches.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from microcred.app import Microcred
from microcred.planner.model import LearnerProfile
from microcred.planner.optimize import Problem, solve
from microcred.settings import Settings

SEED = 2026
PROVINCES = ["ON", "QC", "BC", "AB", "MB", "NS", None]
FIXED = {
    "current": "62010",
    "target": "21211",
    "province": "ON",
    "budget": 3000,
    "hours_per_week": 8,
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 0.5),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
        "mean": round(statistics.fmean(values), 2),
    }


def build(data: Path, listings: int, folder: Path) -> str:
    """A temporary SQLite store with the reference data and a demo catalogue."""
    url = f"sqlite:///{folder / 'plan-bench.db'}"
    settings = Settings(database_url=url, data_dir=data, semantic=False)
    with Microcred(settings) as mc:
        mc.migrate()
        mc.reference_loader.load(data)
    from typer.testing import CliRunner

    from microcred.cli.main import app

    env = {
        "MICROCRED_DATABASE_URL": url,
        "MICROCRED_DATA_DIR": str(data),
        "MICROCRED_SEMANTIC": "false",
    }
    result = CliRunner().invoke(
        app, ["demo", "--listings", str(listings), "--no-serve", "--json"], env=env
    )
    if result.exit_code != 0:
        raise SystemExit(f"demo failed: {result.output}")
    return url


def profiles(mc: Microcred, count: int) -> list[dict[str, Any]]:
    """Seeded random moves between unit groups that have profiles."""
    rng = random.Random(SEED)
    units = sorted(mc.skills.profiles().units)
    out = [FIXED]
    while len(out) < count:
        current = rng.choice(units)
        similar = mc.skills.similar(current, top=15)
        if not similar:
            continue
        out.append(
            {
                "current": current,
                "target": rng.choice(similar).id,
                "province": rng.choice(PROVINCES),
                "budget": rng.choice([None, 500, 1500, 3000, 6000]),
                "hours_per_week": rng.choice([4, 8, 12, 20]),
            }
        )
    return out


def cpsat(problem: Problem, time_limit: float) -> tuple[list[int], str, float]:
    """The same program on OR-Tools CP-SAT (integer-scaled)."""
    from ortools.sat.python import cp_model

    scale = 1000  # coverage shares in thousandths
    money = 10**6  # objective scale
    m = cp_model.CpModel()
    n, k = problem.size, len(problem.weight)
    x = [m.new_bool_var(f"x{i}") for i in range(n)]
    y = [m.new_int_var(0, scale, f"y{s}") for s in range(k)]
    z = [m.new_bool_var(f"z{j}") for j in range(len(problem.stacks))]
    for s in range(k):  # a skill is closed as far as the best listing taken teaches it
        levels = [
            int(np.rint(scale * problem.cover[i, s])) * x[i]
            for i in range(n)
            if problem.cover[i, s] > 0
        ]
        if levels:
            m.add_max_equality(y[s], levels)
        else:
            m.add(y[s] == 0)
    if problem.budget is not None:
        m.add(
            sum(round(100 * problem.cost[i]) * x[i] for i in range(n))
            <= round(100 * problem.budget)
        )
    if problem.capacity is not None:
        m.add(
            sum(round(10 * problem.hours[i]) * x[i] for i in range(n)) <= int(10 * problem.capacity)
        )
    for j, members in enumerate(problem.stacks):
        for i in members:
            m.add_implication(z[j], x[i])
    for i, j in problem.requires:
        m.add_implication(x[i], x[j])
    for group in problem.excluded:
        m.add(sum(x[i] for i in group) <= len(group) - 1)
    w = problem.weights
    total = float(problem.weight.sum())
    terms = []
    for s in range(k):
        terms.append(round(money * w.coverage * problem.weight[s] / total / scale) * y[s])
    for i in range(n):
        price = (
            w.cost * problem.cost[i] / problem.cost_scale
            + w.time * problem.hours[i] / problem.hours_scale
        )
        terms.append(-round(money * price) * x[i])
    for j in range(len(problem.stacks)):
        terms.append(round(money * w.stacks / len(problem.stacks)) * z[j])
    m.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    status = solver.solve(m)
    chosen = (
        [i for i in range(n) if solver.value(x[i])]
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else []
    )
    return chosen, "optimal" if status == cp_model.OPTIMAL else "feasible", solver.wall_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database")
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--solvers", default="highs,cpsat")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database
        started = time.perf_counter()
        if url is None:
            url = build(args.data, args.listings, Path(folder))
        setup_seconds = round(time.perf_counter() - started, 1)
        settings = Settings(database_url=url, semantic=False)
        with Microcred(settings) as mc:
            report = run(mc, args, setup_seconds)
    json.dump(report, sys.stdout, indent=2)
    print()


def run(mc: Microcred, args: argparse.Namespace, setup_seconds: float) -> dict[str, Any]:
    started = time.perf_counter()
    index = mc.planner.catalog_index()
    index_seconds = round(time.perf_counter() - started, 2)
    requests = [LearnerProfile.parse(p) for p in profiles(mc, args.plans)]
    mc.planner.plan(requests[0])  # warm-up: profiles, unit groups
    times, solver_ms, statuses, gaps, candidates, coverage = [], [], Counter(), [], [], []
    fixed = None
    for i, request in enumerate(requests):
        begun = time.perf_counter()
        plan = mc.planner.plan(request)
        times.append((time.perf_counter() - begun) * 1000)
        solver_ms.append(plan.solver.seconds * 1000)
        statuses[plan.solver.status] += 1
        gaps.append(plan.solver.gap)
        candidates.append(plan.solver.candidates)
        coverage.append(plan.coverage)
        if i == 0:
            fixed = {
                "steps": len(plan.steps),
                "coverage": plan.coverage,
                "tuition": str(plan.costs.tuition),
                "net": str(plan.costs.net),
                "eligible": plan.solver.eligible,
                "candidates": plan.solver.candidates,
                "ms": round(times[-1], 1),
            }
    report: dict[str, Any] = {
        "listings": index.size,
        "setup_seconds": setup_seconds,
        "index_build_seconds": index_seconds,
        "plans": len(requests),
        "plan_ms": summary(times),
        "solver_ms": summary(solver_ms),
        "status": dict(statuses),
        "max_mip_gap": max(gaps),
        "candidates": summary([float(c) for c in candidates]),
        "mean_coverage": round(statistics.fmean(coverage), 3),
        "fixed_case_62010_to_21211_ON": fixed,
    }
    report["solvers"] = compare(mc, requests[:50], args.solvers.split(","))
    return report


def compare(mc: Microcred, requests: list[LearnerProfile], names: list[str]) -> dict[str, Any]:
    """HiGHS and CP-SAT on the same instances: time and objective reached."""
    problems = [mc.planner.problem(r) for r in requests]
    out: dict[str, Any] = {}
    objectives: dict[str, list[float]] = {}
    for name in names:
        if name == "cpsat":
            try:
                import ortools  # noqa: F401
            except ImportError:
                out[name] = "skipped: pip install ortools"
                continue
        times, values, states = [], [], Counter()
        for problem in problems:
            begun = time.perf_counter()
            if name == "highs":
                solution = solve(problem, time_limit=10)
                chosen, state = solution.chosen, solution.status
            else:
                chosen, state, _ = cpsat(problem, 10)
            times.append((time.perf_counter() - begun) * 1000)
            values.append(problem.objective(chosen))
            states[state] += 1
        objectives[name] = values
        out[name] = {"ms": summary(times), "status": dict(states)}
    if len(objectives) == 2:
        a, b = (np.array(v) for v in objectives.values())
        out["objective_max_abs_difference"] = round(float(np.max(np.abs(a - b))), 6)
        first = next(iter(objectives))
        out[f"{first}_at_least_as_good"] = int(np.sum(a >= b - 1e-6))
    out["instances"] = len(problems)
    out["variables"] = summary([float(p.size) for p in problems])
    return out


if __name__ == "__main__":
    main()
