"""Putting chosen listings on a dated timeline.

Each listing runs for its stated weeks (self-paced ones: as long as the person's weekly
hours need) at an even weekly load of hours ÷ weeks. A listing with intakes starts on one
of them; a self-paced one on any Monday. Listings are placed one by one — prerequisites
first, then by earliest possible start — each at the earliest start where the weekly
load, added to what is already planned, stays within the person's hours per week.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

HORIZON_WEEKS = 5 * 52
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Course:
    """What scheduling needs of one listing."""

    hours: float
    weeks: float | None
    intakes: tuple[date, ...]
    requires: tuple[int, ...] = ()  # indices of courses that must finish first


@dataclass(frozen=True)
class Slot:
    start: date
    finish: date
    fixed: bool  # starts on a provider's intake date


def duration_weeks(course: Course, hours_per_week: float) -> int:
    """Weeks the course takes for this person."""
    stated = math.ceil(course.weeks - TOLERANCE) if course.weeks else 0
    needed = math.ceil(course.hours / hours_per_week - TOLERANCE)
    if course.intakes and stated:
        return max(1, stated)
    return max(1, stated, needed)


def fits(course: Course, hours_per_week: float) -> bool:
    """Whether the course's weekly load is within the person's hours at all."""
    return course.hours / duration_weeks(course, hours_per_week) <= hours_per_week + TOLERANCE


def _week(day: date, base: date) -> int:
    return max(0, (day - base).days // 7)


def schedule(courses: list[Course], *, hours_per_week: float, start: date) -> list[Slot | None]:
    """A slot for each course (``None`` when it cannot be placed within five years)."""
    load = np.zeros(HORIZON_WEEKS + 60)
    base = start - timedelta(days=start.weekday())  # the Monday of the first week
    slots: list[Slot | None] = [None] * len(courses)
    for i in _order(courses, start):
        course = courses[i]
        weeks = duration_weeks(course, hours_per_week)
        weekly = course.hours / weeks
        ready = start
        for j in course.requires:
            before = slots[j]
            if before is None:
                ready = date.max
                break
            ready = max(ready, before.finish + timedelta(days=1))
        if ready == date.max:
            continue
        for day, fixed in _options(course, ready, base):
            w = _week(day, base)
            if w + weeks > len(load):
                break
            if np.all(load[w : w + weeks] + weekly <= hours_per_week + TOLERANCE):
                load[w : w + weeks] += weekly
                slots[i] = Slot(day, day + timedelta(weeks=weeks, days=-1), fixed)
                break
    return slots


def _options(course: Course, ready: date, base: date) -> list[tuple[date, bool]]:
    if course.intakes:
        return [(d, True) for d in course.intakes if d >= ready]
    # Self-paced: from the day it can start, then each following Monday.
    mondays = range(_week(ready, base) + 1, HORIZON_WEEKS)
    return [(ready, False)] + [(base + timedelta(weeks=w), False) for w in mondays]


def _order(courses: list[Course], start: date) -> list[int]:
    """Prerequisites first; then by earliest possible start, heavier loads first."""
    depth: dict[int, int] = {}

    def level(i: int, seen: frozenset[int]) -> int:
        if i not in depth:
            parents = [j for j in courses[i].requires if j not in seen]
            depth[i] = 1 + max((level(j, seen | {i}) for j in parents), default=-1)
        return depth[i]

    def first_start(i: int) -> date:
        later = [d for d in courses[i].intakes if d >= start]
        return later[0] if later else (start if not courses[i].intakes else date.max)

    return sorted(
        range(len(courses)),
        key=lambda i: (level(i, frozenset()), first_start(i), -courses[i].hours),
    )
