"""JSON API under /api/v1 (OpenAPI document at /api/v1/openapi.json)."""

from fastapi import APIRouter

from microcred.web.api import catalog, plans, reference, search, skills, system, vcapi

router = APIRouter()
router.include_router(search.router)  # first: the busiest route, matched before the others
router.include_router(system.router)
router.include_router(catalog.router)
router.include_router(plans.router)
router.include_router(vcapi.router)
router.include_router(skills.router)  # before reference: /occupations/{code:path}
router.include_router(reference.router)
