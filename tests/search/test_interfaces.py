"""Search through the CLI, the JSON API and the pages; skills-aware matching with real
reference data (the fixture files)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcred.app import Microcred
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from microcred.search.model import SearchRequest
from microcred.skills.tagging import tag_listings
from microcred.web.app import create_app
from tests.cli import test_cli
from tests.conftest import listing_payload, make_org, make_user
from tests.reference import fixture_data

cli = test_cli.cli  # the CLI runner fixture, shared


@pytest.fixture
def ids(mc: Microcred) -> list[int]:
    admin = make_user(mc, Role.ADMIN)
    org = make_org(mc, "Prairie College")
    payloads = [
        listing_payload(external_id="A", title_en="Welding Safety", cost_cad="300.00"),
        listing_payload(external_id="B", title_en="Welding Inspection", province="AB"),
        listing_payload(external_id="C", title_en="Bookkeeping Basics", cost_cad="0"),
    ]
    return [
        mc.catalog.create_listing(org.id, ListingData.model_validate(p), actor=admin).id
        for p in payloads
    ]


@pytest.fixture
def client(mc: Microcred) -> Iterator[TestClient]:
    with TestClient(create_app(mc)) as test_client:
        yield test_client


def test_cli_search_prints_results_and_facets(ids: list[int], cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("search", "welding", "--province", "AB", "--mode", "online", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [r["id"] for r in found["results"]] == [ids[1]]
    assert found["total"] == 1 and found["facets"]["place"] == {"AB": 1, "online": 1}
    table = cli("search", "welding", "--sort", "cost")
    assert table.exit_code == 0 and "2 result(s)" in table.stdout
    bad = cli("search", "--province", "XX")
    assert bad.exit_code == 2
    assert [p.location for p in bad.exception.problems] == ["province"]


def test_cli_index_commands(ids: list[int], cli, mc: Microcred) -> None:  # type: ignore[no-untyped-def]
    status = cli("index", "status").stdout
    assert "pending" in status
    assert {"embedded": "embedded", "replica": "replica", "postgresql": "PostgreSQL"}[
        mc.search.engine
    ] in status
    assert cli("index", "sync").exit_code == 0
    rebuilt = cli("index", "rebuild")
    assert rebuilt.exit_code == 0 and "3 listing(s)" in rebuilt.stdout


def test_api_search_answers_one_shape(ids: list[int], client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "welding", "sort": "cost"}).json()
    assert [r["id"] for r in body["results"]] == [ids[0], ids[1]]
    assert body["results"][0]["cost_cad"] == 300.0
    assert body["results"][0]["href"] == f"/listings/{ids[0]}"
    assert set(body) == {
        "total",
        "page",
        "per_page",
        "pages",
        "fuzzy",
        "occupations",
        "results",
        "facets",
    }
    assert client.get("/api/v1/search", params={"q": "", "ctc": "yes"}).json()["total"] == 3


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ({"cost_max": "cheap"}, "cost_max"),
        ({"sort": "random"}, "sort"),
        ({"page": "10000"}, "page"),
        ({"mode": "by-mail"}, "mode"),
        ({"starts_after": "tomorrow"}, "starts_after"),
        ({"q": "x" * 2001}, "q"),
    ],
)
def test_api_search_refuses_bad_parameters_by_name(
    client: TestClient, query: dict[str, str], where: str
) -> None:
    response = client.get("/api/v1/search", params=query)
    assert response.status_code == 422
    assert [p["location"] for p in response.json()["error"]["problems"]] == [where]


def test_the_search_page_shows_results_facets_and_problems(
    ids: list[int], client: TestClient
) -> None:
    page = client.get("/search", params={"q": "welding", "province": "AB"})
    assert page.status_code == 200
    assert "<mark>Welding</mark> Inspection" in page.text and "Welding Safety" not in page.text
    assert 'value="AB" checked' in page.text  # the chosen filter stays chosen
    french = client.get("/search", params={"q": "welding"}, headers={"Accept-Language": "fr"})
    assert "Rechercher des microtitres" in french.text
    bad = client.get("/search", params={"cost_max": "<script>"})
    assert bad.status_code == 422 and "<script>" not in bad.text


def test_compare_shows_up_to_four_listings(ids: list[int], client: TestClient) -> None:
    page = client.get("/compare", params=[("id", str(i)) for i in ids])
    assert page.status_code == 200
    assert all(t in page.text for t in ("Welding Safety", "Welding Inspection", "Bookkeeping"))
    assert "Cost after the Canada Training Credit" in page.text
    many = client.get("/compare", params=[("id", str(i)) for i in [*ids, 97, 98, 99]])
    assert "at most four" in many.text
    assert client.get("/compare", params={"id": "999"}).status_code == 404


def test_listings_are_found_by_their_skills_and_occupations(
    mc: Microcred, ids: list[int], tmp_path: Path
) -> None:
    """Skill tags inferred by the skills engine and NOC titles of target occupations are
    indexed with the listing, and results say which skill matched."""
    bookkeeping = mc.catalog.listing(ids[2])
    data = bookkeeping.content().model_copy(
        update={"target_nocs": ["72106"], "skills": [], "description_en": "Read drawings."}
    )
    admin = make_user(mc, Role.ADMIN, email="second-admin@example.ca")
    mc.catalog.update_listing(bookkeeping.id, data, actor=admin)
    assert mc.search.query(SearchRequest("cutting trades")).total == 0
    # Loading reference data re-indexes every listing with the new labels.
    mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    found = mc.search.query(SearchRequest("cutting trades")).hits  # the NOC 72106 title
    assert bookkeeping.id in [h.id for h in found]
    assert mc.search.query(SearchRequest("blueprints")).total == 0  # not in its text
    tag_listings(mc.skills, listing_ids=[bookkeeping.id])  # infers "read blueprints"
    (hit,) = mc.search.query(SearchRequest("blueprints")).hits
    assert hit.id == bookkeeping.id and hit.matched_skills == ("read blueprints",)


def test_highlighting_escapes_and_folds_accents() -> None:
    from microcred.web.render import environment

    highlight = environment().filters["highlight"]
    marked = str(highlight("Soudage <b> & sécurité", ("securite",)))
    assert marked == "Soudage &lt;b&gt; &amp; <mark>sécurité</mark>"
    assert str(highlight("a <i>", ())) == "a &lt;i&gt;"
