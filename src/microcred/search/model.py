"""What a search asks for and what it returns; validated before any engine sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from microcred.domain.vocab import CredentialKind, DeliveryMode, OrganizationKind, Province
from microcred.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from microcred.search.related import Related

MAX_QUERY = 2000  # characters
MAX_PER_PAGE = 50
MAX_DEPTH = 10_000  # results reachable by paging: deeper pages are refused, not slow
ONLINE = "online"  # the "place" of listings delivered online, anywhere in Canada
PLACES = frozenset([*(p.value for p in Province), ONLINE])
MODES = frozenset(m.value for m in DeliveryMode)
KINDS = frozenset(k.value for k in CredentialKind)
PROVIDER_KINDS = frozenset(k.value for k in OrganizationKind)
FACETS = ("place", "mode", "language", "kind", "provider_kind", "osap", "ctc", "cost")
COST_BUCKETS = (0, 500, 1000, 2500, 5000)  # CAD; the last bucket is open-ended
COST_KEYS = (*tuple(f"{a}-{b}" for a, b in pairwise(COST_BUCKETS)), f"{COST_BUCKETS[-1]}+")


class Sort(StrEnum):
    RELEVANCE = "relevance"
    COST = "cost"
    DURATION = "duration"
    START = "start"


@dataclass(frozen=True)
class Filters:
    """Every filter must hold; several values of one filter are alternatives."""

    places: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()  # organization slugs
    provider_kinds: tuple[str, ...] = ()
    nocs: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()  # OaSIS codes or ESCO URIs
    cost_min: float | None = None  # CAD
    cost_max: float | None = None
    hours_min: float | None = None
    hours_max: float | None = None
    weeks_max: float | None = None
    starts_after: date | None = None  # has an intake on or after this date
    osap: bool | None = None
    ctc: bool | None = None

    def keywords(self) -> dict[str, tuple[str, ...]]:
        """Exact-match filters by indexed field (``SearchDocument.keywords`` names them)."""
        return {
            "places": self.places,
            "mode": self.modes,
            "languages": self.languages,
            "kind": self.kinds,
            "provider": self.providers,
            "provider_kind": self.provider_kinds,
            "nocs": self.nocs,
            "skills": self.skills,
        }

    def check(self) -> Filters:
        """Raise InvalidInput naming every unknown value or impossible range."""
        problems = []
        allowed = {
            "province": (self.places, PLACES),
            "mode": (self.modes, MODES),
            "kind": (self.kinds, KINDS),
            "provider_kind": (self.provider_kinds, PROVIDER_KINDS),
        }
        for name, (values, known) in allowed.items():
            for value in values:
                if value not in known:
                    choices = ", ".join(sorted(known))
                    problems.append(Problem(name, f"unknown value {value!r}; use one of {choices}"))
        for value in self.languages:
            if len(value) != 2 or not value.isalpha():
                problems.append(Problem("language", f"{value!r} is not a two-letter code"))
        for value in self.nocs:
            if len(value) != 5 or not value.isdigit():
                problems.append(Problem("noc", f"{value!r} is not a NOC 2021 unit group code"))
        for low, high, name in (
            (self.cost_min, self.cost_max, "cost"),
            (self.hours_min, self.hours_max, "hours"),
        ):
            if (low is not None and low < 0) or (high is not None and high < 0):
                problems.append(Problem(name, "must not be negative"))
            elif low is not None and high is not None and low > high:
                problems.append(Problem(name, f"the minimum {low:g} is above the maximum {high:g}"))
        if self.weeks_max is not None and self.weeks_max <= 0:
            problems.append(Problem("weeks_max", "must be positive"))
        if problems:
            raise InvalidInput("invalid search filters", problems)
        return self


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    per_page: int = 20
    facets: bool = True

    def check(self) -> SearchRequest:
        problems = []
        if len(self.text) > MAX_QUERY:
            message = f"is {len(self.text):,} characters long; the limit is {MAX_QUERY:,}"
            problems.append(Problem("q", message))
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            problems.append(Problem("per_page", f"must be between 1 and {MAX_PER_PAGE}"))
        if self.page < 1:
            problems.append(Problem("page", "must be 1 or more"))
        elif self.page * self.per_page > MAX_DEPTH:
            message = f"goes beyond the first {MAX_DEPTH:,} results; narrow the search instead"
            problems.append(Problem("page", message))
        if problems:
            raise InvalidInput("invalid search", problems)
        self.filters.check()
        return self

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


class Hit(NamedTuple):
    """One result, with what the page shows without reading the store again (a named tuple:
    a page builds twenty, and a frozen dataclass takes several times as long to build)."""

    id: int
    score: float
    title_en: str | None
    title_fr: str | None
    provider: str
    cost_cents: int
    hours: float
    weeks: float | None
    mode: str
    places: tuple[str, ...]
    languages: tuple[str, ...]
    first_start: date | None
    matched_terms: tuple[str, ...] = ()  # query words found in the title
    matched_skills: tuple[str, ...] = ()  # skill or occupation labels the query named

    def title(self, lang: str) -> str:
        if lang == "fr":
            return self.title_fr or self.title_en or ""
        return self.title_en or self.title_fr or ""


# What an engine answers: one page of hits, the number of matches, and the facet counts.
Found = tuple[list[Hit], int, dict[str, dict[str, int]]]


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    request: SearchRequest
    fuzzy: bool = False  # no exact match: these results allow one typo per word
    related: Related | None = None  # the occupation the query named, when read

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_DEPTH) // self.request.per_page))
