"""The skills engine through the CLI, the JSON API and the /explore page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from microcred.app import Microcred
from microcred.skills import engine, rerank
from microcred.store.schema import engine_cache
from microcred.web.app import create_app
from tests.cli import test_cli
from tests.reference import fixture_data
from tests.reference.fixture_data import SKILL_WELD
from tests.web.conftest import csrf_of

cli = test_cli.cli  # the CLI runner fixture, shared


@pytest.fixture
def loaded(mc: Microcred, tmp_path: Path) -> Microcred:
    mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    return mc


@pytest.fixture
def client(loaded: Microcred) -> Iterator[TestClient]:
    with TestClient(create_app(loaded)) as test_client:
        yield test_client


def test_cli_occupation_match_prints_the_json_list(loaded: Microcred, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("occupation", "match", "pipe welder", "--top", "2", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found[0]["id"] == "72106"
    assert set(found[0]) == {"id", "label", "score"}


def test_a_command_does_not_wait_for_a_title_model_and_says_how_to_train_it(
    loaded: Microcred,
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "MODEL_MIN", 0)  # the fixtures as large as real data
    monkeypatch.setattr(rerank, "MIN_QUERIES", 0)
    result = cli("occupation", "match", "pipe welder", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["id"] == "72106"  # the nearest-title vote answers
    assert "microcred skills index" in result.stderr
    with loaded.store.read() as conn:  # nothing left half-done: no model, no claim
        names = conn.execute(select(engine_cache.c.name)).scalars()
        assert not [n for n in names if n.startswith("model:")]
    assert cli("skills", "index").exit_code == 0
    result = cli("occupation", "match", "pipe welder", "--json")
    assert json.loads(result.stdout)[0]["id"] == "72106"
    assert "skills index" not in result.stderr


def test_cli_skills_extract_reads_stdin_and_files(loaded: Microcred, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("skills", "extract", "-", "--json", input="We weld pipes.")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["id"] == SKILL_WELD
    resume = tmp_path / "resume.txt"
    resume.write_text("Ten years welding pipes.", encoding="utf-8")
    result = cli("skills", "extract", str(resume), "--taxonomy", "esco", "--json")
    assert json.loads(result.stdout)[0]["id"] == SKILL_WELD
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 4)
    result = cli("skills", "extract", str(binary))
    assert result.exit_code == 2
    assert "not UTF-8 text" in str(result.exception)


def test_cli_gap_similar_tag_and_index(loaded: Microcred, cli) -> None:  # type: ignore[no-untyped-def]
    gap = cli("skills", "gap", "72106", "--from", "21231", "--json")
    assert gap.exit_code == 0, gap.output
    assert json.loads(gap.stdout)["gap"]
    assert cli("occupation", "similar", "72106", "--json").exit_code == 0
    assert "listings tagged" in cli("skills", "tag").output
    index = cli("skills", "index")
    assert index.exit_code == 0 and "mode: lexical" in index.output


def test_api_match_extract_similar_gap(client: TestClient) -> None:
    found = client.get("/api/v1/occupations/match", params={"title": "soudeur"}).json()
    assert found[0]["id"] == "72106" and found[0]["label_fr"]
    extracted = client.post("/api/v1/skills/extract", json={"text": "We weld pipes."}).json()
    assert extracted["skills"][0]["id"] == SKILL_WELD
    assert extracted["skills"][0]["evidence"] == ["We weld pipes."]
    assert client.get("/api/v1/occupations/72106/similar").status_code == 200
    gap = client.post("/api/v1/gap", json={"target": "72106", "current": "21231"})
    assert gap.status_code == 200 and gap.json()["gap"]


def test_api_bad_input_is_a_clear_4xx(client: TestClient) -> None:
    empty = client.post("/api/v1/skills/extract", json={"text": "  "})
    assert empty.status_code == 422
    assert "empty" in empty.text
    assert (
        client.post("/api/v1/skills/extract", json={"text": "x", "taxonomy": "isco"}).status_code
        == 422
    )
    assert client.get("/api/v1/occupations/match", params={"title": ""}).status_code == 422
    assert client.post("/api/v1/gap", json={"target": "99999"}).status_code == 404


def test_explore_page_shows_occupations_and_skills(client: TestClient) -> None:
    token = csrf_of(client, "/explore")
    page = client.post("/explore", data={"text": "welder", "csrf_token": token})
    assert page.status_code == 200
    assert "/occupations/72106" in page.text
    assert "weld metal" in page.text or "Skills (ESCO)" in page.text
    refused = client.post("/explore", data={"text": "welder", "csrf_token": "forged"})
    assert refused.status_code == 403


def test_explore_page_in_french(client: TestClient) -> None:
    client.get("/lang/fr?next=/explore")
    token = csrf_of(client, "/explore")
    page = client.post("/explore", data={"text": "soudeuse", "csrf_token": token})
    assert "Trouver vos compétences" in page.text
    assert "Soudeurs/soudeuses" in page.text
