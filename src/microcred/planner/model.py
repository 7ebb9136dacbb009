"""What a person asks a plan for (``LearnerProfile``) and what a plan says (``Plan``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from microcred.domain.listing import LanguageCode, NocCode
from microcred.domain.vocab import DeliveryMode, Province
from microcred.errors import InvalidInput
from microcred.formats.records import problems_from
from microcred.planner.costs import CostReport, CtcSituation

MAX_HELD = 200


class PlanWeights(BaseModel):
    """How much each aim counts; every term is measured on a 0–1 scale.

    Coverage is the share of the weighted gap closed; cost is tuition against the budget
    (or $10,000 without one); time is study hours against the hours available; stacks is
    the share of larger credentials completed.
    """

    model_config = ConfigDict(extra="forbid")

    coverage: float = Field(default=1.0, ge=0, le=10)
    cost: float = Field(default=0.25, ge=0, le=10)
    time: float = Field(default=0.25, ge=0, le=10)
    stacks: float = Field(default=0.1, ge=0, le=10)


class LearnerProfile(BaseModel):
    """A person's situation and constraints, as entered by them or their practitioner."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    current: str | None = Field(
        default=None, max_length=300, description="NOC code or job title (EN/FR)."
    )
    skills: list[str] = Field(
        default_factory=list, max_length=200, description="OaSIS codes or ESCO URIs held."
    )
    resume: str | None = Field(default=None, max_length=200_000)
    target: NocCode | None = Field(default=None, description="None: suggest targets.")
    province: Province | None = None
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en", "fr"], max_length=5)
    modes: list[DeliveryMode] = Field(default_factory=lambda: list(DeliveryMode), max_length=4)
    budget: Decimal | None = Field(default=None, ge=0, le=1_000_000, decimal_places=2)
    hours_per_week: Decimal = Field(default=Decimal(8), gt=0, le=80, decimal_places=1)
    earliest_start: date | None = None
    latest_finish: date | None = None
    held: list[int] = Field(default_factory=list, max_length=MAX_HELD)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    ctc_limit: Decimal | None = Field(default=None, ge=0, le=5000, decimal_places=2)
    ctc_limit_year: int | None = Field(default=None, ge=2020, le=2100)
    ctc_eligible_years: int | None = Field(default=None, ge=0, le=20)
    weights: PlanWeights = Field(default_factory=PlanWeights)
    time_limit: float = Field(default=2.0, gt=0, le=60, description="Solver limit, seconds.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> LearnerProfile:
        start, finish = self.earliest_start, self.latest_finish
        if start and finish and finish <= start:
            raise PydanticCustomError(
                "dates",
                "the latest finish ({finish}) must come after the earliest start ({start})",
                {"field": "latest_finish", "finish": str(finish), "start": str(start)},
            )
        if not (self.current or self.skills or self.resume):
            raise PydanticCustomError(
                "who",
                "say where the person is now: a current occupation, skills or a résumé",
                {"field": "current"},
            )
        return self

    @classmethod
    def parse(cls, data: dict[str, Any]) -> LearnerProfile:
        """Validate raw input; InvalidInput names every problem."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = problems_from(exc, None)
            raise InvalidInput("the plan request is not valid", problems) from None

    def start(self, today: date) -> date:
        return self.earliest_start or today

    @property
    def ctc_known(self) -> bool:
        """Whether anything is known of the person's Canada Training Credit position."""
        return any(
            v is not None for v in (self.birth_year, self.ctc_limit, self.ctc_eligible_years)
        )

    def ctc(self) -> CtcSituation:
        return CtcSituation(
            birth_year=self.birth_year,
            limit=self.ctc_limit,
            limit_year=self.ctc_limit_year,
            eligible_years=self.ctc_eligible_years,
            keeps_qualifying=self.ctc_known,  # nothing known: no credit assumed
        )


@dataclass(frozen=True)
class Step:
    """One listing in a plan, with its dates."""

    listing_id: int
    title_en: str | None
    title_fr: str | None
    provider: str
    cost: Decimal
    hours: float
    weeks: float
    mode: str
    province: str | None
    languages: list[str]
    start: date
    finish: date
    fixed_intake: bool
    ctc_eligible: bool
    covers: list[str]  # gap skill codes it teaches
    prerequisites: str | None
    url: str | None
    credit_transfer: str | None = None

    def title(self, lang: str) -> str:
        if lang == "fr":
            return self.title_fr or self.title_en or ""
        return self.title_en or self.title_fr or ""


@dataclass(frozen=True)
class GapLine:
    """One missing or under-level skill, and how far the plan closes it."""

    scheme: str
    code: str
    label_en: str
    label_fr: str | None
    required: float
    current: float
    weight: float
    reason: str
    covered: float  # 0–1
    by: list[int]  # listing ids that teach it

    def label(self, lang: str) -> str:
        return (self.label_fr if lang == "fr" else None) or self.label_en


@dataclass(frozen=True)
class StackProgress:
    """A larger credential that listings in the plan stack into."""

    name: str
    provider: str
    members: int
    held: int
    planned: int

    @property
    def complete(self) -> bool:
        return self.held + self.planned >= self.members


@dataclass(frozen=True)
class SolverReport:
    """How the plan was found: the solver, whether it proved optimality, and the sizes."""

    solver: str
    status: str  # optimal | time_limit | infeasible | empty
    optimal: bool
    gap: float  # relative MIP gap at the end (0 when optimal)
    seconds: float
    candidates: int  # listings the model chose among
    eligible: int  # listings that met every constraint and teach something missing
    rounds: int  # solves (a schedule that overran the finish date excludes that set)


@dataclass(frozen=True)
class Relaxation:
    """A constraint that alone keeps listings out of the plan, and what relaxing it opens.

    ``constraint``: province | languages | modes | budget | hours | dates | held, or
    catalogue (nothing in the catalogue teaches what is missing). ``value``: the budget,
    weekly hours or finish date that would open the first such listing, where one applies.
    """

    constraint: str
    count: int
    value: str | None


@dataclass
class Plan:
    """A learning plan: gap, chosen listings on a timeline, stacks, costs, how it was found."""

    target: str
    target_title_en: str
    target_title_fr: str | None
    current: str | None
    current_title_en: str | None
    current_title_fr: str | None
    gap: list[GapLine]
    steps: list[Step]
    stacks: list[StackProgress]
    costs: CostReport
    coverage: float  # weighted share of the gap closed, 0–1
    solver: SolverReport
    relaxations: list[Relaxation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def finish(self) -> date | None:
        return max((s.finish for s in self.steps), default=None)

    @property
    def hours(self) -> float:
        return sum(s.hours for s in self.steps)

    def target_title(self, lang: str) -> str:
        return (self.target_title_fr if lang == "fr" else None) or self.target_title_en
