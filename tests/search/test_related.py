"""Skills-aware search on both engines: a query naming an occupation ("become a welder",
or a short query whose words find little) also finds the listings teaching the skills the
occupation needs, blended with the words' ranking and explained."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcred import Microcred
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from microcred.search.model import SearchRequest, Sort
from microcred.search.query import parse
from microcred.search.related import fuse
from tests.conftest import listing_payload, make_org, make_user
from tests.reference import fixture_data
from tests.reference.fixture_data import SKILL_BLUEPRINT, SKILL_WELD
from tests.web.conftest import client  # noqa: F401 - the in-process HTTP client fixture

WELD = {"scheme": "esco", "id": SKILL_WELD, "label": "weld metal"}
BLUEPRINT = {"scheme": "esco", "id": SKILL_BLUEPRINT, "label": "read blueprints"}


def add(mc: Microcred, org_id: int, key: str, **fields: object) -> int:
    admin = make_user(mc, Role.ADMIN, email=f"admin-{key.lower()}@example.ca")
    data = ListingData.model_validate(listing_payload(external_id=key, **fields))
    return mc.catalog.create_listing(org_id, data, actor=admin).id


@pytest.fixture
def shop(mc: Microcred, tmp_path: Path) -> dict[str, int]:
    """Three listings, none of which says "welder": one teaches welding (an essential
    ESCO skill of welders), one aims at NOC 72106, one teaches an optional skill only."""
    mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    org = make_org(mc, "Foothills College")
    ids = {
        "joining": add(
            mc,
            org.id,
            "J1",
            title_en="Metal Joining Basics",
            description_en="Torches.",
            skills=[WELD],
        ),
        "aimed": add(
            mc,
            org.id,
            "A1",
            title_en="Shop Floor Start",
            description_en="Start.",
            target_nocs=["72106"],
        ),
        "drawings": add(
            mc, org.id, "D1", title_en="Drawings 101", description_en="Lines.", skills=[BLUEPRINT]
        ),
    }
    mc.search.prepare_reading()
    return ids


def ids_of(mc: Microcred, text: str, **options: object) -> list[int]:
    return [h.id for h in mc.search.query(SearchRequest(text, **options)).hits]  # type: ignore[arg-type]


def test_career_words_mark_a_query_naming_an_occupation() -> None:
    parsed = parse("Become a data analyst")
    assert parsed.terms == ("data", "analyst") and parsed.occupation
    assert parse("devenir soudeuse").terms == ("soudeuse",) and parse("devenir soudeuse").occupation
    assert parse("career").terms == ("career",) and not parse("career").occupation  # all cue
    assert not parse("welding").occupation


def test_a_named_occupation_finds_the_listings_teaching_its_skills(
    mc: Microcred, shop: dict[str, int]
) -> None:
    page = mc.search.query(SearchRequest("become a welder"))
    assert page.related is not None
    assert {(o.scheme, o.code) for o in page.related.occupations} >= {("noc", "72106")}
    found = [h.id for h in page.hits]
    assert shop["joining"] in found and shop["aimed"] in found  # their words say nothing
    assert shop["drawings"] not in found  # an optional skill of welders only
    assert page.total == len(found) == 2
    joining = next(h for h in page.hits if h.id == shop["joining"])
    assert "weld metal" in joining.matched_skills  # explained by the skill it teaches
    assert page.facets["mode"] and sum(page.facets["mode"].values()) == 2


def test_excluded_words_hold_for_the_occupations_listings_too(
    mc: Microcred, shop: dict[str, int]
) -> None:
    assert set(ids_of(mc, "become a welder -torches")) == {shop["aimed"]}


def test_a_short_query_that_finds_little_is_read_as_an_occupation(
    mc: Microcred, shop: dict[str, int]
) -> None:
    page = mc.search.query(SearchRequest("welder"))  # no listing says it
    assert page.related is not None and {h.id for h in page.hits} == {
        shop["joining"],
        shop["aimed"],
    }
    # Words that find a page of results are not read: "drawings" is a plain word match.
    assert mc.search.query(SearchRequest("drawings")).related is None


def test_the_words_rank_first_and_sorting_and_paging_still_hold(
    mc: Microcred, shop: dict[str, int]
) -> None:
    org = make_org(mc, "Second College")
    named = add(mc, org.id, "W1", title_en="Welder Safety", description_en="Be safe.")
    found = ids_of(mc, "become a welder safety")
    assert found[0] == named  # what the words find outranks what only the occupation finds
    assert set(found) == {named, shop["joining"], shop["aimed"]}
    by_cost = ids_of(mc, "become a welder safety", sort=Sort.COST)
    assert set(by_cost) == set(found) and by_cost != found
    pages = [ids_of(mc, "become a welder safety", per_page=1, page=n) for n in (1, 2, 3)]
    assert [p[0] for p in pages] == found  # stable across pages


def test_without_reference_data_the_words_alone_are_searched(mc: Microcred) -> None:
    org = make_org(mc, "Plain College")
    named = add(mc, org.id, "P1", title_en="Welder Safety", description_en="Be safe.")
    page = mc.search.query(SearchRequest("become a welder"))
    assert page.related is None and [h.id for h in page.hits] == [named]


def test_the_api_and_the_page_say_which_occupation_was_read(
    shop: dict[str, int],
    client: TestClient,  # noqa: F811
) -> None:
    body = client.get("/api/v1/search", params={"q": "become a welder"}).json()
    assert {(o["scheme"], o["id"]) for o in body["occupations"]} >= {("noc", "72106")}
    assert {r["id"] for r in body["results"]} == {shop["joining"], shop["aimed"]}
    assert client.get("/api/v1/search", params={"q": "drawings"}).json()["occupations"] == []
    page = client.get(
        "/search", params={"q": "devenir soudeur"}, headers={"Accept-Language": "fr"}
    ).text
    assert "Y compris les formations" in page and "Soudeurs/soudeuses" in page


def test_rank_fusion_prefers_agreement_then_the_words() -> None:
    assert fuse([1, 2, 3], [3, 4], depth=10) == [3, 1, 2, 4]
    assert fuse([1, 2], [2, 1], depth=1) == [1]  # a tie: the words' first wins
    assert fuse([], [5, 6], depth=10) == [5, 6]
