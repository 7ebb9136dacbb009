"""The second stage of title matching (``skills/rerank.py``) on titles written here: what
it reads from a title, that it learns from held-out rankings, and that it is kept."""

from __future__ import annotations

import numpy as np
import pytest

from microcred.skills import anatomy, rerank
from microcred.skills.corpus import Concept, Example
from microcred.skills.matchers import TitleMatcher

# Three trades and their helpers, supervisors and managers: a linear model over words
# confuses "welder helper" with welders; the head noun and the words each class holds tell.
TRADES = ("welder", "pipefitter", "boilermaker", "machinist", "millwright", "ironworker")
SETTINGS = ("shipyard", "pipeline", "construction", "factory", "mine", "refinery", "plant")
CLASSES = {
    "72106": "{t}",
    "72999": "{t} - {s}",
    "95101": "{t} helper",
    "72014": "{t} supervisor",
    "70010": "{t} shop manager",
}


def examples() -> list[Example]:
    out = []
    for code, pattern in CLASSES.items():
        out.append(Example(code, f"official title {code}", "en", "noc/preferred"))
        for trade in TRADES:
            for setting in SETTINGS:
                title = pattern.format(t=f"{setting} {trade}", s=setting)
                out.append(Example(code, title, "en", "oasis/example"))
    return out


def matcher() -> TitleMatcher:
    concepts = {code: Concept(code, f"Class {code}", None) for code in CLASSES}
    descriptions = {
        code: f"Workers who {pattern.format(t='x', s='y')}" for code, pattern in CLASSES.items()
    }
    m = TitleMatcher(examples(), concepts, descriptions=descriptions)
    m.index.use_model(m.index.train_model())
    return m


def test_a_title_s_head_qualifier_and_words() -> None:
    assert anatomy.head("Supervisor, welding - shipbuilding") == "supervisor"
    assert anatomy.head("director of finance") == "director"
    assert anatomy.head("Landscape Architects") == "architect"
    assert anatomy.head("technicienne de laboratoire") == "technicienne"
    assert anatomy.head("") == ""
    assert anatomy.qualifier("precision honer - metal machining") == {"metal", "machining"}
    assert anatomy.qualifier("welder") == set()
    assert anatomy.words("The Welders of the Sea") == ["sea", "welder"]


def test_the_reranker_learns_from_held_out_rankings_and_is_kept() -> None:
    m = matcher()
    assert m.train_reranker(min_queries=10_000) is None  # too few titles: no second stage
    reranker = m.train_reranker(min_queries=100)
    assert reranker is not None
    m.use_reranker(reranker)
    for title, code in [
        ("refinery welder helper", "95101"),
        ("pipeline machinist supervisor", "72014"),
        ("welder", "72106"),
    ]:
        found = m.match(title, 3)
        assert found[0].id == code, (title, found)
        assert 0 <= found[-1].score <= found[0].score <= 1
    copy = rerank.Reranker.from_bytes(reranker.to_bytes())
    rows = np.ones((2, rerank.N_FEATURES), dtype=np.float32)
    assert np.allclose(copy.probabilities(rows), reranker.probabilities(rows))
    short = rerank.Reranker(
        reranker.mean[:3],
        reranker.scale[:3],
        reranker.hidden[:, :3],
        reranker.hidden_bias,
        reranker.out,
        reranker.out_bias,
    )
    with pytest.raises(ValueError, match="other features"):
        rerank.Reranker.from_bytes(short.to_bytes())


def test_the_list_loss_gradient_is_its_derivative() -> None:
    """The networks are fit by L-BFGS on a hand-written gradient: finite differences agree,
    for titles with a right candidate and a title without one ("none of them")."""
    from scipy.optimize import check_grad

    rng = np.random.default_rng(3)
    x = rng.normal(size=(9, 4))
    right = np.array([0, 1, 0, 1, 0, 0, 0, 0, 1], dtype=bool)  # titles of 3, 2, 2 and 2 rows
    starts = rerank._starts([3, 2, 2, 2])
    loss = rerank.list_loss(x, right, starts)
    theta = rng.normal(size=4 * rerank.HIDDEN + 2 * rerank.HIDDEN + 1)
    error = check_grad(lambda t: loss(t)[0], lambda t: loss(t)[1], theta)
    assert error < 1e-5 * np.linalg.norm(loss(theta)[1])
    with pytest.raises(ValueError, match="at least one candidate"):
        rerank._starts([2, 0])


def test_a_title_s_probabilities_leave_room_for_none_of_them() -> None:
    m = matcher()
    reranker = m.train_reranker(min_queries=100)
    assert reranker is not None
    rows = np.random.default_rng(5).normal(size=(7, rerank.N_FEATURES)).astype(np.float32)
    both = reranker.probabilities(rows, [3, 4])  # two titles' candidates at once
    assert (both >= 0).all() and both[:3].sum() <= 1 + 1e-6 and both[3:].sum() <= 1 + 1e-6
    assert np.allclose(both[:3], reranker.probabilities(rows[:3]), atol=1e-6)
    assert np.allclose(both[3:], reranker.probabilities(rows[3:]), atol=1e-6)
    assert reranker.probabilities(reranker.mean[None])[0] < 1  # alone: "none" keeps a share


def test_the_title_s_word_vectors_bring_candidates_the_model_ranked_too_low() -> None:
    n = rerank.CANDIDATES + 20
    margins = -np.arange(n, dtype=np.float32)  # class 0 best, the last class worst
    shape = (rerank.knowledge.PER_SOURCE * len(rerank.knowledge.SOURCES), n)
    known = np.zeros(shape, dtype=np.float32)
    senses = np.full((3, n), -1.0, dtype=np.float32)  # -1: a class without examples
    senses[0, [n - 1, 3, n - 2]] = [0.9, 0.8, 0.7]  # 3: a candidate already
    senses[0, n - 8] = 0.0  # no shared meaning: never brought in
    order = rerank._candidates(margins, known, senses)
    assert order.tolist() == [*range(rerank.CANDIDATES), n - 1, n - 2]
    senses[0, rerank.CANDIDATES :] = np.linspace(0.6, 0.1, n - rerank.CANDIDATES)
    assert len(rerank._candidates(margins, known, senses)) == rerank.CANDIDATES + rerank.FROM_SENSES
    assert rerank._candidates(margins, known).tolist() == list(range(rerank.CANDIDATES))


def test_titles_without_known_words_find_nothing_after_reranking() -> None:
    m = matcher()
    reranker = m.train_reranker(min_queries=100)
    assert reranker is not None
    m.use_reranker(reranker)
    assert not m.scores("").any()
    assert m.match("qqqq zzzz", 3) == []


def test_the_fast_title_vector_is_scikit_learn_s() -> None:
    index = matcher().index
    for text in ["shipyard welder helper", "welder", "qqqq", "", "plant millwright - mine"]:
        fast, slow = index.vector(text), index.reference_vector(text)
        assert fast.shape == slow.shape
        assert np.allclose(fast.toarray(), slow.toarray(), atol=1e-6)


def test_with_embeddings_the_reranker_also_reads_them() -> None:
    """The semantic extra's reranker: the same facts plus the title's embedding against the
    examples' (vectors made up here: one direction per class, so no model is needed)."""
    rng = np.random.default_rng(7)
    directions = {code: rng.normal(size=16) for code in CLASSES}

    def embed(code: str) -> np.ndarray:
        vector = directions[code] + 0.3 * rng.normal(size=16)
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    found = examples()
    concepts = {code: Concept(code, f"Class {code}", None) for code in CLASSES}
    vectors = np.vstack([embed(e.occupation) for e in found])
    m = TitleMatcher(found, concepts, vectors)
    m.index.use_model(m.index.train_model())
    reranker = m.train_reranker(min_queries=100)
    assert reranker is not None and reranker.semantic
    m.use_reranker(reranker)
    for title, code in [("refinery welder helper", "95101"), ("welder", "72106")]:
        best = m.match(title, 3, embed(code))
        assert best[0].id == code, (title, best)
        assert 0 <= best[-1].score <= best[0].score <= 1
    assert m.match("refinery welder helper", 3)  # without an embedding: the model alone
    stored = reranker.to_bytes()
    assert rerank.Reranker.from_bytes(stored, rerank.N_FEATURES + rerank.N_SEMANTIC).semantic
    with pytest.raises(ValueError, match="other features"):
        rerank.Reranker.from_bytes(stored)
