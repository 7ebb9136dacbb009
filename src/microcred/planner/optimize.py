"""Choosing listings that close a weighted skills gap: a mixed-integer program solved by HiGHS.

Variables: x_i ∈ {0,1} (take listing i); y_s ∈ [0,1] (share of gap skill s closed);
z_k ∈ [0,1] (larger credential k completed); v_st ∈ [0,1] (a listing teaching skill s at
level L_st or better is taken), where L_s1 > L_s2 > … are the distinct levels at which
candidates teach s.

    maximise   a·Σ_s (w_s/W)·y_s − b·Σ_i c_i x_i / C − t·Σ_i h_i x_i / H + g·Σ_k z_k / K
    subject to y_s ≤ Σ_t (L_st − L_s,t+1)·v_st,  v_st ≤ Σ_{i: cover_is ≥ L_st} x_i
                        (a skill is closed as far as the best listing taken teaches it —
                         three weak matches do not add up to one strong one; this stepwise
                         form of the maximum keeps the LP relaxation tight)
               Σ_i c_i x_i ≤ budget,  Σ_i h_i x_i ≤ hours available
               z_k ≤ x_i for every member i of k  (complete only when all are taken)
               x_i ≤ x_j when i requires j
               Σ_{i∈S} x_i ≤ |S| − 1 for each excluded set S (schedules that overran)

The optimum of this program equals that of the objective evaluated directly on every
subset (``brute_force``), since y and z take their largest feasible values; the tests
check this on random small instances.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from microcred.planner.model import PlanWeights

MIP_GAP = 1e-6


@dataclass
class Problem:
    """One planning instance over ``n`` candidate listings and ``m`` gap skills."""

    cost: np.ndarray  # n, CAD
    hours: np.ndarray  # n
    cover: np.ndarray  # n × m, 0–1
    weight: np.ndarray  # m, > 0
    weights: PlanWeights
    budget: float | None = None
    capacity: float | None = None  # study hours available before the finish date
    cost_scale: float = 10_000.0
    hours_scale: float = 400.0
    stacks: list[list[int]] = field(default_factory=list)  # member candidate indices
    requires: list[tuple[int, int]] = field(default_factory=list)  # (i, j): i needs j
    excluded: list[list[int]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.cost)

    def objective(self, chosen: list[int]) -> float:
        """The objective of taking exactly ``chosen`` (y and z at their best)."""
        w = self.weights
        picked = np.zeros(self.size, dtype=bool)
        picked[list(chosen)] = True
        closed = self.cover[picked].max(axis=0) if len(chosen) else 0.0
        total = float(self.weight.sum())
        value = w.coverage * float(np.sum(self.weight * closed)) / total if total else 0.0
        value -= w.cost * float(self.cost[picked].sum()) / self.cost_scale
        value -= w.time * float(self.hours[picked].sum()) / self.hours_scale
        if self.stacks:
            done = sum(all(picked[i] for i in members) for members in self.stacks)
            value += w.stacks * done / len(self.stacks)
        return value

    def feasible(self, chosen: list[int]) -> bool:
        """Whether taking exactly ``chosen`` meets every constraint."""
        s = set(chosen)
        if self.budget is not None and sum(self.cost[i] for i in s) > self.budget + 1e-9:
            return False
        if self.capacity is not None and sum(self.hours[i] for i in s) > self.capacity + 1e-9:
            return False
        if any(i in s and j not in s for i, j in self.requires):
            return False
        return not any(set(group) <= s for group in self.excluded)


@dataclass(frozen=True)
class Solution:
    chosen: list[int]
    objective: float
    status: str  # optimal | time_limit
    gap: float
    seconds: float


def solve(problem: Problem, *, time_limit: float = 2.0) -> Solution:
    """The best set of candidates (HiGHS branch and cut, within ``time_limit`` seconds)."""
    started = time.perf_counter()
    n, m, k = problem.size, len(problem.weight), len(problem.stacks)
    steps = _levels(problem)  # the v variables
    if n == 0:
        return Solution([], 0.0, "optimal", 0.0, 0.0)
    w = problem.weights
    c = np.concatenate(
        [
            w.cost * problem.cost / problem.cost_scale
            + w.time * problem.hours / problem.hours_scale,
            -w.coverage * problem.weight / max(float(problem.weight.sum()), 1e-12),
            -w.stacks * np.ones(k) / max(k, 1),
            np.zeros(len(steps)),
        ]
    )
    rows, lower, upper = _constraints(problem, n, m, k, steps)
    constraints = LinearConstraint(sparse.vstack(rows, format="csr"), lower, upper)
    integrality = np.concatenate([np.ones(n), np.zeros(m + k + len(steps))])
    result = milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": MIP_GAP, "presolve": True},
    )
    seconds = time.perf_counter() - started
    if result.x is None:  # no incumbent within the limit: taking nothing is always feasible
        return Solution([], 0.0, "time_limit", 1.0, seconds)
    chosen = [i for i in range(n) if result.x[i] > 0.5]
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    status = "optimal" if result.status == 0 else "time_limit"
    return Solution(chosen, problem.objective(chosen), status, gap, seconds)


def _constraints(
    problem: Problem, n: int, m: int, k: int, steps: list[tuple[int, float, np.ndarray]]
) -> tuple[list[sparse.spmatrix], list[float], list[float]]:
    width = n + m + k + len(steps)
    rows: list[sparse.spmatrix] = []
    lower: list[float] = []
    upper: list[float] = []

    def add(row: sparse.spmatrix, high: float) -> None:
        rows.append(row)
        lower.extend([-np.inf] * row.shape[0])
        upper.extend([high] * row.shape[0])

    if steps:
        for matrix in _coverage(steps, n, m, width):
            add(matrix, 0.0)
    elif m:  # nothing teaches any gap skill: y_s ≤ 0
        add(
            sparse.hstack(
                [sparse.csr_matrix((m, n)), sparse.identity(m), sparse.csr_matrix((m, k))]
            ),
            0.0,
        )
    for limit, values in ((problem.budget, problem.cost), (problem.capacity, problem.hours)):
        if limit is not None:
            row = np.zeros(width)
            row[:n] = values
            add(sparse.csr_matrix(row), float(limit))
    pairs: list[tuple[int, int, float]] = []  # (row, column, value) of ≤ 0 constraints
    count = 0
    for s, members in enumerate(problem.stacks):
        for i in members:
            pairs += [(count, n + m + s, 1.0), (count, i, -1.0)]
            count += 1
    for i, j in problem.requires:
        pairs += [(count, i, 1.0), (count, j, -1.0)]
        count += 1
    if count:
        r, col, v = zip(*pairs, strict=True)
        add(sparse.csr_matrix((v, (r, col)), shape=(count, width)), 0.0)
    for group in problem.excluded:
        row = np.zeros(width)
        row[group] = 1.0
        add(sparse.csr_matrix(row), float(len(group) - 1))
    if not rows:
        add(sparse.csr_matrix(np.zeros((1, width))), 0.0)
    return rows, lower, upper


def _levels(problem: Problem) -> list[tuple[int, float, np.ndarray]]:
    """(skill, L_t − L_t+1, listings teaching it at L_t or better) for each level."""
    out = []
    for skill in range(problem.cover.shape[1]):
        column = problem.cover[:, skill]
        levels = sorted({float(v) for v in column if v > 0}, reverse=True)
        for t, level in enumerate(levels):
            below = levels[t + 1] if t + 1 < len(levels) else 0.0
            out.append((skill, level - below, np.flatnonzero(column >= level)))
    return out


def _coverage(
    steps: list[tuple[int, float, np.ndarray]], n: int, m: int, width: int
) -> list[sparse.spmatrix]:
    """y_s − Σ_t δ_st·v_st ≤ 0 and v_st − Σ_{i teaching s at L_st or better} x_i ≤ 0."""
    v = width - len(steps) + np.arange(len(steps))
    skills = np.array([s for s, _, _ in steps])
    deltas = np.array([d for _, d, _ in steps])
    closed = sparse.csr_matrix(
        (
            np.concatenate([np.ones(m), -deltas]),
            (np.concatenate([np.arange(m), skills]), np.concatenate([n + np.arange(m), v])),
        ),
        shape=(m, width),
    )
    rows, cols, data = [], [], []
    for t, (_, _, members) in enumerate(steps):
        rows += [t] * (len(members) + 1)
        cols += [int(v[t]), *members.tolist()]
        data += [1.0] + [-1.0] * len(members)
    reached = sparse.csr_matrix((data, (rows, cols)), shape=(len(steps), width))
    return [closed, reached]


def brute_force(problem: Problem) -> tuple[list[int], float]:
    """The best feasible subset by enumeration (small instances; for tests)."""
    best: tuple[list[int], float] = ([], problem.objective([]))
    for size in range(1, problem.size + 1):
        for subset in itertools.combinations(range(problem.size), size):
            chosen = list(subset)
            if problem.feasible(chosen):
                value = problem.objective(chosen)
                if value > best[1] + 1e-12:
                    best = (chosen, value)
    return best
