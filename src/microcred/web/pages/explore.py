"""“What does my job or résumé say?”: a job title or pasted text → occupations and skills."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from microcred.errors import MicrocredError
from microcred.skills.text import MAX_TEXT, MAX_TITLE
from microcred.web.render import render
from microcred.web.security import Viewer, check_csrf, microcred, viewer

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(viewer)]


@router.get("/explore", response_class=HTMLResponse)
def explore_form(request: Request, who: ViewerDep) -> Response:
    """The empty form."""
    return render(request, who, "explore.html", text="", result=None, problem=None)


@router.post("/explore", response_class=HTMLResponse)
def explore(
    request: Request,
    who: ViewerDep,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Short text is read as a job title (→ occupations); any text is read for skills."""
    check_csrf(request, csrf_token)
    mc = microcred(request)
    result: dict[str, object] | None = None
    problem = None
    try:
        occupations = []
        if len(text.strip()) <= MAX_TITLE and "\n" not in text.strip():
            occupations = mc.skills.match_occupation(text, top=5)
        result = {
            "occupations": occupations,
            "esco": mc.skills.extract(text, taxonomy="esco", top=15).skills,
            "oasis": mc.skills.extract(text, taxonomy="oasis", top=10).skills,
        }
    except MicrocredError as error:
        problem = error.message
    return render(request, who, "explore.html", text=text, result=result, problem=problem)
