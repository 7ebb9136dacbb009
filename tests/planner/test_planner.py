"""Plans on a real store (SQLite and PostgreSQL): choice, schedule, stacks, costs, and the
explanations when no plan exists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from microcred.app import Microcred
from microcred.domain.vocab import Role
from microcred.errors import InvalidInput, NotFound
from microcred.planner.model import LearnerProfile
from tests.conftest import make_user
from tests.planner.conftest import LISTENING, READING, add

TODAY = date(2026, 12, 1)


def profile(**fields: Any) -> LearnerProfile:
    base: dict[str, Any] = {"current": "72106", "target": "21231", "province": "ON"}
    return LearnerProfile.parse({**base, **fields})


def test_the_plan_closes_the_gap_cheaply_and_completes_the_certificate(
    mc: Microcred, world: dict[str, int]
) -> None:
    plan = mc.planner.plan(profile(languages=["en"], birth_year=1985), today=TODAY)
    assert {s.listing_id for s in plan.steps} == {world["reading"], world["listening"]}
    assert plan.coverage == 1.0
    assert plan.solver.optimal and plan.solver.status == "optimal"
    assert [g.code for g in plan.gap] == ["F01a02", "F01a01"]
    assert all(g.covered == 1.0 and g.by for g in plan.gap)
    assert "OaSIS" in plan.gap[0].reason
    (stack,) = plan.stacks
    assert stack.name == "Certificate in Communication" and stack.complete
    assert stack.provider == "Tamarack College"
    # Both start on intakes after today, in order, within 8 hours a week.
    reading, listening = plan.steps
    assert (reading.start, listening.start) == (date(2027, 1, 11), date(2027, 3, 1))
    assert reading.finish == date(2027, 2, 21)
    # $900 in 2027: CTC limit 8 × 250 (2019–2026) → credit $450; tuition credit 14% of 450.
    (year,) = plan.costs.years
    assert (year.year, year.tuition, year.ctc_limit, year.ctc) == (2027, 900, 2000, 450)
    assert year.tuition_credit == Decimal("63.00")
    assert plan.costs.net == Decimal("387.00")
    assert "estimated_ctc" in plan.notes


def test_french_and_cheaper_options_are_used_when_allowed(
    mc: Microcred, world: dict[str, int]
) -> None:
    plan = mc.planner.plan(profile(weights={"stacks": 0}), today=TODAY)
    assert world["french"] in {s.listing_id for s in plan.steps}
    assert world["reading"] not in {s.listing_id for s in plan.steps}


def test_held_credentials_are_not_planned_again(mc: Microcred, world: dict[str, int]) -> None:
    plan = mc.planner.plan(profile(languages=["en"], held=[world["reading"]]), today=TODAY)
    assert world["reading"] not in {s.listing_id for s in plan.steps}
    assert plan.stacks[0].held == 1


def test_a_budget_too_small_says_what_to_raise(mc: Microcred, world: dict[str, int]) -> None:
    plan = mc.planner.plan(profile(languages=["en"], budget="50"), today=TODAY)
    assert plan.steps == [] and plan.coverage == 0
    budget = next(r for r in plan.relaxations if r.constraint == "budget")
    assert budget.value == "300" and budget.count == 2  # the third needs 9 h a week
    # The $100 Alberta listing fails two limits (budget, province): no one of them alone.
    assert "province" not in {r.constraint for r in plan.relaxations}


def test_a_finish_date_too_soon_names_a_date_that_works(
    mc: Microcred, world: dict[str, int]
) -> None:
    plan = mc.planner.plan(
        profile(languages=["en"], earliest_start="2027-01-01", latest_finish="2027-01-20"),
        today=TODAY,
    )
    assert plan.steps == []
    dates = next(r for r in plan.relaxations if r.constraint == "dates")
    assert dates.value == "2027-02-21"


def test_hours_per_week_bound_the_plan(mc: Microcred, world: dict[str, int]) -> None:
    plan = mc.planner.plan(profile(languages=["en"], hours_per_week="2"), today=TODAY)
    hours = next(r for r in plan.relaxations if r.constraint == "hours")
    assert hours.value == "3"  # Listening at Work: 12 h over 4 weeks


def test_no_listing_teaching_the_gap_is_explained(mc: Microcred, world: dict[str, int]) -> None:
    plan = mc.planner.plan(profile(target="00010", current="21231"), today=TODAY)
    assert [r.constraint for r in plan.relaxations] in (["catalogue"], [])
    if plan.gap:
        assert plan.steps == [] or plan.coverage > 0


def test_an_empty_catalogue_gives_a_clear_plan(mc: Microcred, tmp_path: Any) -> None:
    from tests.reference import fixture_data

    mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    plan = mc.planner.plan(profile(), today=TODAY)
    assert plan.steps == [] and plan.relaxations[0].constraint == "catalogue"
    assert plan.solver.status == "empty"


def test_new_listings_are_seen_by_the_next_plan(mc: Microcred, world: dict[str, int]) -> None:
    mc.planner.plan(profile(languages=["en"]), today=TODAY)
    admin = make_user(mc, Role.ADMIN)
    cheap = add(
        mc,
        world["college"],
        admin,
        "C1",
        title_en="Communication Basics",
        skills=[READING, LISTENING],
        cost_cad="50",
        hours="8",
        weeks="2",
    )
    after = mc.planner.plan(profile(languages=["en"], weights={"stacks": 0}), today=TODAY)
    assert [s.listing_id for s in after.steps] == [cheap]


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"latest_finish": "2026-01-01", "earliest_start": "2026-02-01"}, "latest_finish"),
        ({"budget": "-1"}, "budget"),
        ({"target": "2123"}, "target"),
        ({"current": None}, "current"),
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"province": "XX"}, "province"),
    ],
)
def test_bad_requests_name_the_field(fields: dict[str, Any], where: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        profile(**fields)
    assert where in {p.location for p in caught.value.problems}


def test_unknown_occupations_are_clear_errors(mc: Microcred, world: dict[str, int]) -> None:
    with pytest.raises(NotFound, match="11199"):
        mc.planner.plan(profile(target="11199"), today=TODAY)
    with pytest.raises(InvalidInput, match="not a NOC 2021 unit group"):
        mc.planner.plan(profile(current="11199"), today=TODAY)
    with pytest.raises(InvalidInput, match="target"):
        mc.planner.plan(profile(target=None), today=TODAY)


def test_suggested_moves_rank_similar_occupations(mc: Microcred, world: dict[str, int]) -> None:
    moves = mc.planner.suggest("72106")
    assert [m.code for m in moves][:1] == ["21231"]
    best = moves[0]
    assert 0 < best.similarity <= 1 and best.title_fr
    assert [g.code for g in best.missing] == ["F01a02", "F01a01"]
    assert mc.planner.suggest("welder")[0].code == moves[0].code
