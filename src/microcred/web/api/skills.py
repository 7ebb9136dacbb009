"""The skills engine over HTTP: title → occupations, text → skills, similarity, gaps.

These compute answers and write nothing, so they need no account; POST carries text too
long for a URL.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from microcred.skills.text import MAX_TEXT
from microcred.web.api.deps import MicrocredDep

router = APIRouter(tags=["skills engine"])
Top = Annotated[int, Query(ge=1, le=100)]


class ExtractRequest(BaseModel):
    text: str = Field(max_length=MAX_TEXT, description="A sentence, course, job ad or résumé.")
    taxonomy: Literal["esco", "oasis"] = "esco"
    top: int = Field(default=10, ge=1, le=200)


class GapRequest(BaseModel):
    target: str = Field(min_length=4, max_length=5, description="NOC 2021 unit group.")
    current: str | None = Field(default=None, max_length=200, description="NOC code or title.")
    skills: dict[str, float] = Field(
        default_factory=dict, max_length=500, description="OaSIS code → level 0-5, or ESCO URI."
    )
    text: str | None = Field(default=None, max_length=MAX_TEXT, description="Résumé text.")
    top: int = Field(default=25, ge=1, le=200)


@router.get("/occupations/match")
def match_occupations(
    mc: MicrocredDep,
    title: Annotated[str, Query(min_length=1, max_length=200)],
    taxonomy: Literal["noc", "esco"] = "noc",
    top: Top = 10,
) -> list[dict[str, Any]]:
    """Occupations for a free-text job title (EN/FR), best first: id, label, score 0-1.
    An empty list means no confident match."""
    found = mc.skills.match_occupation(title, taxonomy=taxonomy, top=top)
    return [{**m.as_json(), "label_fr": m.label_fr} for m in found]


@router.get("/occupations/{code}/similar")
def similar_occupations(mc: MicrocredDep, code: str, top: Top = 10) -> list[dict[str, Any]]:
    """Unit groups closest in skills (OaSIS ratings, ESCO skills), best first."""
    return [{**m.as_json(), "label_fr": m.label_fr} for m in mc.skills.similar(code, top=top)]


@router.post("/skills/extract")
def extract_skills(mc: MicrocredDep, body: ExtractRequest) -> dict[str, Any]:
    """Skills a text names or implies, best first, with the sentences that gave each."""
    found = mc.skills.extract(body.text, taxonomy=body.taxonomy, top=body.top)
    return {
        "sentences": found.sentences,
        "skills": [
            {**m.as_json(), "label_fr": m.label_fr, "evidence": found.evidence.get(m.id, [])}
            for m in found.skills
        ],
    }


@router.post("/gap")
def skills_gap(mc: MicrocredDep, body: GapRequest) -> dict[str, Any]:
    """Missing and under-level skills between a person and a target unit group,
    heaviest first, each with its weight and the source that says so."""
    report = mc.skills.gap(body.target, current=body.current, skills=body.skills, text=body.text)
    return {
        "target": report.target,
        "current": report.current,
        "gap": [vars(i) for i in report.items[: body.top]],
        "skills_read": [m.as_json() for m in report.skills_read],
    }
