"""Catalogue search over HTTP: one page of results with facet counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from microcred.search.model import Hit, SearchPage
from microcred.search.params import from_params
from microcred.web.api.deps import MicrocredDep

router = APIRouter(tags=["search"])


def hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title_en": hit.title_en,
        "title_fr": hit.title_fr,
        "provider": hit.provider,
        "cost_cad": hit.cost_cents / 100,
        "hours": hit.hours,
        "weeks": hit.weeks,
        "delivery_mode": hit.mode,
        "places": list(hit.places),
        "languages": list(hit.languages),
        "first_start": hit.first_start.isoformat() if hit.first_start else None,
        "score": round(hit.score, 4),
        "matched_terms": list(hit.matched_terms),
        "matched_skills": list(hit.matched_skills),
        "href": f"/listings/{hit.id}",
    }


def page_json(page: SearchPage) -> dict[str, Any]:
    return {
        "total": page.total,
        "page": page.request.page,
        "per_page": page.request.per_page,
        "pages": page.pages,
        "fuzzy": page.fuzzy,
        "occupations": [
            {"scheme": o.scheme, "id": o.code, "label": o.label_en, "label_fr": o.label_fr}
            for o in (page.related.occupations if page.related else ())
        ],
        "results": [hit_json(h) for h in page.hits],
        "facets": page.facets,
    }


@router.get("/search")
async def search(mc: MicrocredDep, request: Request) -> JSONResponse:
    """Search active listings.

    Parameters (repeat a filter for alternatives): `q` — words (all must match), `"a
    phrase"`, `prefix*`, `-excluded`; `province` (AB…YT or `online`), `mode`, `language`,
    `kind`, `provider` (slug), `provider_kind`, `noc`, `skill` (OaSIS code or ESCO URI),
    `cost_min`, `cost_max` (CAD), `hours_min`, `hours_max`, `weeks_max`, `starts_after`
    (YYYY-MM-DD), `osap`, `ctc` (true/false); `sort` = relevance|cost|duration|start;
    `page`, `per_page` (≤ 50; at most the first 10,000 results). An empty `q` browses
    everything. `fuzzy` is true when no exact match was found and one typo per word was
    allowed. `occupations` lists the occupations the query was read as naming ("become a
    nurse", or a short query whose words found less than a page): listings teaching their
    skills or aiming at them are blended in, and `matched_skills` says which. Facet counts
    are for the query with all its filters."""
    # A plain JSONResponse skips FastAPI's generic encoder: the body is plain JSON types.
    # ``async`` on purpose: the search is short CPU work, cheaper run in the event loop
    # than handed to the thread pool (about +20% searches per second measured).
    found = mc.search.query(from_params(request.query_params.multi_items()))
    return JSONResponse(page_json(found))
