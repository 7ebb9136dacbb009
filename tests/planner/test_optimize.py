"""The mixed-integer program finds the optimum: checked against brute force on random
small instances, with every kind of constraint."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.planner.model import PlanWeights
from microcred.planner.optimize import Problem, brute_force, solve


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(1, 8))
    m = draw(st.integers(1, 4))
    money = st.integers(0, 3000).map(float)
    cover = np.array(
        [[draw(st.sampled_from([0.0, 0.0, 0.4, 0.7, 1.0])) for _ in range(m)] for _ in range(n)]
    )
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    subsets = st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True)
    return Problem(
        cost=np.array([draw(money) for _ in range(n)]),
        hours=np.array([float(draw(st.integers(1, 120))) for _ in range(n)]),
        cover=cover,
        weight=np.array([draw(st.floats(0.05, 1.0)) for _ in range(m)]),
        weights=PlanWeights(
            coverage=draw(st.sampled_from([1.0, 2.0])),
            cost=draw(st.sampled_from([0.0, 0.25, 1.0])),
            time=draw(st.sampled_from([0.0, 0.25, 1.0])),
            stacks=draw(st.sampled_from([0.0, 0.1, 0.5])),
        ),
        budget=draw(st.one_of(st.none(), money)),
        capacity=draw(st.one_of(st.none(), st.integers(0, 300).map(float))),
        cost_scale=3000.0,
        hours_scale=300.0,
        stacks=draw(st.lists(subsets, max_size=2)),
        requires=draw(st.lists(pairs, max_size=2)),
        excluded=draw(st.lists(subsets, max_size=2)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_solver_matches_brute_force(problem: Problem) -> None:
    found = solve(problem, time_limit=10)
    _, value = brute_force(problem)
    assert found.status == "optimal"
    assert problem.feasible(found.chosen)
    assert found.objective == pytest.approx(value, abs=1e-6)


def test_nothing_to_choose_from_is_an_empty_optimal_plan() -> None:
    empty = Problem(np.zeros(0), np.zeros(0), np.zeros((0, 1)), np.ones(1), PlanWeights())
    assert solve(empty).chosen == []


def test_a_stack_bonus_completes_the_larger_credential() -> None:
    # Listing 2 alone teaches both skills; 0 and 1 teach one each and complete a certificate.
    problem = Problem(
        cost=np.array([100.0, 100.0, 150.0]),
        hours=np.array([10.0, 10.0, 10.0]),
        cover=np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
        weight=np.array([1.0, 1.0]),
        weights=PlanWeights(cost=0.1, time=0.0, stacks=0.0),
        cost_scale=1000,
        stacks=[[0, 1]],
    )
    assert solve(problem).chosen == [2]
    problem.weights = PlanWeights(cost=0.1, time=0.0, stacks=1.0)
    assert solve(problem).chosen == [0, 1]


def test_weak_matches_do_not_add_up_to_a_strong_one() -> None:
    problem = Problem(
        cost=np.zeros(3),
        hours=np.array([10.0, 10.0, 10.0]),
        cover=np.array([[0.4], [0.4], [0.4]]),
        weight=np.array([1.0]),
        weights=PlanWeights(time=0.1),
    )
    found = solve(problem)
    assert len(found.chosen) == 1 and found.objective == pytest.approx(0.4 - 0.1 * 10 / 400)


def test_prerequisites_and_exclusions_hold() -> None:
    problem = Problem(
        cost=np.array([0.0, 500.0]),
        hours=np.array([10.0, 10.0]),
        cover=np.array([[1.0], [0.0]]),
        weight=np.array([1.0]),
        weights=PlanWeights(),
        requires=[(0, 1)],
    )
    assert solve(problem).chosen == [0, 1]
    problem.budget = 400
    assert solve(problem).chosen == []
    problem.budget, problem.excluded = None, [[0, 1]]
    assert solve(problem).chosen == []
