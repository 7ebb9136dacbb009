"""Which listings a person could take, and — when too few — which constraint to relax.

Every constraint is a boolean mask over the catalogue index, so each one's effect can be
told apart: a listing is eligible when it passes all of them, and a constraint is worth
relaxing when the listings that fail only that one would teach what is missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from microcred.planner.index import MODES, ONLINE, PROVINCES, CatalogIndex
from microcred.planner.model import LearnerProfile, Relaxation

HORIZON_YEARS = 3  # without a finish date, intakes this far ahead count


@dataclass
class Window:
    """The person's study window and weekly hours."""

    start: date
    finish: date | None
    hours_per_week: float

    @property
    def weeks(self) -> float | None:
        return None if self.finish is None else ((self.finish - self.start).days + 1) / 7


def durations(index: CatalogIndex, hours_per_week: float) -> np.ndarray:
    """Weeks each listing takes this person (see ``schedule.duration_weeks``)."""
    stated = np.where(np.isnan(index.weeks), 0, np.ceil(index.weeks - 1e-6))
    needed = np.ceil(index.hours / hours_per_week - 1e-6)
    fixed = np.array([bool(g) for g in index.start_groups], dtype=bool)[index.start_group]
    return np.maximum(1, np.where(fixed & (stated > 0), stated, np.maximum(stated, needed)))


def next_intake(index: CatalogIndex, start: date) -> np.ndarray:
    """Ordinal of each listing's first possible start on or after ``start`` (-1: none left)."""
    per_group = np.array(
        [
            next((d.toordinal() for d in group if d >= start), -1) if group else start.toordinal()
            for group in index.start_groups
        ],
        dtype=np.int64,
    )
    found: np.ndarray = per_group[index.start_group]
    return found


def masks(index: CatalogIndex, profile: LearnerProfile, window: Window) -> dict[str, np.ndarray]:
    """One mask per constraint (True: the listing satisfies it)."""
    out: dict[str, np.ndarray] = {}
    if profile.province is not None:
        here = PROVINCES.index(profile.province.value)
        out["province"] = (index.province == here) | np.isin(index.mode, ONLINE)
    out["languages"] = (index.languages & np.uint64(index.language_mask(profile.languages))) > 0
    out["modes"] = np.isin(index.mode, [MODES.index(m.value) for m in profile.modes])
    if profile.budget is not None:
        out["budget"] = index.cost_cents <= int(profile.budget * 100)
    if profile.held:
        out["held"] = ~np.isin(index.ids, profile.held)
    weeks = durations(index, window.hours_per_week)
    out["hours"] = index.hours / weeks <= window.hours_per_week + 1e-6
    starts = next_intake(index, window.start)
    horizon = window.finish or window.start + timedelta(days=365 * HORIZON_YEARS)
    finishes = starts + weeks * 7 - 1
    out["dates"] = (starts >= 0) & (finishes <= horizon.toordinal())
    return out


def eligible(found: dict[str, np.ndarray], teaches: np.ndarray) -> np.ndarray:
    """Listings that teach something missing and pass every constraint."""
    result = teaches.copy()
    for mask in found.values():
        result &= mask
    return result


def relaxations(
    index: CatalogIndex,
    found: dict[str, np.ndarray],
    teaches: np.ndarray,
    window: Window,
    profile: LearnerProfile,
) -> list[Relaxation]:
    """For each constraint that alone keeps listings out, what relaxing it would open up."""
    if not teaches.any():
        return [Relaxation("catalogue", 0, None)]
    out = []
    for name, mask in found.items():
        others = teaches.copy()
        for other, m in found.items():
            if other != name:
                others &= m
        opened = others & ~mask
        if opened.any():
            out.append(_advice(name, int(opened.sum()), opened, index, window, profile))
    return out


def _advice(
    name: str,
    count: int,
    opened: np.ndarray,
    index: CatalogIndex,
    window: Window,
    profile: LearnerProfile,
) -> Relaxation:
    if name == "budget":
        cheapest = int(index.cost_cents[opened].min()) / 100
        return Relaxation(name, count, f"{math.ceil(cheapest)}")
    weeks = durations(index, window.hours_per_week)
    if name == "hours":
        load = index.hours / weeks
        return Relaxation(name, count, f"{math.ceil(float(load[opened].min()))}")
    if name == "dates":
        starts = next_intake(index, window.start)
        possible = (starts + weeks * 7 - 1)[opened & (starts >= 0)]
        if possible.size:
            return Relaxation(name, count, date.fromordinal(int(possible.min())).isoformat())
    return Relaxation(name, count, None)
