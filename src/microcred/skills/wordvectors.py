"""Word vectors learnt from the reference data itself: what a title's words mean.

The title model knows a word only from the example titles that hold it; "mortician",
"scooptram" or "silviculturist" may be in none, or in too few. The reference data says
much more about words: ESCO's skills and occupations with their descriptions, O*NET's
alternate titles beside their occupation's title, OaSIS duties and lead statements
beside their profile's label, NOC definitions. Words that keep the same company there
mean related things. ``WordVectors.build`` counts which words share a document, weighs
those counts by positive pointwise mutual information (PPMI, with the context counts
smoothed by the power 0.75) and keeps the ``DIMENSIONS`` strongest directions of that
matrix (truncated SVD): latent semantic analysis in a few megabytes, with no model to
download and nothing beyond scikit-learn. A title is the idf-weighted mean of its words'
vectors. The reranker (``rerank``) compares it with each class's examples.

The documents never hold OaSIS example titles, the evaluation's queries: the vectors know
what words mean, not where titles go.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import cast

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils.extmath import randomized_svd

from microcred.reference.files import title_key
from microcred.skills.anatomy import STOP, stem

DIMENSIONS = 256
MIN_DOCUMENTS = 2  # a word in fewer documents has no vector
SMOOTHING = 0.75  # context counts are raised to this power (rare contexts weigh less)
SEED = 2027
VERSION = "1"  # of the method: stored vectors of another version are rebuilt


def tokens(text: str) -> list[str]:
    """A text's words as the vectors know them: folded, singular, no stop words."""
    return [
        stem(w) for w in title_key(text).split() if len(w) > 1 and w not in STOP and w.isalpha()
    ]


class WordVectors:
    """A unit vector per known word, and each word's idf."""

    def __init__(
        self, words: Sequence[str], vectors: NDArray[np.float32], idf: NDArray[np.float32]
    ):
        self.words = list(words)
        self.position = {w: i for i, w in enumerate(self.words)}
        self.vectors = vectors
        self.idf = idf

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    @classmethod
    def build(cls, documents: Sequence[str]) -> WordVectors:
        """PPMI over words sharing a document, reduced by truncated SVD (about 30 s for
        the full reference data, one core)."""
        counter = CountVectorizer(
            analyzer=tokens, binary=True, min_df=MIN_DOCUMENTS, dtype=np.float32
        )
        try:
            present = sp.csr_matrix(counter.fit_transform(documents))
        except ValueError:  # no word in MIN_DOCUMENTS documents
            return cls([], np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.float32))
        words = counter.get_feature_names_out().tolist()
        together = sp.csr_matrix(present.T @ present)
        together.setdiag(0)
        together.eliminate_zeros()
        idf = np.log(present.shape[0] / np.maximum(present.sum(axis=0).A1, 1)).astype(np.float32)
        rank = min(DIMENSIONS, min(together.shape) - 1)
        if together.nnz == 0 or rank < 1:
            return cls(words, np.zeros((len(words), 0), dtype=np.float32), idf)
        return cls(words, _reduced(_ppmi(together), rank), idf)

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Texts × dimensions: each the unit-length idf-weighted mean of its known words'
        vectors (zeros for a text of no known word)."""
        if self.dimensions == 0:
            return np.zeros((len(texts), 0), dtype=np.float32)
        rows, cols, weights = [], [], []
        for row, text in enumerate(texts):
            for word in set(tokens(text)):
                at = self.position.get(word)
                if at is not None:
                    rows.append(row)
                    cols.append(at)
                    weights.append(float(self.idf[at]))
        mix = sp.csr_matrix(
            (weights, (rows, cols)), shape=(len(texts), len(self.words)), dtype=np.float32
        )
        return _unit(np.asarray(mix @ self.vectors, dtype=np.float32))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            words=np.array("\n".join(self.words)),
            vectors=self.vectors.astype(np.float16),
            idf=self.idf,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> WordVectors:
        found = np.load(io.BytesIO(payload), allow_pickle=False)
        text = str(found["words"])
        return cls(
            text.split("\n") if text else [],
            found["vectors"].astype(np.float32),
            found["idf"].astype(np.float32),
        )


def _unit(rows: NDArray[np.float32]) -> NDArray[np.float32]:
    """Rows scaled to unit length (zero rows stay zero); plain numpy, as a query is one row."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return cast(NDArray[np.float32], rows / np.where(norms > 0, norms, 1))


def _ppmi(together: sp.csr_matrix) -> sp.csr_matrix:
    """max(0, log P(w, c) / (P(w) P_α(c))) for the nonzero co-occurrence counts."""
    total = float(together.sum())
    word = together.sum(axis=1).A1
    context = together.sum(axis=0).A1 ** SMOOTHING
    context /= context.sum()
    coo = together.tocoo()
    pmi = np.log(coo.data * 1.0 / total) - np.log(word[coo.row] / total) - np.log(context[coo.col])
    keep = pmi > 0
    return sp.csr_matrix(
        (pmi[keep].astype(np.float32), (coo.row[keep], coo.col[keep])), shape=together.shape
    )


def _reduced(matrix: sp.csr_matrix, rank: int) -> NDArray[np.float32]:
    """Unit vectors of U·√Σ, the strongest ``rank`` directions."""
    u, sigma, _ = randomized_svd(matrix, rank, random_state=SEED)
    return _unit((u * np.sqrt(sigma)).astype(np.float32))
