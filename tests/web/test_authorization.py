"""Every write endpoint, in the API and the pages, refuses to change another organization's data.

The route inventory test fails when a new write route appears without a row in these tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from microcred import Microcred
from microcred.domain.listing import ListingData
from microcred.store import listings
from microcred.store.listings import NewListing
from microcred.web.app import create_app
from tests.conftest import listing_payload
from tests.formats.test_csv_template import HEADER, row
from tests.web.conftest import World, log_in

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC_WRITES = {
    ("POST", "/login"),
    ("POST", "/logout"),
    # Skills engine: POST carries long text; these compute and store nothing (tests/skills).
    ("POST", "/api/v1/skills/extract"),
    ("POST", "/api/v1/gap"),
    ("POST", "/explore"),
    # Planner: computes a plan from the posted profile, stores nothing.
    ("POST", "/api/v1/plans/compute"),
    ("POST", "/plan"),
    # Verifying a credential on the page computes a report and stores nothing.
    ("POST", "/verify"),
}
# Saved plans belong to one person, not an organization: only their owner may write them
# (tests/planner/test_web.py covers owners, other people, logged-out callers and CSRF).
OWNER_WRITES = {
    ("POST", "/api/v1/plans"),
    ("PUT", "/api/v1/plans/{plan_id}"),
    ("DELETE", "/api/v1/plans/{plan_id}"),
    ("POST", "/api/v1/plans/{plan_id}/share"),
    ("DELETE", "/api/v1/plans/{plan_id}/share"),
    ("POST", "/plans"),
    ("POST", "/plans/{plan_id}/{action}"),
}
# Credentials: verifying computes and stores nothing; issuing and status changes are scoped
# to the listing's provider (tests/credentials/test_api.py); learner records to the provider
# (tests/credentials/test_clr.py).
CREDENTIAL_WRITES = {
    (method, prefix + path)
    for prefix in ("", "/api/v1")
    for method, path in (
        ("POST", "/credentials/issue"),
        ("POST", "/credentials/verify"),
        ("POST", "/credentials/status"),
        ("POST", "/credentials/clr"),
        ("POST", "/presentations/verify"),
    )
}


def _other_listing(mc: Microcred, world: World) -> int:
    with mc.store.write() as conn:
        return listings.create(
            conn,
            NewListing.of(world.other.id, ListingData.model_validate(listing_payload()), "api"),
        ).id


Call = Callable[[TestClient, World, int, dict[str, str]], int]

# (method, route, call): each call tries to change `world.other`'s data.
API_WRITES: list[tuple[str, str, Call]] = [
    (
        "POST",
        "/api/v1/listings",
        lambda c, w, i, h: (
            c.post(
                "/api/v1/listings",
                json={"organization_id": w.other.id, "listing": listing_payload(external_id="N")},
                headers=h,
            ).status_code
        ),
    ),
    (
        "PUT",
        "/api/v1/listings/{listing_id}",
        lambda c, w, i, h: (
            c.put(f"/api/v1/listings/{i}", json=listing_payload(hours="99"), headers=h).status_code
        ),
    ),
    (
        "POST",
        "/api/v1/listings/{listing_id}/status",
        lambda c, w, i, h: (
            c.post(
                f"/api/v1/listings/{i}/status", json={"status": "archived"}, headers=h
            ).status_code
        ),
    ),
    (
        "POST",
        "/api/v1/organizations",
        lambda c, w, i, h: (
            c.post(
                "/api/v1/organizations",
                json={"name_en": "Sneaky College", "kind": "college"},
                headers=h,
            ).status_code
        ),
    ),
    (
        "PUT",
        "/api/v1/organizations/{organization_id}",
        lambda c, w, i, h: (
            c.put(
                f"/api/v1/organizations/{w.other.id}",
                json={"slug": w.other.slug, "name_en": "Renamed", "kind": "college"},
                headers=h,
            ).status_code
        ),
    ),
    ("POST", "/api/v1/import", lambda c, w, i, h: _import_status(c, w, h)),
]


def _import_status(client: TestClient, world: World, headers: dict[str, str]) -> int:
    text = HEADER + "\n" + row(provider_slug=world.other.slug, provider_name_en="Other College")
    response = client.post("/api/v1/import", content=text.encode(), headers=headers)
    if response.status_code == 200:  # rows outside the caller's scope are rejected, not written
        body = response.json()
        return 403 if body["inserted"] == 0 and body["rejected"][0]["code"] == "forbidden" else 200
    return response.status_code


def _page_form(listing_id: int) -> dict[str, str]:
    return {
        "title_en": "Hijacked",
        "hours": "10",
        "delivery_mode": "online_async",
        "languages": "en",
        "cost_cad": "1",
        "status": "active",
    }


PAGE_WRITES: list[tuple[str, str, Call]] = [
    (
        "POST",
        "/dashboard/listings/new",
        lambda c, w, i, h: (
            c.post(
                "/dashboard/listings/new",
                data={**_page_form(i), "organization_id": str(w.other.id), **h},
                follow_redirects=False,
            ).status_code
        ),
    ),
    (
        "POST",
        "/dashboard/listings/{listing_id}/edit",
        lambda c, w, i, h: (
            c.post(
                f"/dashboard/listings/{i}/edit", data={**_page_form(i), **h}, follow_redirects=False
            ).status_code
        ),
    ),
    (
        "POST",
        "/dashboard/listings/{listing_id}/status",
        lambda c, w, i, h: (
            c.post(
                f"/dashboard/listings/{i}/status",
                data={"status": "archived", **h},
                follow_redirects=False,
            ).status_code
        ),
    ),
]


def _walk(routes: list[object], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """Every route with its full path (FastAPI keeps included routers nested)."""
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from _walk(nested.routes, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route.methods


def test_every_write_route_is_covered(mc: Microcred) -> None:
    app = create_app(mc)
    routes = {
        (method, path) for path, methods in _walk(app.routes) for method in methods & WRITE_METHODS
    }
    covered = (
        {(m, p) for m, p, _ in API_WRITES + PAGE_WRITES}
        | PUBLIC_WRITES
        | OWNER_WRITES
        | CREDENTIAL_WRITES
    )
    assert routes == covered


@pytest.mark.parametrize(
    ("method", "path", "call"), API_WRITES, ids=[f"{m} {p}" for m, p, _ in API_WRITES]
)
@pytest.mark.parametrize("who", ["staff", "learner", None])
def test_api_writes_to_another_organization_are_refused(
    client: TestClient,
    mc: Microcred,
    world: World,
    who: str | None,
    method: str,
    path: str,
    call: Call,
) -> None:
    listing_id = _other_listing(mc, world)
    before = mc.catalog.listing(listing_id)
    headers = world.bearer(who) if who else {}
    status = call(client, world, listing_id, headers)
    assert status == (401 if who is None else 403)
    assert mc.catalog.listing(listing_id) == before
    assert mc.catalog.organization(world.other.id).name_en == "Other College"
    assert mc.catalog.organizations()[1] == 2


@pytest.mark.parametrize(
    ("method", "path", "call"), API_WRITES[:3], ids=[f"{m} {p}" for m, p, _ in API_WRITES[:3]]
)
def test_the_owning_staff_and_admins_may_write(
    client: TestClient, mc: Microcred, world: World, method: str, path: str, call: Call
) -> None:
    listing_id = _other_listing(mc, world)
    assert call(client, world, listing_id, world.bearer("other_staff")) in (200, 201)
    assert call(client, world, listing_id, world.bearer("admin")) in (200, 201, 422)


@pytest.mark.parametrize(
    ("method", "path", "call"), PAGE_WRITES, ids=[f"{m} {p}" for m, p, _ in PAGE_WRITES]
)
def test_page_writes_to_another_organization_are_refused(
    client: TestClient, mc: Microcred, world: World, method: str, path: str, call: Call
) -> None:
    listing_id = _other_listing(mc, world)
    before = mc.catalog.listing(listing_id)
    csrf = log_in(client, world.staff)
    assert call(client, world, listing_id, {"csrf_token": csrf}) == 403
    assert mc.catalog.listing(listing_id) == before
    assert mc.catalog.listings()[1] == 1


@pytest.mark.parametrize(
    ("method", "path", "call"), PAGE_WRITES, ids=[f"{m} {p}" for m, p, _ in PAGE_WRITES]
)
def test_page_writes_need_a_login(
    client: TestClient, mc: Microcred, world: World, method: str, path: str, call: Call
) -> None:
    listing_id = _other_listing(mc, world)
    client.get("/login")
    status = call(client, world, listing_id, {"csrf_token": client.cookies.get("mc_csrf") or ""})
    assert status == 303  # redirected to the login page
    assert mc.catalog.listings()[1] == 1


@pytest.mark.parametrize(
    ("method", "path", "call"), PAGE_WRITES, ids=[f"{m} {p}" for m, p, _ in PAGE_WRITES]
)
def test_page_writes_need_the_csrf_token(
    client: TestClient, mc: Microcred, world: World, method: str, path: str, call: Call
) -> None:
    listing_id = _other_listing(mc, world)
    log_in(client, world.other_staff)
    assert call(client, world, listing_id, {"csrf_token": "forged"}) == 403
    assert call(client, world, listing_id, {}) == 403


def test_api_writes_with_a_session_cookie_need_the_csrf_header(
    client: TestClient, mc: Microcred, world: World
) -> None:
    listing_id = _other_listing(mc, world)
    csrf = log_in(client, world.other_staff)
    refused = client.post(f"/api/v1/listings/{listing_id}/status", json={"status": "archived"})
    assert refused.status_code == 403
    allowed = client.post(
        f"/api/v1/listings/{listing_id}/status",
        json={"status": "archived"},
        headers={"X-CSRF-Token": csrf},
    )
    assert allowed.status_code == 200
