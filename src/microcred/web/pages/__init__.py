"""Server-rendered pages (work without JavaScript)."""

from fastapi import APIRouter

from microcred.web.pages import (
    auth,
    credentials,
    dashboard,
    explore,
    plans,
    public,
    reference,
    search,
)

router = APIRouter(include_in_schema=False)
router.include_router(public.router)
router.include_router(auth.router)
router.include_router(dashboard.router)
router.include_router(reference.router)
router.include_router(explore.router)
router.include_router(search.router)
router.include_router(plans.router)
router.include_router(credentials.router)
