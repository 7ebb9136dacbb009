"""The skills engine on the self-written reference fixtures: titles, text, profiles, gaps,
listing tags, and bad input."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from microcred.app import Microcred
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from microcred.errors import InvalidInput, NotFound
from microcred.skills import corpus
from microcred.skills.tagging import listing_tags, tag_listings
from microcred.skills.text import MAX_TEXT, clean_title, sentences, stem_groups
from microcred.store.schema import engine_cache, listing_skills
from tests.conftest import listing_payload, make_org, make_user
from tests.reference import fixture_data
from tests.reference.fixture_data import OCC_WELDER, SKILL_BLUEPRINT, SKILL_WELD


@pytest.fixture
def loaded(mc: Microcred, tmp_path: Path) -> Microcred:
    mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    return mc


def test_title_analysis_expands_abbreviations_and_drops_seniority() -> None:
    assert clean_title("Sr. Python Dev") == "python developer"
    assert clean_title("Jr Welder (part-time)") == "welder"
    assert clean_title("Caissière") == "caissiere"
    assert stem_groups("Experience with SQL") == [("sql",)]


def test_sentences_split_on_stops_bullets_and_lines() -> None:
    text = "We weld pipes. You read drawings!\n• Safety first\n* C++ and C#"
    assert sentences(text) == ["We weld pipes.", "You read drawings!", "Safety first", "C++ and C#"]


@pytest.mark.parametrize("title", ["welder", "Pipe Welders", "weldr", "Sr. welder", "soudeuse"])
def test_job_titles_match_their_unit_group(loaded: Microcred, title: str) -> None:
    found = loaded.skills.match_occupation(title, top=3)
    assert found[0].id == "72106"
    assert 0 < found[0].score <= 1
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_noc_titles_are_learnt_only_from_titles_noc_places(loaded: Microcred) -> None:
    # ESCO's labels reach a unit group through a many-to-many crosswalk: evidence, not labels
    with loaded.store.read() as conn:
        sources = {e.source for e in corpus.occupation_examples(conn, "noc")}
        counterparts = {c.source for c in corpus.counterpart_titles(conn)}
    assert sources <= {"oasis/example", "oasis/label", "noc/preferred", "cops/preferred"}
    assert "esco" in counterparts


def test_titles_match_esco_occupations(loaded: Microcred) -> None:
    found = loaded.skills.match_occupation("pipe welder", taxonomy="esco", top=2)
    assert found[0].id == OCC_WELDER
    assert found[0].label == "welder"
    assert found[0].label_fr == "soudeur/soudeuse"


def test_a_title_in_no_known_language_is_no_confident_match(loaded: Microcred) -> None:
    assert loaded.skills.match_occupation("qqqq zzzz") == []


def test_text_to_esco_skills_ranks_what_it_names(loaded: Microcred) -> None:
    text = "In this course you weld steel pipes.\nYou also learn to read blueprints."
    found = loaded.skills.extract(text, taxonomy="esco", top=5)
    assert {m.id for m in found.skills[:2]} == {SKILL_WELD, SKILL_BLUEPRINT}
    assert found.sentences == 2
    assert "weld steel" in found.evidence[SKILL_WELD][0]


def test_text_to_oasis_descriptors(loaded: Microcred) -> None:
    found = loaded.skills.extract("Active listening to clients", taxonomy="oasis", top=3)
    assert found.skills[0].id == "F01a01"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("   \n ", "is empty"),
        ("x" * (MAX_TEXT + 1), "the limit is"),
        ("\x00\x01binary", "binary"),
        ("".join(chr(c) for c in range(1, 31)) * 20, "binary"),
    ],
)
def test_bad_text_gets_a_clear_error(loaded: Microcred, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        loaded.skills.extract(text)


def test_unknown_taxonomy_is_refused(loaded: Microcred) -> None:
    with pytest.raises(InvalidInput, match="unknown taxonomy 'isco'"):
        loaded.skills.extract("welding", taxonomy="isco")


def test_missing_reference_data_says_what_to_load(mc: Microcred) -> None:
    with pytest.raises(NotFound, match="microcred data load"):
        mc.skills.match_occupation("welder")


def test_a_reload_is_picked_up(loaded: Microcred, tmp_path: Path) -> None:
    assert loaded.skills.match_occupation("welder")[0].label == "Welding and cutting trades"
    data = fixture_data.write_all(tmp_path / "v2")
    fixture_data.write_noc(data, welder_title="Welders and related machine operators")
    loaded.reference_loader.load(data, ["noc"])
    assert loaded.skills.match_occupation("welder")[0].label == (
        "Welders and related machine operators"
    )


def test_profiles_similarity_and_gap(loaded: Microcred) -> None:
    profile = loaded.skills.profiles().profile("72106")
    assert profile.oasis and profile.esco
    similar = loaded.skills.similar("72106")
    assert "72106" not in {m.id for m in similar}
    assert all(0 <= m.score <= 1 for m in similar)
    report = loaded.skills.gap("72106", current="21231")
    assert report.current == "21231"
    weights = [i.weight for i in report.items]
    assert weights == sorted(weights, reverse=True) and weights
    assert all(i.reason for i in report.items)
    assert {i.scheme for i in report.items} <= {"oasis", "esco"}


def test_the_gap_calls_essential_only_what_esco_calls_essential(loaded: Microcred) -> None:
    profile = loaded.skills.profiles().profile("72106")
    assert profile.esco[SKILL_BLUEPRINT] > 0 and SKILL_BLUEPRINT not in profile.essential
    esco = {i.code: i for i in loaded.skills.gap("72106").items if i.scheme == "esco"}
    assert SKILL_WELD in esco and "essential" in esco[SKILL_WELD].reason
    assert SKILL_BLUEPRINT not in esco  # optional to the welder: not a gap called essential


def test_declared_skills_close_the_gap(loaded: Microcred) -> None:
    full = loaded.skills.gap("72106")
    declared = {i.code: 5.0 for i in full.items}
    assert loaded.skills.gap("72106", skills=declared).items == []


def test_gap_reads_a_resume(loaded: Microcred) -> None:
    report = loaded.skills.gap("72106", text="I weld pipes every day and read blueprints.")
    assert SKILL_WELD in {m.id for m in report.skills_read}
    assert SKILL_WELD not in {i.code for i in report.items}


def test_gap_refuses_bad_codes(loaded: Microcred) -> None:
    with pytest.raises(InvalidInput, match="not a NOC 2021 unit group code"):
        loaded.skills.gap("abc")
    with pytest.raises(NotFound):
        loaded.skills.gap("99999")


def test_tagging_listings_is_idempotent_and_keeps_declared_skills(loaded: Microcred) -> None:
    org = make_org(loaded)
    staff = make_user(loaded, Role.PROVIDER, org)
    payload = listing_payload(
        title_en="Pipe welding",
        description_en="Weld steel pipes safely. Read blueprints of piping systems.",
        skills=[{"scheme": "oasis", "id": "F01a01"}],
    )
    listing = loaded.catalog.create_listing(
        org.id, ListingData.model_validate(payload), actor=staff, source="api"
    )
    first = tag_listings(loaded.skills)
    rows = listing_tags(loaded.skills, listing.id)
    assert {"scheme": "oasis", "code": "F01a01", "score": 1.0, "provenance": "declared"} in rows
    assert any(r["code"] == SKILL_WELD and r["provenance"] == "inferred" for r in rows)
    assert tag_listings(loaded.skills) == first
    with loaded.store.read() as conn:
        count = len(conn.execute(select(listing_skills.c.code)).all())
    assert count == len(rows)


def test_the_title_model_is_trained_once_and_kept(loaded: Microcred) -> None:
    from microcred.store.schema import engine_cache

    loaded.skills.model_min = 0  # the fixtures are small: use the model from the first example
    loaded.skills.rerank_min = 0  # and the reranker
    # The first query is answered by the neighbour vote while the model trains.
    assert loaded.skills.match_occupation("pipe welder", top=1)[0].id == "72106"
    loaded.skills.wait()
    matcher = loaded.skills.title_matcher("noc")
    assert matcher.index.model is not None and matcher.reranker is not None
    found = loaded.skills.match_occupation("pipe welder", top=3)
    assert found[0].id == "72106" and 0 < found[0].score <= 1
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert loaded.skills.match_occupation("qqqq zzzz") == []
    with loaded.store.read() as conn:
        stored = conn.execute(
            select(engine_cache.c.name, engine_cache.c.created_at).where(
                engine_cache.c.name == "model:noc-titles"
            )
        ).one()
        names = set(conn.execute(select(engine_cache.c.name)).scalars())
    assert "model:noc-titles:rerank" in names
    # Another process (a fresh engine on the same store) reads the model, never retrains.
    from microcred.skills.engine import Skills

    other = Skills(loaded.store, semantic_mode=False)
    other.model_min = 0
    read = other.title_matcher("noc")  # at once: read, not trained
    assert read.index.model is not None and read.reranker is not None
    assert other.match_occupation("pipe welder", top=1)[0].id == "72106"
    with loaded.store.read() as conn:
        again = conn.execute(
            select(engine_cache.c.created_at).where(engine_cache.c.name == "model:noc-titles")
        ).scalar_one()
    assert again == stored.created_at


def test_a_title_model_for_other_examples_is_refused() -> None:
    from microcred.skills.lexical import TitleIndex

    one = TitleIndex(["welder", "pipe welder", "cook", "line cook"], ["a", "a", "b", "b"])
    other = TitleIndex(["nurse", "registered nurse", "baker"], ["c", "c", "d"])
    model = one.train_model()
    with pytest.raises(ValueError, match="other examples"):
        other.use_model(model)
    one.use_model(type(model).from_bytes(model.to_bytes()))
    scores = one.scores("welder")
    assert scores[0] > 0.5 > scores[1]


def test_a_claim_on_building_holds_until_released_or_stale(loaded: Microcred) -> None:
    from datetime import timedelta

    from microcred.skills import cache

    store = loaded.store
    first = cache.claim(store, "linear:test", "a" * 64)
    assert first and cache.claimed(store, "linear:test", "a" * 64)
    assert cache.claim(store, "linear:test", "a" * 64) is None  # another process: wait
    lapsed = cache.claim(store, "linear:test", "a" * 64, fresh=timedelta(0))  # abandoned
    assert lapsed and lapsed != first
    cache.release(store, "linear:test", first)  # the first holder is late: the claim stays
    assert cache.claimed(store, "linear:test", "a" * 64)
    other = cache.claim(store, "linear:test", "b" * 64)  # other data: build that instead
    assert other
    cache.release(store, "linear:test", other)
    assert not cache.claimed(store, "linear:test", "b" * 64)
    assert cache.claim(store, "linear:test", "b" * 64)


def test_processes_starting_together_train_the_title_model_once(loaded: Microcred) -> None:
    from microcred.skills.engine import Skills

    engines = [Skills(loaded.store, semantic_mode=False) for _ in range(2)]
    for engine in engines:
        engine.model_min = engine.rerank_min = 0
        engine.claim_poll = 0.05
    matchers = [engine.title_matcher("noc") for engine in engines]  # both train or wait
    for engine in engines:
        engine.wait()
    assert sum(len(engine.trained) for engine in engines) == 1
    for matcher in matchers:
        assert matcher.index.model is not None and matcher.reranker is not None


def _claims(mc: Microcred) -> list[str]:
    with mc.store.read() as conn:
        names = conn.execute(select(engine_cache.c.name)).scalars()
        return [n for n in names if n.endswith(":claim")]


def test_a_process_that_stops_while_training_hands_the_training_on(
    loaded: Microcred, caplog: pytest.LogCaptureFixture
) -> None:
    from microcred.skills.engine import Skills

    engine = Skills(loaded.store, semantic_mode=False)
    engine.model_min = 0
    training, go_on = threading.Event(), threading.Event()

    def progress(name: str, done: int, total: int) -> None:
        if name == "noc title model":
            training.set()
            go_on.wait(10)  # held here, mid-training, until the process has stopped

    engine.title_matcher("noc", progress=progress)
    assert training.wait(10)
    assert _claims(loaded) == ["model:noc-titles:claim"]
    engine.close()  # the process stops: the claim is released for another process
    assert _claims(loaded) == [] and "model:noc-titles" in caplog.text
    go_on.set()
    engine.wait()
    assert _claims(loaded) == []


def test_a_new_model_version_replaces_the_stored_one(loaded: Microcred) -> None:
    from microcred.skills import cache

    cache.keep(loaded.store, "linear:test", "a" * 64, b"first")
    cache.keep(loaded.store, "linear:test", "b" * 64, b"second")  # a new version replaces
    assert cache.lookup(loaded.store, "linear:test", "b" * 64) == b"second"
    assert cache.lookup(loaded.store, "linear:test", "a" * 64) is None
