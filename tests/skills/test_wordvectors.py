"""Word vectors learnt from the reference data (``skills/wordvectors.py``): words that keep
the same company are near, titles are their words' weighted mean, the vectors survive the
store, and their documents never hold an evaluation's queries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microcred.app import Microcred
from microcred.skills import corpus, wordvectors
from microcred.skills.engine import Skills
from microcred.skills.wordvectors import WordVectors
from tests.reference import fixture_data

# Three topics; each document says two or three of its topic's words.
TOPICS = [
    ["mortician", "funeral", "burial", "embalming", "chapel", "mourner"],
    ["welder", "weld", "arc", "brazing", "soudeur", "metal"],
    ["programmer", "software", "code", "debugging", "logiciel", "developer"],
]
DOCUMENTS = [
    " ".join(topic[(i + k) % len(topic)] for k in range(3))
    for topic in TOPICS
    for i in range(len(topic))
] + ["Funeral directors arrange funerals", "Soudeurs: souder les métaux"]


def cosine(vectors: WordVectors, a: str, b: str) -> float:
    return float(vectors.vectors[vectors.position[a]] @ vectors.vectors[vectors.position[b]])


def test_words_that_keep_the_same_company_are_near() -> None:
    vectors = WordVectors.build(DOCUMENTS)
    assert {"mortician", "funeral", "welder", "soudeur", "metal"} <= set(vectors.words)
    assert "the" not in vectors.words and "funerals" not in vectors.words  # stop word; plural
    for topic in TOPICS:
        word = topic[0]
        near = sorted(vectors.words, key=lambda w: -cosine(vectors, word, w))[1:4]
        assert set(near) <= set(topic), (word, near)
    norms = np.linalg.norm(vectors.vectors, axis=1)
    assert np.allclose(norms[norms > 0], 1, atol=1e-5)


def test_a_title_is_the_weighted_mean_of_its_known_words() -> None:
    vectors = WordVectors.build(DOCUMENTS)
    found = vectors.embed(["Morticians", "MORTICIAN of the chapel", "qqqq zzzz", ""])
    assert found.shape == (4, vectors.dimensions)
    assert np.allclose(found[0], vectors.vectors[vectors.position["mortician"]], atol=1e-5)
    assert found[1] @ found[0] > 0.5 and np.linalg.norm(found[1]) == pytest.approx(1, abs=1e-5)
    assert not found[2].any() and not found[3].any()  # no known word: no direction


def test_the_vectors_survive_the_store_and_too_little_text_gives_none() -> None:
    vectors = WordVectors.build(DOCUMENTS)
    again = WordVectors.from_bytes(vectors.to_bytes())
    assert again.words == vectors.words
    assert np.allclose(again.vectors, vectors.vectors, atol=1e-3)  # kept as float16
    assert np.array_equal(again.idf, vectors.idf)
    for few in ([], ["one document only"], ["two alike", "two alike"]):
        empty = WordVectors.build(few)
        assert empty.embed(["two"]).shape[0] == 1 and not empty.embed(["two"]).any()
        restored = WordVectors.from_bytes(empty.to_bytes())
        assert restored.words == empty.words


def test_documents_come_from_the_store_but_never_its_example_titles(
    mc: Microcred, tmp_path: Path
) -> None:
    mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    with mc.store.read() as conn:
        documents = corpus.word_documents(conn)
    joined = "\n".join(documents)
    assert "Pipe Welder" in joined  # an O*NET alternate title
    assert "soudeur/soudeuse" in joined  # an ESCO French label
    for example in ("flame cutter", "Member of Parliament (MP)"):
        assert example not in joined  # OaSIS example titles: an evaluation's queries
    skills = Skills(mc.store, semantic_mode=False)
    matcher = skills.title_matcher("noc")
    assert matcher.words is not None and "welder" in matcher.words.words
    # learnt once and stored: another process reads them
    other = Skills(mc.store, semantic_mode=False).title_matcher("noc")
    assert other.words is not None and other.words.words == matcher.words.words
    assert wordvectors.VERSION


def test_the_title_model_reads_what_a_titles_words_mean() -> None:
    from microcred.skills.lexical import TitleIndex

    vectors = WordVectors.build(DOCUMENTS)
    texts = ["funeral chapel", "burial", "arc weld", "brazing", "software", "debugging"]
    labels = ["funeral", "funeral", "metal", "metal", "code", "code"]
    meant = TitleIndex(texts, labels, vectors)
    meant.use_model(meant.train_model())
    plain = TitleIndex(texts, labels)
    plain.use_model(plain.train_model())
    for title, expected in [("mortician", "funeral"), ("soudeur", "metal"), ("logiciel", "code")]:
        margins = meant.margins(meant.vector(title))
        at = meant.classes.index(expected)
        if title == "soudeur":  # shares letters with "software" and "burial", which on six
            # examples still outweigh its meaning; the meaning lifts "metal" nonetheless
            assert margins[at] > plain.margins(plain.vector(title))[at] + 0.3
        else:  # "logiciel" by its letters alone: "funeral"
            assert int(margins.argmax()) == at, title
        assert np.allclose(margins, meant.margins(meant.reference_vector(title)), atol=1e-4)
        assert np.allclose(margins, meant.margins_of([title])[0], atol=1e-4)
    assert meant.similarity(meant.vector("mortician")).max() < 0.5  # neighbours: lexical
    with pytest.raises(ValueError, match="trained on other examples"):
        plain.use_model(meant.train_model())
