"""Catalogue search on every engine: text, filters, facets, sorting, paging, typos, bad input,
and an index that follows every write through the outbox."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import insert, select

from microcred import Microcred, Settings
from microcred.domain.account import User
from microcred.domain.listing import ListingData
from microcred.domain.organization import OrganizationData
from microcred.domain.vocab import ListingStatus, Role
from microcred.errors import InvalidInput
from microcred.search import outbox
from microcred.search.model import MAX_QUERY, Filters, SearchRequest, Sort
from microcred.search.service import default_index_path
from microcred.store.schema import listings, search_outbox
from tests.catalog.test_import import EXAMPLE, import_text
from tests.conftest import listing_payload, make_org, make_user

CATALOGUE = [
    {
        "external_id": "CYBER",
        "title_en": "Cybersecurity Essentials",
        "title_fr": "Essentiels de la cybersécurité",
        "description_en": "Protect networks, respond to incidents.",
        "description_fr": "Protéger les réseaux et la sécurité des données.",
        "cost_cad": "900.00",
        "hours": "40",
        "province": "ON",
        "delivery_mode": "online_async",
        "start_dates": ["2027-03-01"],
        "skills": [{"scheme": "oasis", "id": "F01c02", "label": "Network security"}],
    },
    {
        "external_id": "WELD",
        "title_en": "Pipe Welding Level 1",
        "title_fr": "Soudage de tuyaux, niveau 1",
        "description_en": "Shielded metal arc welding for pipelines.",
        "description_fr": "Soudage à l'arc pour pipelines.",
        "cost_cad": "2400.00",
        "hours": "120",
        "province": "AB",
        "delivery_mode": "in_person",
        "languages": ["en"],
        "start_dates": ["2027-01-11"],
        "target_nocs": ["72106"],
        "osap_eligible": False,
        "ctc_eligible": True,
        "skills": [],
    },
    {
        "external_id": "PM",
        "title_en": "Project Management Fundamentals",
        "title_fr": "Principes de gestion de projet",
        "description_en": "Plan, schedule and deliver projects on budget.",
        "cost_cad": "450.00",
        "hours": "20",
        "province": "QC",
        "delivery_mode": "hybrid",
        "languages": ["fr"],
        "start_dates": [],
        "osap_eligible": False,
        "ctc_eligible": False,
        "skills": [],
    },
]


@pytest.fixture
def admin(mc: Microcred) -> User:
    return make_user(mc, Role.ADMIN)


@pytest.fixture
def catalogue(mc: Microcred, admin: User) -> dict[str, int]:
    org = make_org(mc, "Aurora Polytechnic")
    ids = {}
    for item in CATALOGUE:
        data = ListingData.model_validate(listing_payload(**item))
        ids[str(item["external_id"])] = mc.catalog.create_listing(org.id, data, actor=admin).id
    return ids


def search(mc: Microcred, text: str = "", **options: object) -> list[int]:
    return [h.id for h in mc.search.query(SearchRequest(text, **options)).hits]  # type: ignore[arg-type]


def test_words_match_titles_descriptions_and_skills_in_either_language(
    mc: Microcred, catalogue: dict[str, int]
) -> None:
    assert search(mc, "welding") == [catalogue["WELD"]]
    assert search(mc, "soudage") == [catalogue["WELD"]]
    assert search(mc, "securite") == [catalogue["CYBER"]]  # accents folded
    assert search(mc, "cybersécurité") == [catalogue["CYBER"]]
    assert search(mc, "network security") == [catalogue["CYBER"]]  # a skill label
    assert search(mc, "projects budget") == [catalogue["PM"]]  # stems: projects ~ project
    assert search(mc, "aurora") and len(search(mc, "aurora")) == 3  # provider name


def test_phrases_prefixes_and_exclusions(mc: Microcred, catalogue: dict[str, int]) -> None:
    assert search(mc, '"pipe welding"') == [catalogue["WELD"]]
    assert search(mc, '"welding pipe"') == []
    assert search(mc, '"shielded metal"') == [catalogue["WELD"]]
    assert search(mc, '"level 1 shielded"') == []  # a phrase never spans title and description
    assert search(mc, "cyber*") == [catalogue["CYBER"]]
    assert sorted(search(mc, "aurora -welding")) == sorted([catalogue["CYBER"], catalogue["PM"]])


def test_an_empty_query_browses_everything_with_facets(
    mc: Microcred, catalogue: dict[str, int]
) -> None:
    page = mc.search.query(SearchRequest(""))
    assert page.total == 3
    assert page.facets["place"] == {"ON": 1, "online": 1, "AB": 1, "QC": 1}
    assert page.facets["mode"] == {"online_async": 1, "in_person": 1, "hybrid": 1}
    assert page.facets["language"] == {"en": 2, "fr": 2}
    assert page.facets["ctc"] == {"true": 2, "false": 1}
    assert page.facets["cost"] == {
        "0-500": 1,
        "500-1000": 1,
        "1000-2500": 1,
        "2500-5000": 0,
        "5000+": 0,
    }


def test_facets_counted_one_by_one_agree_with_the_joined_keys(
    mc: Microcred, catalogue: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    if mc.search.engine == "postgresql":
        pytest.skip("the joined keys are the embedded engine's")
    from microcred.search import embedded

    requests = [SearchRequest("aurora"), SearchRequest("", Filters(cost_max=1000))]
    joined = [mc.search.query(r).facets for r in requests]
    monkeypatch.setattr(embedded, "_KEYS_MOST", 1)  # more keys than counted: facet by facet
    assert [mc.search.query(r).facets for r in requests] == joined
    assert joined[0]["place"] and joined[0]["cost"] and joined[1]["osap"]


def test_filters_narrow_results_and_their_facets(mc: Microcred, catalogue: dict[str, int]) -> None:
    online = mc.search.query(SearchRequest("", Filters(places=("online",))))
    assert [h.id for h in online.hits] == [catalogue["CYBER"]]
    assert online.facets["place"] == {"ON": 1, "online": 1}
    assert set(search(mc, filters=Filters(cost_max=1000))) == {catalogue["CYBER"], catalogue["PM"]}
    assert search(mc, filters=Filters(hours_min=100)) == [catalogue["WELD"]]
    assert search(mc, filters=Filters(languages=("fr",), osap=True)) == [catalogue["CYBER"]]
    assert search(mc, filters=Filters(nocs=("72106",))) == [catalogue["WELD"]]
    assert search(mc, filters=Filters(skills=("F01c02",))) == [catalogue["CYBER"]]
    assert search(mc, filters=Filters(starts_after=date(2027, 2, 1))) == [catalogue["CYBER"]]
    assert search(mc, filters=Filters(providers=("aurora-polytechnic",), modes=("hybrid",))) == [
        catalogue["PM"]
    ]
    assert search(mc, filters=Filters(provider_kinds=("employer",))) == []
    both_online = Filters(modes=("online_async", "online_sync"))  # a group: one term
    assert search(mc, filters=both_online) == [catalogue["CYBER"]]
    either = set(search(mc, filters=Filters(modes=("online_sync", "hybrid"))))
    assert either == {catalogue["PM"]}


def test_sorting_and_stable_paging(mc: Microcred, catalogue: dict[str, int]) -> None:
    assert search(mc, sort=Sort.COST) == [catalogue["PM"], catalogue["CYBER"], catalogue["WELD"]]
    assert search(mc, sort=Sort.DURATION)[0] == catalogue["PM"]
    assert search(mc, sort=Sort.START) == [catalogue["WELD"], catalogue["CYBER"], catalogue["PM"]]
    pages = [search(mc, sort=Sort.COST, page=n, per_page=2) for n in (1, 2)]
    assert pages == [[catalogue["PM"], catalogue["CYBER"]], [catalogue["WELD"]]]


def test_short_queries_tolerate_a_typo(mc: Microcred, catalogue: dict[str, int]) -> None:
    page = mc.search.query(SearchRequest("cybersecurty"))
    assert page.fuzzy and [h.id for h in page.hits] == [catalogue["CYBER"]]
    assert not mc.search.query(SearchRequest("welding")).fuzzy


def test_results_explain_what_matched(mc: Microcred, catalogue: dict[str, int]) -> None:
    (hit,) = mc.search.query(SearchRequest("network security")).hits
    assert hit.matched_skills == ("Network security",)
    (hit,) = mc.search.query(SearchRequest("welding")).hits
    assert hit.matched_terms == ("welding",)
    assert hit.provider == "Aurora Polytechnic" and hit.cost_cents == 240000


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "NEAR(a b)",
        "-",
        "*",
        "a AND OR NOT b",
        "c++ && ||",
        "title:x",
        "((",
        "é" * 40,
    ],
)
def test_query_syntax_characters_are_plain_text(
    mc: Microcred, catalogue: dict[str, int], text: str
) -> None:
    mc.search.query(SearchRequest(text))  # never raises


def test_bad_requests_are_refused_with_what_and_where(mc: Microcred) -> None:
    mc.search.query(SearchRequest("data " * (MAX_QUERY // 5)))
    cases = [
        (SearchRequest("x" * (MAX_QUERY + 1)), "q"),
        (SearchRequest(page=10_000), "page"),
        (SearchRequest(per_page=500), "per_page"),
        (SearchRequest(filters=Filters(places=("Atlantis",))), "province"),
        (SearchRequest(filters=Filters(cost_min=10, cost_max=5)), "cost"),
        (SearchRequest(filters=Filters(nocs=("12",))), "noc"),
    ]
    for request, where in cases:
        with pytest.raises(InvalidInput) as error:
            mc.search.query(request)
        assert [p.location for p in error.value.problems] == [where]


def test_the_index_follows_every_write(
    mc: Microcred, catalogue: dict[str, int], admin: User
) -> None:
    weld = mc.catalog.listing(catalogue["WELD"])
    data = weld.content().model_copy(update={"title_en": "Pipe Fitting and Brazing"})
    mc.catalog.update_listing(weld.id, data, actor=admin)
    assert search(mc, "level") == []  # only in the old title
    assert search(mc, "brazing") == [weld.id]
    mc.catalog.set_listing_status(weld.id, ListingStatus.ARCHIVED, actor=admin)
    assert search(mc, "brazing") == []
    org = mc.catalog.organization(weld.organization_id)
    renamed = OrganizationData.model_validate(
        {**org.model_dump(include=set(OrganizationData.model_fields)), "name_en": "Borealis"}
    )
    mc.catalog.update_organization(org.id, renamed, actor=admin)
    assert len(search(mc, "borealis")) == 2
    assert mc.search.pending() == 0


def test_the_whole_catalogue_counts_follow_this_process_writes_at_once(
    mc: Microcred, catalogue: dict[str, int], admin: User
) -> None:
    """Browsing reuses its facet counts for a few seconds, but never past a write."""
    before = mc.search.query(SearchRequest(""))
    assert before.total == 3 and before.facets["mode"]["in_person"] == 1
    assert mc.search.query(SearchRequest("")).facets == before.facets  # reused
    mc.catalog.set_listing_status(catalogue["WELD"], ListingStatus.ARCHIVED, actor=admin)
    after = mc.search.query(SearchRequest(""))
    assert after.total == len(after.hits) == 2 and "in_person" not in after.facets["mode"]


def test_imports_are_searchable_at_once(mc: Microcred, admin: User) -> None:
    report = import_text(mc, EXAMPLE.read_text(encoding="utf-8"), actor=admin)
    assert report.inserted == mc.search.query(SearchRequest("")).total == 4
    assert import_text(mc, EXAMPLE.read_text(encoding="utf-8"), actor=admin).unchanged == 4
    assert mc.search.pending() == 0  # nothing changed: nothing to re-index


def test_unapplied_changes_survive_a_restart(settings: Settings, admin: User) -> None:
    """Writes queue their index update in the same transaction: a process that dies before
    applying it leaves it for the next one."""
    with Microcred(settings) as first:
        org = make_org(first, "Crash Test College")
        data = ListingData.model_validate(listing_payload(title_en="Forklift Safety"))
        listing = first.catalog.create_listing(org.id, data, actor=admin)
        assert first.search.pending() >= 1  # written, never searched: not applied yet
    with Microcred(settings) as second:
        assert search(second, "forklift") == [listing.id]


def test_a_lost_embedded_index_is_rebuilt_from_the_store(
    settings: Settings, catalogue: dict[str, int], mc: Microcred
) -> None:
    if not settings.is_sqlite:
        pytest.skip("PostgreSQL keeps its index in the database")
    assert search(mc, "welding") == [catalogue["WELD"]]
    mc.close()
    path = default_index_path(settings.database_url)
    assert path is not None and path.exists()
    shutil.rmtree(path)
    with mc.store.write() as conn:  # stale entries a lost index leaves behind
        outbox.enqueue_all(conn)
        outbox.enqueue_all(conn)
        conn.execute(insert(search_outbox).from_select(["listing_id"], select(listings.c.id)))
    with Microcred(settings) as again:
        assert again.search.pending() == 3  # what the rebuilt index needs, not what was left
        assert search(again, "welding") == [catalogue["WELD"]]
        assert again.search.rebuild() == 3
        assert again.search.query(SearchRequest("")).total == 3


def test_matched_labels_are_found_in_label_order_and_capped() -> None:
    from microcred.search.embedded import _labels_with

    labels = ("Data analysis", "Sécurité réseau", "Big data", "Welding", "Data entry", "x")
    folded = ["data analysis", "securite reseau", "big data", "welding", "data entry", "x"]
    starts = [0]
    for text in folded[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    joined = "\n".join(folded)
    assert _labels_with(labels, joined, starts, ["data"]) == (
        "Data analysis",
        "Big data",
        "Data entry",
    )
    assert _labels_with(labels, joined, starts, ["securite", "weld"]) == (
        "Sécurité réseau",
        "Welding",
    )
    assert _labels_with(labels, joined, starts, ["data", "x"], most=2) == (
        "Data analysis",
        "Big data",
    )
