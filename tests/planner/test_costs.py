"""Worked Canada Training Credit and tuition tax credit examples (Income Tax Act s. 122.91,
s. 118.5; figures in microcred/planner/facts.toml)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from microcred.planner.costs import CtcSituation, Fee, costs, starting_limit
from microcred.planner.facts import load

D = Decimal


def _fee(amount: str, year: int = 2025, institution: str = "college", eligible: bool = True) -> Fee:
    return Fee(1, institution, year, D(amount), eligible)


def test_eligible_every_year_2019_to_2024_gives_1500_in_2025() -> None:
    assert starting_limit(CtcSituation(eligible_years=6), 2025) == D(1500)
    # Estimated from age alone: 40 at the end of 2025, so 25–64 in every year 2019–2024.
    assert starting_limit(CtcSituation(birth_year=1985), 2025) == D(1500)


def test_issue_worked_example_credit_then_tuition_credit_at_15_percent() -> None:
    # Tuition $2,400 → credit $1,200 (half the fees, within the $1,500 limit); the other
    # $1,200 → tuition tax credit $180 at the 15% rate of the tax years to 2024.
    facts = load()
    at_15 = replace(
        facts, years={**facts.years, 2025: replace(facts.years[2025], lowest_rate=D("0.15"))}
    )
    report = costs([_fee("2400")], CtcSituation(eligible_years=6), at_15)
    year = report.years[0]
    assert (year.ctc_limit, year.ctc, year.tuition_credit) == (D(1500), D(1200), D(180))
    assert report.net == D(1020)


def test_2025_uses_the_lowered_lowest_rate() -> None:
    # The lowest federal rate is 14.5% for 2025 (14% from 1 July 2025).
    year = costs([_fee("2400")], CtcSituation(eligible_years=6)).years[0]
    assert (year.ctc, year.tuition_credit, year.rate) == (D(1200), D(174), D("0.145"))


def test_the_credit_is_capped_by_the_limit() -> None:
    year = costs([_fee("5000")], CtcSituation(eligible_years=2)).years[0]
    assert year.ctc == D(500)
    assert year.tuition_credit == (D(4500) * D("0.145")).quantize(D("0.01"))


def test_claims_reduce_next_years_limit_which_grows_by_250() -> None:
    report = costs([_fee("2000", 2025), _fee("2000", 2026)], CtcSituation(eligible_years=6))
    first, second = report.years
    assert (first.ctc_limit, first.ctc) == (D(1500), D(1000))
    assert (second.ctc_limit, second.ctc) == (D(750), D(750))  # 1500 − 1000 + 250
    assert second.estimated  # assumes the person keeps qualifying in 2025


def test_fees_of_100_or_less_to_an_institution_do_not_count() -> None:
    year = costs(
        [_fee("100", institution="a"), _fee("900", institution="b")], CtcSituation(eligible_years=6)
    ).years[0]
    assert year.eligible_fees == D(900) and year.ctc == D(450)
    assert "ineligible_fees" in year.notes


def test_fees_to_ineligible_providers_earn_nothing() -> None:
    year = costs([_fee("900", eligible=False)], CtcSituation(eligible_years=6)).years[0]
    assert (year.tuition, year.ctc, year.tuition_credit, year.net) == (D(900), 0, 0, D(900))


def test_the_limit_lapses_after_the_year_the_person_turns_65() -> None:
    person = CtcSituation(birth_year=1960, limit=D(2000), limit_year=2025)
    assert costs([_fee("1000", 2025)], person).years[0].ctc == D(500)  # turns 65 in 2025
    assert costs([_fee("1000", 2026)], person).years[0].ctc == 0


def test_nothing_accumulates_outside_25_to_64() -> None:
    young = CtcSituation(birth_year=2001)  # 24 at the end of 2025
    assert starting_limit(young, 2026) == 0
    assert starting_limit(young, 2027) == D(250)


def test_the_lifetime_accumulation_stops_at_5000() -> None:
    person = CtcSituation(limit=D(5000), limit_year=2025)
    report = costs([_fee("4000", 2025), _fee("20", 2026, "other")], person)
    first = report.years[0]
    assert first.ctc == D(2000)
    # 5,000 have accumulated already: no more, whatever is claimed.
    assert report.years[1].ctc_limit == D(3000)


def test_a_limit_from_an_older_notice_is_carried_forward() -> None:
    person = CtcSituation(birth_year=1985, limit=D(1250), limit_year=2024)
    assert starting_limit(person, 2025) == D(1500)
