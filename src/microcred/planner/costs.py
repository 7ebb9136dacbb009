"""Tuition, the Canada Training Credit and the federal tuition tax credit, by tax year.

Rules (Income Tax Act s. 122.91 and s. 118.5; figures in ``facts.toml``):
- The CTC limit grows by $250 for each year from 2019 in which the person was 25–64 at the
  end of the year, resident in Canada, with working income at or above that year's
  threshold and net income not above the top of the third bracket; lifetime accumulation
  is capped at $5,000. The limit for a year is the previous year's, minus the credit
  claimed in it, plus that year's accumulation. It lapses after the year the person
  turns 65.
- The credit (refundable) is the lesser of the limit and half the eligible fees of the
  year. Fees count only when paid to an eligible institution, and only when more than
  $100 to that institution in the year.
- The credit claimed reduces the fees available for the tuition tax credit, which is the
  year's lowest federal rate on the rest (non-refundable: worth this much only to a person
  who owes at least as much federal tax).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from microcred.planner.facts import TaxFacts, load

CENT = Decimal("0.01")
ZERO = Decimal(0)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CtcSituation:
    """What we know of a person's Canada Training Credit position.

    Give the limit from the notice of assessment (``limit`` for tax year ``limit_year``),
    or the number of years since 2019 the person met the conditions (``eligible_years``),
    or only the ``birth_year`` (then every year from 2019 in which the person was 25–64 is
    assumed to count: an estimate).
    """

    birth_year: int | None = None
    limit: Decimal | None = None
    limit_year: int | None = None
    eligible_years: int | None = None
    keeps_qualifying: bool = True  # meets the income and residence conditions in plan years

    def age_at_end_of(self, year: int) -> int | None:
        return None if self.birth_year is None else year - self.birth_year


@dataclass(frozen=True)
class Fee:
    """Tuition for one listing, paid in ``year`` to ``institution``."""

    listing_id: int
    institution: str
    year: int
    amount: Decimal
    ctc_eligible: bool


@dataclass
class YearCosts:
    """One tax year of a plan: what is paid, the credits claimed on that year's return."""

    year: int
    tuition: Decimal = ZERO
    eligible_fees: Decimal = ZERO
    ctc_limit: Decimal = ZERO
    ctc: Decimal = ZERO
    tuition_credit: Decimal = ZERO
    rate: Decimal = ZERO
    estimated: bool = False  # the limit or the year's figures are estimates
    notes: list[str] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.tuition - self.ctc - self.tuition_credit


@dataclass
class CostReport:
    """A plan's costs: tuition, credits and net, year by year."""

    years: list[YearCosts]

    @property
    def tuition(self) -> Decimal:
        return sum((y.tuition for y in self.years), ZERO)

    @property
    def ctc(self) -> Decimal:
        return sum((y.ctc for y in self.years), ZERO)

    @property
    def tuition_credit(self) -> Decimal:
        return sum((y.tuition_credit for y in self.years), ZERO)

    @property
    def net(self) -> Decimal:
        return self.tuition - self.ctc - self.tuition_credit


def accumulates(person: CtcSituation, year: int, facts: TaxFacts) -> bool:
    """Whether ``year`` adds $250 to the limit (age known; income assumed to qualify)."""
    if year < facts.first_accumulation_year:
        return False
    age = person.age_at_end_of(year)
    low, high = facts.accumulation_ages
    return age is None or low <= age <= high


@dataclass
class _Account:
    """The running CTC position: the limit, and how much has ever accumulated (capped)."""

    limit: Decimal
    accumulated: Decimal
    estimated: bool

    def grow(self, facts: TaxFacts) -> None:
        step = min(facts.accumulation, facts.lifetime_limit - self.accumulated)
        if step > 0:
            self.limit += step
            self.accumulated += step
            self.estimated = True


def starting_account(person: CtcSituation, year: int, facts: TaxFacts) -> _Account:
    """The CTC position for ``year`` before any claim in the plan."""
    age = person.age_at_end_of(year)
    if age is not None and age > facts.last_claim_age:
        return _Account(ZERO, facts.lifetime_limit, False)
    if person.limit is not None:
        # What has accumulated is at least the limit (earlier claims are not known).
        limit = min(person.limit, facts.lifetime_limit)
        account = _Account(limit, limit, False)
        for y in range(person.limit_year or year, year):  # carried forward from an older notice
            if person.keeps_qualifying and accumulates(person, y, facts):
                account.grow(facts)
        return account
    if person.eligible_years is not None:
        years = max(0, min(person.eligible_years, year - facts.first_accumulation_year))
        total = min(facts.accumulation * years, facts.lifetime_limit)
        return _Account(total, total, False)
    if person.birth_year is None:
        return _Account(ZERO, ZERO, False)
    years = sum(
        1 for y in range(facts.first_accumulation_year, year) if accumulates(person, y, facts)
    )
    total = min(facts.accumulation * years, facts.lifetime_limit)
    return _Account(total, total, True)


def starting_limit(person: CtcSituation, year: int, facts: TaxFacts | None = None) -> Decimal:
    """The CTC limit for ``year`` before any claim in the plan."""
    return starting_account(person, year, facts or load()).limit


def _eligible(fees: list[Fee], minimum: Decimal) -> Decimal:
    by_institution: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for fee in fees:
        if fee.ctc_eligible:
            by_institution[fee.institution] += fee.amount
    return sum((v for v in by_institution.values() if v > minimum), ZERO)


def costs(fees: Iterable[Fee], person: CtcSituation, facts: TaxFacts | None = None) -> CostReport:
    """Tuition and credits per tax year for fees paid over one or more years."""
    facts = facts or load()
    by_year: dict[int, list[Fee]] = defaultdict(list)
    for fee in fees:
        by_year[fee.year].append(fee)
    if not by_year:
        return CostReport([])
    first, last = min(by_year), max(by_year)
    account = starting_account(person, first, facts)
    report = []
    for year in range(first, last + 1):
        year_facts = facts.year(year)
        paid = by_year.get(year, [])
        entry = YearCosts(year, rate=year_facts.lowest_rate, ctc_limit=account.limit)
        entry.estimated = account.estimated or year_facts.estimated
        entry.tuition = sum((f.amount for f in paid), ZERO)
        entry.eligible_fees = _eligible(paid, facts.tuition_minimum)
        age = person.age_at_end_of(year)
        can_claim = age is None or age <= facts.last_claim_age
        if can_claim:
            entry.ctc = _cents(min(account.limit, entry.eligible_fees / 2))
        entry.tuition_credit = _cents((entry.eligible_fees - entry.ctc) * year_facts.lowest_rate)
        if entry.tuition != entry.eligible_fees:
            entry.notes.append("ineligible_fees")
        if paid:
            report.append(entry)
        account.limit -= entry.ctc
        if person.keeps_qualifying and accumulates(person, year, facts):
            account.grow(facts)
    return CostReport(report)
