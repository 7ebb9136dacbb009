"""Occupation and skill pages, from the official reference data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from microcred.errors import MicrocredError, NotFound
from microcred.web.render import render
from microcred.web.security import Viewer, microcred, viewer

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(viewer)]


@router.get("/occupations", response_class=HTMLResponse)
def occupations(
    request: Request, who: ViewerDep, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """Find an occupation by job title or NOC code."""
    matches, problem = [], None
    if q.strip():
        try:
            matches = microcred(request).reference.find_occupations(q, limit=20)
        except MicrocredError as error:
            problem = error.message
    return render(request, who, "occupations.html", q=q, matches=matches, problem=problem)


@router.get("/occupations/{code}", response_class=HTMLResponse)
def occupation(request: Request, who: ViewerDep, code: str) -> Response:
    """A NOC 2021 group: definition, titles, duties, skill profile, outlook, counterparts."""
    mc = microcred(request)
    found = mc.reference.occupation(code)
    if found.scheme != "noc":
        raise NotFound(f"no NOC 2021 group {code}")
    profile, outlook, counterparts, listings = {}, None, [], []
    if found.level == 5:
        profile = mc.reference.profile(found.code, top=8)
        try:
            outlook = mc.reference.outlook(found.code)
        except NotFound:
            outlook = None
        counterparts = mc.reference.counterparts(found.code)
        listings = mc.catalog.listings_for_occupation(found.code, limit=6)
    return render(
        request,
        who,
        "occupation.html",
        occupation=found,
        profile=profile,
        outlook=outlook,
        counterparts=counterparts,
        listings=listings,
    )


@router.get("/skills/{code:path}", response_class=HTMLResponse)
def skill(request: Request, who: ViewerDep, code: str) -> Response:
    """A skill (OaSIS descriptor, ESCO skill, O*NET skill) and the occupations needing it most."""
    mc = microcred(request)
    found = mc.reference.skill(code)
    needing = mc.reference.occupations_for_skill(found.code, limit=15)
    return render(request, who, "skill.html", skill=found, needing=needing)
