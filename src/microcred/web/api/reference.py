"""Reference data: occupations (NOC 2021 + OaSIS, COPS, ESCO, O*NET) and skills. Read-only."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from microcred.reference.loader import status
from microcred.web.api.deps import MicrocredDep

router = APIRouter(tags=["reference data"])
Search = Annotated[
    str, Query(min_length=1, max_length=200, description="A code or words (English or French).")
]
Limit = Annotated[int, Query(ge=1, le=50)]


@router.get("/reference/status")
def reference_status(mc: MicrocredDep) -> list[dict[str, Any]]:
    """Loaded datasets: versions, row counts, load times."""
    return [{k: v for k, v in e.items() if k != "source"} for e in status(mc.store)]


@router.get("/occupations")
def find_occupations(mc: MicrocredDep, q: Search, limit: Limit = 10) -> list[dict[str, Any]]:
    """NOC 2021 unit groups by code or title (EN/FR; accents and case ignored)."""
    return [asdict(m) for m in mc.reference.find_occupations(q, limit=limit)]


@router.get("/occupations/{code}/profile")
def occupation_profile(mc: MicrocredDep, code: str, top: Limit = 10) -> dict[str, Any]:
    """Top OaSIS skills, abilities, knowledge… of a unit group, with scores 0-5."""
    return {k: [asdict(r) for r in v] for k, v in mc.reference.profile(code, top=top).items()}


@router.get("/occupations/{code}/outlook")
def occupation_outlook(mc: MicrocredDep, code: str) -> dict[str, Any]:
    """COPS 2024-2033 projections and labour-market conditions of a unit group."""
    return mc.reference.outlook(code)


@router.get("/occupations/{code}/counterparts")
def occupation_counterparts(mc: MicrocredDep, code: str) -> list[dict[str, Any]]:
    """O*NET, ESCO and ISCO counterparts of a unit group, with path and confidence."""
    return mc.reference.counterparts(code)


@router.get("/occupations/{code:path}")
def get_occupation(mc: MicrocredDep, code: str) -> dict[str, Any]:
    """An occupation by NOC code (any level), OaSIS profile, ESCO URI or O*NET-SOC code."""
    return asdict(mc.reference.occupation(code))


@router.get("/skills")
def find_skills(mc: MicrocredDep, q: Search, limit: Limit = 10) -> list[dict[str, Any]]:
    """Skills by OaSIS code, ESCO URI, O*NET id or label (EN/FR)."""
    return [
        {"code": r.code, "label_en": r.label_en, "label_fr": r.label_fr, "how": r.detail}
        for r in mc.reference.find_skills(q, limit=limit)
    ]


@router.get("/skills/{code:path}")
def get_skill(mc: MicrocredDep, code: str, limit: Limit = 20) -> dict[str, Any]:
    """A skill and the occupations that need it most."""
    skill = mc.reference.skill(code)
    occupations = mc.reference.occupations_for_skill(skill.code, limit=limit)
    return {**asdict(skill), "occupations": [asdict(r) for r in occupations]}
