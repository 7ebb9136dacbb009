"""Server-rendered pages: content, language, escaping, the editor's validation."""

import re

import pytest
from fastapi.testclient import TestClient

from microcred import Microcred
from microcred.domain.listing import ListingData
from microcred.store import listings
from microcred.store.listings import NewListing
from tests.conftest import listing_payload
from tests.web.conftest import World, csrf_of, log_in


def add(mc: Microcred, world: World, **overrides: object) -> int:
    data = ListingData.model_validate(listing_payload(**overrides))
    with mc.store.write() as conn:
        return listings.create(conn, NewListing.of(world.own.id, data, "api")).id


@pytest.mark.parametrize("path", ["/", "/guide", "/listings", "/login"])
def test_public_pages_render_in_both_languages(client: TestClient, path: str) -> None:
    english = client.get(path)
    assert english.status_code == 200 and '<html lang="en">' in english.text
    french = client.get(path, headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in french.text
    assert "Passer au contenu principal" in french.text


def test_the_language_switch_is_remembered(client: TestClient) -> None:
    response = client.get("/lang/fr", params={"next": "/guide"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/guide"
    page = client.get("/guide")
    assert "Petit guide des microtitres" in page.text
    assert 'href="/lang/en?next=/guide"' in page.text


def test_the_language_switch_refuses_open_redirects(client: TestClient) -> None:
    for target in ("https://evil.example", "//evil.example", "javascript:alert(1)"):
        response = client.get("/lang/fr", params={"next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"


def test_listing_detail_shows_framework_elements(
    client: TestClient, mc: Microcred, world: World
) -> None:
    listing_id = add(mc, world)
    page = client.get(f"/listings/{listing_id}").text
    for text in (
        "Data Analytics Foundations",
        "36 hours",
        "$1,250.00",
        "Target occupations (NOC 2021)",
        "21211",
        "Offered by an institution eligible for the Canada Training Credit.",
    ):
        assert text in page
    client.cookies.set("mc_lang", "fr")
    french = client.get(f"/listings/{listing_id}").text
    assert "Fondements de l&#39;analytique" in french and "1\u00a0250,00" in french


def test_demo_listings_carry_a_visible_badge(client: TestClient, mc: Microcred) -> None:
    from microcred.demo.generator import generate
    from microcred.formats.records import ParsedFile

    records = list(generate(3))
    mc.catalog.import_parsed(ParsedFile(records=records, rows_read=3), source="demo", is_demo=True)
    assert "Demo data" in client.get("/listings").text
    assert all(item["is_demo"] for item in client.get("/api/v1/listings").json()["items"])


def test_output_is_escaped(client: TestClient, mc: Microcred, world: World) -> None:
    listing_id = add(mc, world, title_en="<script>alert('x')</script>")
    page = client.get(f"/listings/{listing_id}").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_unknown_pages_get_a_translated_error_page(client: TestClient) -> None:
    client.cookies.set("mc_lang", "fr")
    response = client.get("/listings/999999")
    assert response.status_code == 404 and "Page introuvable" in response.text
    assert client.get("/listings/not-a-number").status_code == 404


def test_login_failure_is_reported_without_saying_why(client: TestClient, world: World) -> None:
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"email": world.staff.email, "password": "nope-nope-nope", "csrf_token": token},
    )
    assert response.status_code == 401 and "Wrong email or password." in response.text


def test_too_many_failures_are_explained_on_the_login_page(
    client: TestClient, world: World, mc: Microcred
) -> None:
    for _ in range(mc.settings.login_max_failures):
        client.post(
            "/login",
            data={
                "email": world.staff.email,
                "password": "nope-nope-nope",
                "csrf_token": csrf_of(client),
            },
        )
    client.cookies.set("mc_lang", "fr")
    response = client.post(
        "/login",
        data={
            "email": world.staff.email,
            "password": "correct-horse-battery",
            "csrf_token": csrf_of(client),
        },
    )
    assert response.status_code == 429
    assert "Trop de tentatives infructueuses pour ce courriel." in response.text


def test_login_needs_the_csrf_cookie_and_field(client: TestClient, world: World) -> None:
    response = client.post(
        "/login", data={"email": world.staff.email, "password": "x", "csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_dashboard_needs_a_login(client: TestClient) -> None:
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/dashboard"


def test_editor_shows_validation_errors_beside_fields_and_keeps_input(
    client: TestClient, mc: Microcred, world: World
) -> None:
    listing_id = add(mc, world)
    csrf = log_in(client, world.staff)
    form = {
        "csrf_token": csrf,
        "title_en": "Kept title",
        "hours": "ten",
        "delivery_mode": "online_async",
        "languages": "en",
        "cost_cad": "abc",
        "status": "active",
    }
    response = client.post(f"/dashboard/listings/{listing_id}/edit", data=form)
    assert response.status_code == 422
    assert 'value="Kept title"' in response.text
    assert re.search(r'id="cost_cad"[^>]*aria-invalid="true"', response.text)
    assert "&#39;abc&#39; is not a number; expected CAD like 1250.00" in response.text
    assert 'href="#hours"' in response.text
    assert mc.catalog.listing(listing_id).title_en == "Data Analytics Foundations"


def test_editor_saves_and_round_trips_every_field(
    client: TestClient, mc: Microcred, world: World
) -> None:
    listing_id = add(mc, world)
    before = mc.catalog.listing(listing_id)
    csrf = log_in(client, world.staff)
    page = client.get(f"/dashboard/listings/{listing_id}/edit").text
    form = {
        m.group(1): m.group(2)
        for m in re.finditer(
            r'<input id="[^"]+" name="([^"]+)" type="(?:text|url)" value="([^"]*)"', page
        )
    }
    form.update(
        {
            m.group(1): m.group(2)
            for m in re.finditer(
                r'<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', page
            )
        }
    )
    form.update(
        {
            m.group(1): m.group(2)
            for m in re.finditer(
                r'<select id="[^"]+" name="([^"]+)".*?<option value="([^"]*)" selected', page, re.S
            )
        }
    )
    checked = re.findall(r'name="([^"]+)" type="checkbox" value="true" checked', page)
    import html

    data = {k: html.unescape(v) for k, v in form.items()} | dict.fromkeys(checked, "true")
    languages = re.findall(r'name="languages" value="(\w+)" checked', page)
    assert languages == ["en", "fr"]
    data |= {"csrf_token": csrf, "languages": languages}
    response = client.post(
        f"/dashboard/listings/{listing_id}/edit", data=data, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    assert mc.catalog.listing(listing_id).content_hash() == before.content_hash()


def test_provider_creates_a_listing_in_their_organization(
    client: TestClient, mc: Microcred, world: World
) -> None:
    csrf = log_in(client, world.staff)
    form = {
        "csrf_token": csrf,
        "title_en": "Heat Pumps",
        "hours": "24",
        "delivery_mode": "online_async",
        "languages": ["en"],
        "cost_cad": "300",
        "status": "active",
        "kind": "MicroCredential",
    }
    response = client.post("/dashboard/listings/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    [created] = mc.catalog.listings()[0]
    assert created.organization_id == world.own.id and created.provenance.source == "web"
    assert "Heat Pumps" in client.get("/dashboard").text


def test_admins_choose_the_organization(client: TestClient, mc: Microcred, world: World) -> None:
    csrf = log_in(client, world.admin)
    assert "Other College" in client.get("/dashboard/listings/new").text
    form = {
        "csrf_token": csrf,
        "organization_id": str(world.other.id),
        "title_en": "X",
        "hours": "2",
        "delivery_mode": "online_async",
        "languages": ["en"],
        "cost_cad": "0",
        "status": "active",
    }
    assert (
        client.post("/dashboard/listings/new", data=form, follow_redirects=False).status_code == 303
    )
    assert mc.catalog.listings()[0][0].organization_id == world.other.id


def test_logout_ends_the_session(client: TestClient, world: World) -> None:
    csrf = log_in(client, world.staff)
    assert (
        client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    )
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_learners_see_no_provider_tools(client: TestClient, world: World) -> None:
    log_in(client, world.learner)
    page = client.get("/dashboard").text
    assert "Provider tools are for provider staff." in page
    assert client.get("/dashboard/listings/new").status_code == 403


def test_text_shown_in_the_other_language_is_marked(
    client: TestClient, mc: Microcred, world: World
) -> None:
    listing_id = add(mc, world, title_fr=None, description_fr=None)
    client.cookies.set("mc_lang", "fr")
    page = client.get(f"/listings/{listing_id}").text
    assert '<span lang="en">Data Analytics Foundations</span>' in page
    assert '<p lang="en">Clean data' in page
