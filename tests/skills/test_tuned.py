"""The semantic extra's fine-tuned title classifier (``skills/tuned.py``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from microcred.app import Microcred
from microcred.skills import semantic, tuned
from microcred.skills.engine import Skills
from microcred.store.schema import engine_cache
from tests.reference import fixture_data


def test_fusing_reorders_candidates_and_keeps_their_share() -> None:
    reranked = np.array([0.5, 0.3, 0.1], dtype=np.float32)  # 0.1 left to "none of them"
    beliefs = np.log(np.array([0.01, 0.2, 0.79], dtype=np.float32))
    fused = tuned.fuse(reranked, beliefs)
    assert fused.sum() == pytest.approx(reranked.sum())
    assert list(np.argsort(-fused)) == [1, 0, 2]  # the tuned model's doubt moves the first


def test_fusing_with_equal_beliefs_changes_nothing() -> None:
    reranked = np.array([0.6, 0.2], dtype=np.float32)
    fused = tuned.fuse(reranked, np.log(np.array([0.5, 0.5], dtype=np.float32)))
    assert fused == pytest.approx(reranked)


@pytest.mark.skipif(not semantic.available(), reason="needs the semantic extra")
def test_a_fine_tuned_model_learns_titles_and_survives_storing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tuned, "EPOCHS", 8)
    titles = {
        "welders": ["welder", "pipe welder", "arc welder", "welder fitter"],
        "nurses": ["registered nurse", "nurse", "psychiatric nurse", "charge nurse"],
        "cooks": ["cook", "line cook", "short order cook", "camp cook"],
    }
    texts = [t for ts in titles.values() for t in ts]
    labels = [c for c, ts in titles.items() for _ in ts]
    model = tuned.TunedTitles.train(texts, labels)
    assert model.classes == sorted(titles)
    found = model.log_probabilities(["head cook", "welding"])
    assert [model.classes[i] for i in found.argmax(axis=1)] == ["cooks", "welders"]
    again = tuned.TunedTitles.from_bytes(model.to_bytes())
    assert again.classes == model.classes
    stored = again.log_probabilities(["head cook", "welding"])
    assert np.allclose(stored, found, atol=0.05)  # float16 weights
    assert model.log_probabilities([]).shape == (0, 3)


@pytest.fixture
def loaded(mc: Microcred, tmp_path: Path) -> Microcred:
    mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    return mc


@pytest.mark.skipif(not semantic.available(), reason="needs the semantic extra")
def test_the_semantic_engine_fine_tunes_once_and_other_processes_read_it(
    loaded: Microcred, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tuned, "EPOCHS", 2)
    engine = Skills(loaded.store, semantic_mode=True)
    engine.model_min = engine.rerank_min = 0  # the fixtures are small
    matcher = engine.title_matcher("noc", wait=True)
    assert matcher.tuned is not None and matcher.reranker is not None
    found = engine.match_occupation("pipe welder", top=3)
    assert found[0].id == "72106" and 0 < found[0].score <= 1
    with loaded.store.read() as conn:
        names = set(conn.execute(select(engine_cache.c.name)).scalars())
    assert "model:noc-titles:tuned" in names
    other = Skills(loaded.store, semantic_mode=True)
    other.model_min = other.rerank_min = 0
    assert other.title_matcher("noc").tuned is not None  # read at once, not trained
    assert not other.trained
