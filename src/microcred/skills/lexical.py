"""Lexical retrieval: a nearest-titles classifier and a BM25 label index.

``TitleIndex`` classifies a short text (a job title) into one of many classes (NOC unit
groups, ESCO occupations) from example texts of each class: TF-IDF over character
n-grams (typos, plurals, "audiology" ~ "audiologist") and words. With many examples a
network over those features (``network.TitleNetwork``, trained once per reference data
version) scores each class; with few, the class score mixes its nearest examples (a soft
k-nearest-neighbour vote) with its centroid.

``Bm25Index`` ranks documents (skill labels with their alternative labels) for a query
with Okapi BM25 over Snowball stems, correcting unknown words to the nearest known word
(rapidfuzz) so that typos still match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import normalize

from microcred.skills import network
from microcred.skills.wordvectors import WordVectors

Scores = NDArray[np.float32]
NEIGHBOURS = 15
# A title's word vector (unit length) beside its TF-IDF (unit length) in the title model.
# On a third of the training titles, the model (then a linear SVM) trained on the rest
# (never the evaluation's held-out titles): Acc@1 71.2% without, 74.8 / 76.2% at 0.5 / 1.
MEANING_WEIGHT = 1.0


@dataclass(frozen=True)
class Hit:
    index: int
    score: float


def top(scores: NDArray[np.floating], k: int) -> list[Hit]:
    """The ``k`` best positive entries of ``scores``, best first (ties by position)."""
    k = min(k, len(scores))
    if k <= 0:
        return []
    best = np.argpartition(-scores, k - 1)[:k]
    order = sorted(best.tolist(), key=lambda i: (-scores[i], i))
    return [Hit(i, float(scores[i])) for i in order if scores[i] > 0]


class TitleIndex:
    """Short texts → classes, learnt from example texts of each class.

    With ``words`` (``wordvectors``), the title model also reads what a title's words
    mean: its word vector, times ``MEANING_WEIGHT``, follows the TF-IDF features (the
    neighbour vote and ``similarity`` stay lexical: those rows of the examples are 0)."""

    def __init__(
        self, texts: Sequence[str], classes: Sequence[str], words: WordVectors | None = None
    ) -> None:
        if not texts:
            raise ValueError("a title index needs at least one example")
        self.classes = sorted(set(classes))
        position = {c: i for i, c in enumerate(self.classes)}
        self._doc_class = np.array([position[c] for c in classes], dtype=np.int32)
        self._vectorizer = title_vectorizer()
        self._words = words
        self._texts = list(texts) if words is not None else []  # to train on their meaning
        docs = normalize(self._vectorizer.fit_transform(texts)).astype(np.float32)
        self._meaning_width = words.dimensions if words is not None else 0
        docs = sp.hstack(
            [docs, sp.csr_matrix((docs.shape[0], self._meaning_width), dtype=np.float32)],
            format="csr",
        )
        self._docs_t = sp.csr_matrix(docs.T)
        self.model: network.TitleNetwork | None = None
        membership = sp.csr_matrix(
            (np.ones(len(classes), dtype=np.float32), (self._doc_class, np.arange(len(classes)))),
            shape=(len(self.classes), len(classes)),
        )
        self._centroids_t = sp.csr_matrix(normalize(membership @ docs).T)

    def train_model(self, related: Sequence[tuple[str, str]] = ()) -> network.TitleNetwork:
        """Fit the title model on every example (two or three minutes for 25,000 examples).
        ``related``: (title, label) pairs of another classification, which the model also
        learns to tell apart (``network.Related``) for what their titles teach about words."""
        if len(self.classes) < 2:
            raise ValueError("a title model needs at least two classes")
        # examples × features, only while training
        lexical = sp.csr_matrix(self._docs_t[: self._docs_t.shape[0] - self._meaning_width].T)
        docs = self._meant(lexical, self._texts)
        return network.fit(docs, self._doc_class, len(self.classes), self._related(related))

    def _related(self, pairs: Sequence[tuple[str, str]]) -> network.Related | None:
        if not pairs:
            return None
        texts = [text for text, _ in pairs]
        lexical = normalize(self._vectorizer.transform(texts)).astype(np.float32)
        known = np.flatnonzero(lexical.getnnz(axis=1) > 0)  # a title of no known n-gram: out
        if len(known) == 0:
            return None
        kinds = sorted({pairs[i][1] for i in known.tolist()})
        position = {kind: i for i, kind in enumerate(kinds)}
        chosen = [texts[i] for i in known]
        return network.Related(
            self._meant(sp.csr_matrix(lexical[known]), chosen),
            np.array([position[pairs[i][1]] for i in known.tolist()], dtype=np.int32),
            len(kinds),
        )

    def use_model(self, model: network.TitleNetwork) -> None:
        """Score with ``model`` (trained on these examples, this vocabulary)."""
        if model.shape != (len(self.classes), self._docs_t.shape[0]):
            raise ValueError("the title model was trained on other examples")
        self.model = model

    @property
    def example_class(self) -> NDArray[np.int32]:
        """The class (position in ``self.classes``) of each example."""
        return self._doc_class

    def vector(self, text: str) -> sp.csr_matrix:
        """``text`` as the examples are vectorised (``reference_vector`` says it the slow
        way): each vectoriser's TF-IDF arithmetic without scikit-learn's checks and joblib
        dispatch, which take three times as long as the work for one title; then its
        meaning (with ``words``)."""
        lexical = title_vector(self._vectorizer, text)
        return self._meant(lexical, [text]) if lexical.nnz else lexical

    def reference_vector(self, text: str) -> sp.csr_matrix:
        lexical = normalize(self._vectorizer.transform([text])).astype(np.float32)
        return self._meant(sp.csr_matrix(lexical), [text])

    def _meant(self, lexical: sp.csr_matrix, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows followed by the texts' word vectors (``MEANING_WEIGHT`` long), or
        by nothing without ``words``."""
        if self._words is None or self._meaning_width == 0:
            return sp.csr_matrix(lexical)
        meaning = MEANING_WEIGHT * self._words.embed(texts)
        return sp.hstack([lexical, sp.csr_matrix(meaning)], format="csr", dtype=np.float32)

    def margins(self, query: sp.csr_matrix) -> Scores:
        """The title model's margin for every class (its model must be in use)."""
        return self._margins(query).ravel()

    def margins_of(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """The title model's margins for many texts at once: texts × classes."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        lexical = normalize(self._vectorizer.transform(texts)).astype(np.float32)
        return self._margins(self._meant(sp.csr_matrix(lexical), texts))

    def _margins(self, queries: sp.csr_matrix) -> NDArray[np.float32]:
        """The model's log-probabilities on the scale of the linear SVM's margins it
        replaced, which ``squash`` and the reranker's features expect: 1 for certain,
        about 0 at e^-4, -1 at e^-8."""
        model = self.model
        if model is None:
            raise ValueError("no title model in use")
        return (1 + model.log_probabilities(queries) / 4).astype(np.float32)

    def similarity(self, query: sp.csr_matrix) -> Scores:
        """Cosine similarity of ``query`` to every example."""
        return np.asarray((query @ self._docs_t).todense()).ravel().astype(np.float32)

    def scores(self, text: str) -> Scores:
        """One score in [0, 1] per class (``self.classes`` order) for ``text``."""
        query = self.vector(text)
        if query.nnz == 0:
            return np.zeros(len(self.classes), dtype=np.float32)
        if self.model is not None:
            return squash(self.margins(query))
        similarity = self.similarity(query)
        nearest = [h.index for h in top(similarity, NEIGHBOURS)]
        vote = np.bincount(
            self._doc_class[nearest],
            weights=similarity[nearest] ** 3,
            minlength=len(self.classes),
        )
        centroid = np.asarray((query @ self._centroids_t).todense()).ravel()
        return (0.5 * np.minimum(vote, 1.0) + 0.5 * centroid).astype(np.float32)


def title_vectorizer() -> FeatureUnion:
    """TF-IDF over character 2–5-grams (typos, plurals) and words and word pairs."""
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32
                ),
            ),
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32)),
        ]
    )


def title_vector(vectorizer: FeatureUnion, text: str) -> sp.csr_matrix:
    """``text`` as a fitted ``title_vectorizer`` makes it, of unit length, quickly."""
    parts = [tfidf_row(v, text) for _, v in vectorizer.transformer_list]
    return _unit(sp.hstack(parts, format="csr", dtype=np.float32))


def tfidf_row(vectorizer: TfidfVectorizer, text: str) -> sp.csr_matrix:
    """``vectorizer.transform([text])`` for a fitted vectoriser with sublinear TF and L2
    norm (as every one here is), as a float32 row, minus scikit-learn's per-call checks."""
    counts = CountVectorizer.transform(vectorizer, [text]).astype(np.float32)
    counts.data = np.log(counts.data) + 1
    counts.data *= vectorizer.idf_[counts.indices]
    return _unit(counts)


def _unit(row: sp.csr_matrix) -> sp.csr_matrix:
    """One row scaled to unit length (unless empty), in place."""
    length = float(np.sqrt(np.dot(row.data, row.data)))
    if length:
        row.data /= length
    return row


def squash(margin: Scores) -> Scores:
    """A margin (``TitleIndex.margins``) into [0, 1]: 0.5 at a third, about 0.02 where a
    class's unrelated titles sit (-1), so that "no confident match" still holds."""
    return (1 / (1 + np.exp(-(3 * margin - 1)))).astype(np.float32)


class Bm25Index:
    """Okapi BM25 over pre-analysed documents (lists of terms)."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self._counts = CountVectorizer(analyzer=lambda terms: terms, dtype=np.float32)
        tf = sp.csr_matrix(self._counts.fit_transform(documents), dtype=np.float32)
        self.terms: dict[str, int] = self._counts.vocabulary_
        self._term_list = list(self.terms)
        length = np.asarray(tf.sum(axis=1)).ravel()
        average = float(length.mean()) if len(length) else 1.0
        frequency = np.bincount(tf.indices, minlength=len(self.terms))
        n = tf.shape[0]
        self.idf = np.log1p((n - frequency + 0.5) / (frequency + 0.5)).astype(np.float32)
        coo = tf.tocoo()
        norm = k1 * (1 - b + b * length[coo.row] / max(average, 1e-9))
        weight = self.idf[coo.col] * coo.data * (k1 + 1) / (coo.data + norm)
        self._weights = sp.csr_matrix((weight, (coo.col, coo.row)), shape=(len(self.terms), n))
        self.size = n

    def known(self, groups: Sequence[Sequence[str]], *, fuzzy: bool = True) -> list[list[int]]:
        """Term rows for each query word (its stem variants the index knows). A word of 5+
        letters the index does not know becomes its nearest known term (a typo)."""
        out = []
        for variants in groups:
            rows = [self.terms[t] for t in variants if t in self.terms]
            if not rows and fuzzy and len(variants[0]) >= 5:
                found = process.extractOne(
                    variants[0], self._term_list, scorer=fuzz.ratio, score_cutoff=85
                )
                if found is not None:
                    rows = [self.terms[found[0]]]
            if rows:
                out.append(rows)
        return out

    def scores(self, rows: Sequence[Sequence[int]]) -> Scores:
        """BM25 score of every document: per query word, its best-scoring variant."""
        total = np.zeros(self.size, dtype=np.float32)
        for variants in rows:
            if len(variants) == 1:
                total += self._weights[variants[0]].toarray().ravel()
            else:
                total += self._weights[list(variants)].max(axis=0).toarray().ravel()
        return total
