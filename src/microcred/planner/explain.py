"""Plain-language explanations of a plan's relaxations and notes, in the reader's language.

``gettext`` is the caller's translation function (the web passes the request's catalogue,
the CLI the identity), so the strings below are in the translation catalogues.
"""

from __future__ import annotations

from collections.abc import Callable

from microcred.planner.model import Relaxation

Translate = Callable[[str], str]


def relaxation(r: Relaxation, _: Translate) -> str:
    """One sentence: what keeps listings out, and what would let them in."""
    count = r.count
    if r.constraint == "catalogue":
        return _("No listing in the catalogue teaches the skills this move needs.")
    if r.constraint == "budget":
        return _("A budget of ${value} would let in {count} more listings.").format(
            value=r.value, count=count
        )
    if r.constraint == "hours":
        return _("{value} hours a week would let in {count} more listings.").format(
            value=r.value, count=count
        )
    if r.constraint == "dates" and r.value:
        return _("A finish date of {value} would let in {count} more listings.").format(
            value=r.value, count=count
        )
    texts = {
        "dates": _("{count} more listings have no intake left in your dates."),
        "province": _("{count} more listings are offered in person in other provinces."),
        "languages": _("{count} more listings are taught in other languages."),
        "modes": _("{count} more listings use other delivery modes."),
        "held": _("{count} listings are credentials you already hold."),
    }
    return texts.get(r.constraint, r.constraint).format(count=count)


def note(code: str, _: Translate) -> str:
    """A plan note by its code."""
    texts = {
        "no_gap": _("You already meet every skill this occupation's profile asks for."),
        "time_limit": _(
            "The solver stopped at its time limit: this is the best plan found, "
            "not proven the best."
        ),
        "overrun": _("Some listings could not be scheduled before your finish date."),
        "partial": _("The plan closes only part of the gap; see what to relax below."),
        "estimated_ctc": _(
            "The Canada Training Credit limit is estimated; your notice of assessment "
            "gives the exact figure."
        ),
        "ctc_unknown": _(
            "Give your year of birth or the Canada Training Credit limit on your notice of "
            "assessment to see the credit."
        ),
        "shared_costs": _(
            "Tax credits depend on the learner's own situation and are not shown on a shared plan."
        ),
        "non_refundable": _(
            "The tuition tax credit is non-refundable: it is worth this much only if you "
            "owe at least as much federal tax."
        ),
    }
    return texts.get(code, code)
