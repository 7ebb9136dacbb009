"""The search page (a GET form: every result page is a shareable link, no JavaScript
needed) and side-by-side comparison of up to four listings."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from microcred.domain.listing import Listing
from microcred.errors import InvalidInput, NotFound
from microcred.search.model import ONLINE, SearchPage, Sort
from microcred.search.params import from_params
from microcred.web import labels
from microcred.web.i18n import N_
from microcred.web.render import render
from microcred.web.security import Viewer, microcred, viewer

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(viewer)]
MAX_COMPARE = 4
SORTS = {
    Sort.RELEVANCE: N_("Best match"),
    Sort.COST: N_("Lowest cost"),
    Sort.DURATION: N_("Fewest hours"),
    Sort.START: N_("Soonest start"),
}
# Framework elements a comparison shows as present or missing (CICan, eCampusOntario, EU).
ELEMENTS = {
    "learning_outcomes": N_("Learning outcomes"),
    "credits": N_("Credits"),
    "stacks_into": N_("Stacks into a larger credential"),
    "prerequisites": N_("Prerequisites stated"),
    "quality_assurance": N_("Quality assurance"),
    "industry_partners": N_("Industry partners"),
}


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, who: ViewerDep) -> Response:
    """Results with facet counts; bad parameters are explained, not a crash."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    page: SearchPage | None = None
    problems = []
    try:
        page = microcred(request).search.query(from_params(request.query_params.multi_items()))
    except InvalidInput as error:
        problems = error.problems
    chosen: dict[str, set[str]] = {}
    for key, value in items:
        chosen.setdefault(key, set()).add(value)
    return render(
        request,
        who,
        "search.html",
        status=422 if problems else 200,
        page=page,
        problems=problems,
        q=request.query_params.get("q", ""),
        chosen=chosen,
        value=lambda name: request.query_params.get(name, ""),
        base="/search?" + (urlencode(items) + "&" if items else ""),
        sorts=SORTS,
        online=ONLINE,
        places={ONLINE: N_("Online, anywhere in Canada"), **labels.PROVINCES},
        max_compare=MAX_COMPARE,
    )


@router.get("/compare", response_class=HTMLResponse)
def compare(
    request: Request,
    who: ViewerDep,
    listing_ids: Annotated[list[int], Query(alias="id", max_length=50)] = [],  # noqa: B006
) -> Response:
    """Up to four listings side by side."""
    ids = list(dict.fromkeys(listing_ids))
    catalog = microcred(request).catalog
    problem = None
    if len(ids) > MAX_COMPARE:
        problem = N_("Pick at most four listings to compare.")
        ids = ids[:MAX_COMPARE]
    listings: list[Listing] = []
    for listing_id in ids:
        try:
            listings.append(catalog.listing(listing_id))
        except NotFound:
            continue
    providers = {o: catalog.organization(o) for o in {x.organization_id for x in listings}}
    return render(
        request,
        who,
        "compare.html",
        status=200 if listings else 404 if ids else 200,
        listings=listings,
        providers=providers,
        elements=ELEMENTS,
        problem=problem,
    )
