"""A search request from URL query parameters (the API and the search page share it).

    q=cyber&province=ON&province=online&mode=online_async&cost_max=1000&sort=cost&page=2

Repeated parameters are alternatives; unknown parameters are ignored (links stay valid when
filters are renamed); bad values are reported by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from microcred.errors import InvalidInput, Problem
from microcred.search.model import Filters, SearchRequest, Sort

T = TypeVar("T")
LISTS = {
    "province": "places",
    "mode": "modes",
    "language": "languages",
    "kind": "kinds",
    "provider": "providers",
    "provider_kind": "provider_kinds",
    "noc": "nocs",
    "skill": "skills",
}
NUMBERS = ("cost_min", "cost_max", "hours_min", "hours_max", "weeks_max")
FLAGS = ("osap", "ctc")
# Friendlier spellings of delivery modes ("--mode online").
MODE_ALIASES = {
    "online": ("online_sync", "online_async"),
    "in-person": ("in_person",),
    "in_person": ("in_person",),
}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _flag(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(text)


def from_params(items: Iterable[tuple[str, str]]) -> SearchRequest:
    """Raises InvalidInput naming each parameter that cannot be read."""
    values: dict[str, list[str]] = {}
    for key, value in items:
        if value.strip():
            values.setdefault(key, []).append(value.strip())
    problems: list[Problem] = []

    def one(name: str, parse: Callable[[str], T], what: str) -> T | None:
        if name not in values:
            return None
        try:
            return parse(values[name][-1])
        except ValueError:
            problems.append(Problem(name, f"{values[name][-1]!r} is not {what}"))
            return None

    filters: dict[str, Any] = {
        field: tuple(dict.fromkeys(values.get(name, ()))) for name, field in LISTS.items()
    }
    filters["modes"] = tuple(
        dict.fromkeys(m for v in values.get("mode", ()) for m in MODE_ALIASES.get(v, (v,)))
    )
    for name in NUMBERS:
        filters[name] = one(name, float, "a number")
    for name in FLAGS:
        filters[name] = one(name, _flag, "true or false")
    filters["starts_after"] = one("starts_after", date.fromisoformat, "a date (YYYY-MM-DD)")
    sort = one("sort", Sort, "one of " + ", ".join(s.value for s in Sort))
    page = one("page", int, "a whole number")
    per_page = one("per_page", int, "a whole number")
    if problems:
        raise InvalidInput("invalid search parameters", problems)
    return SearchRequest(
        text=values.get("q", [""])[-1],
        filters=Filters(**filters),
        sort=sort or Sort.RELEVANCE,
        page=page or 1,
        per_page=per_page or 20,
    ).check()
