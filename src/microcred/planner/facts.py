"""The small table of tax facts a plan's costs rest on (``facts.toml``, with its sources)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class YearFacts:
    """One tax year's thresholds and rate."""

    year: int
    ctc_working_income: Decimal
    third_bracket_top: Decimal
    lowest_rate: Decimal
    estimated: bool  # figures carried over from the last published year


@dataclass(frozen=True)
class TaxFacts:
    """Canada Training Credit and federal tuition tax credit rules."""

    accumulation: Decimal
    lifetime_limit: Decimal
    first_accumulation_year: int
    accumulation_ages: tuple[int, int]
    last_claim_age: int
    tuition_minimum: Decimal
    years: dict[int, YearFacts]

    def year(self, year: int) -> YearFacts:
        """The facts for ``year``; later years reuse the last listed one's, marked estimated."""
        if year in self.years:
            return self.years[year]
        known = max(y for y in self.years if y <= year) if year > min(self.years) else None
        base = self.years[known if known is not None else min(self.years)]
        return YearFacts(
            year, base.ctc_working_income, base.third_bracket_top, base.lowest_rate, True
        )


@cache
def load() -> TaxFacts:
    """The facts shipped with microcred."""
    raw = tomllib.loads(
        resources.files("microcred.planner").joinpath("facts.toml").read_text("utf-8")
    )
    years = {
        int(y): YearFacts(
            int(y),
            Decimal(str(v["ctc_working_income"])),
            Decimal(str(v["third_bracket_top"])),
            Decimal(str(v["lowest_rate"])),
            bool(v.get("thresholds_estimated", False)),
        )
        for y, v in raw["years"].items()
    }
    low, high = raw["accumulation_ages"]
    return TaxFacts(
        Decimal(str(raw["accumulation"])),
        Decimal(str(raw["lifetime_limit"])),
        int(raw["first_accumulation_year"]),
        (int(low), int(high)),
        int(raw["last_claim_age"]),
        Decimal(str(raw["tuition_minimum"])),
        years,
    )
