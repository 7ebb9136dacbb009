"""The listing editor form: the same field names and rules as the CSV template."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import FormData

from microcred.domain.listing import ListingData
from microcred.errors import Problem
from microcred.formats import csv_template
from microcred.web import labels
from microcred.web.render import translate

# Fields edited one value per line in a textarea (stored '|'-separated like CSV cells).
LINE_FIELDS = ("learning_outcomes", "skills", "start_dates", "stacks_into", "industry_partners")
CHECKBOXES = ("osap_eligible", "ctc_eligible", "assessment_summative")


def form_to_cells(form: FormData) -> dict[str, str]:
    """Turn submitted form fields into template cells."""
    cells: dict[str, str] = {}
    for column in csv_template.LISTING_COLUMNS:
        value = str(form.get(column) or "")
        if column in LINE_FIELDS:
            value = "|".join(line.strip() for line in value.splitlines() if line.strip())
        elif column == "target_nocs":
            value = "|".join(value.replace(",", " ").split())
        elif column in CHECKBOXES:
            value = "true" if form.get(column) else "false"
        cells[column] = value
    chosen = [str(v) for v in form.getlist("languages") if v]
    chosen += str(form.get("languages_other") or "").replace(",", " ").split()
    cells["languages"] = "|".join(chosen)
    return cells


def cells_to_form(cells: Mapping[str, str]) -> dict[str, str]:
    """Template cells as form field values (textareas get one value per line)."""
    values = dict(cells)
    for column in LINE_FIELDS:
        values[column] = "\n".join(
            v.strip() for v in values.get(column, "").split("|") if v.strip()
        )
    values["target_nocs"] = ", ".join(v for v in values.get("target_nocs", "").split("|") if v)
    languages = [v.strip() for v in values.get("languages", "").split("|") if v.strip()]
    values["languages"] = "|".join(languages)
    values["languages_other"] = ", ".join(v for v in languages if v not in ("en", "fr"))
    return values


def parse(form: FormData) -> tuple[ListingData | None, dict[str, str], list[Problem]]:
    """Validate a submitted editor form: (listing or None, values to redisplay, problems)."""
    cells = form_to_cells(form)
    outcome = csv_template.listing_from_cells(cells)
    values = cells_to_form(cells)
    if isinstance(outcome, list):
        return None, values, outcome
    return outcome, values, []


def describe(problem: Problem, language: str) -> str:
    """A problem in the viewer's language (known codes are translated; details kept)."""
    template = labels.PROBLEMS.get(problem.code)
    if template is None:
        return problem.message
    return translate(language, template, detail=problem.message)


def field_errors(problems: list[Problem], language: str) -> dict[str, str]:
    """field name → message (first problem per field)."""
    errors: dict[str, str] = {}
    for problem in problems:
        errors.setdefault(problem.location, describe(problem, language))
    return errors
