"""Dated timelines: intakes, weekly hours, prerequisites, self-paced listings."""

from __future__ import annotations

from datetime import date

from microcred.planner.schedule import Course, duration_weeks, fits, schedule

START = date(2027, 1, 4)  # a Monday


def test_a_listing_with_intakes_starts_on_the_first_one_left() -> None:
    course = Course(30, 6, (date(2026, 9, 7), date(2027, 1, 11), date(2027, 3, 1)))
    (slot,) = schedule([course], hours_per_week=8, start=START)
    assert slot is not None and slot.fixed
    assert (slot.start, slot.finish) == (date(2027, 1, 11), date(2027, 2, 21))


def test_weekly_hours_push_a_second_listing_to_its_next_intake() -> None:
    a = Course(30, 6, (date(2027, 1, 11),))  # 5 h a week
    b = Course(24, 6, (date(2027, 1, 11), date(2027, 3, 1)))  # 4 h a week
    first, second = schedule([a, b], hours_per_week=8, start=START)
    assert first is not None and second is not None
    assert first.start == date(2027, 1, 11) and second.start == date(2027, 3, 1)
    both = schedule([a, b], hours_per_week=10, start=START)
    assert all(s is not None and s.start == date(2027, 1, 11) for s in both)


def test_self_paced_listings_stretch_to_the_hours_available() -> None:
    course = Course(40, None, ())
    assert duration_weeks(course, 5) == 8
    (slot,) = schedule([course], hours_per_week=5, start=date(2027, 1, 6))
    assert slot is not None and not slot.fixed
    assert slot.start == date(2027, 1, 6) and slot.finish == date(2027, 3, 2)


def test_prerequisites_finish_first() -> None:
    base = Course(20, 4, (date(2027, 1, 11), date(2027, 5, 3)))
    after = Course(20, 4, (date(2027, 1, 11), date(2027, 5, 3)), requires=(0,))
    first, second = schedule([base, after], hours_per_week=20, start=START)
    assert first is not None and second is not None
    assert second.start > first.finish


def test_a_fixed_intake_too_intense_for_the_person_does_not_fit() -> None:
    assert not fits(Course(60, 2, (date(2027, 1, 11),)), 8)
    assert fits(Course(60, None, ()), 8)
    (slot,) = schedule([Course(60, 2, (date(2027, 1, 11),))], hours_per_week=8, start=START)
    assert slot is None
