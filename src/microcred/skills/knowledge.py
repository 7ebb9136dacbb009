"""What other classifications call a job: O*NET and ESCO titles, reached through crosswalks.

The title model learns the NOC's own wording from its example titles; a title it never saw
("mortician", "sedimentologist") may still be an O*NET alternate title or an ESCO label
whose occupation the crosswalks tie to a few unit groups. ``Counterparts`` indexes those
titles (TF-IDF over character n-grams and words, as the title model does) and says, per
class, how near the title's nearest such title is and how the ten nearest vote. The
crosswalks are many-to-many and noisy — taken as training titles they lowered accuracy —
so these are facts for the second stage (``rerank``), which learns how far to trust them,
and a source of candidates the title model ranked too low.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.preprocessing import normalize

from microcred.skills.lexical import title_vector, title_vectorizer
from microcred.skills.text import clean_title

SOURCES = ("esco", "onet")  # a source not loaded gives zeros
NEAREST = 10  # titles that vote
MIN_COSINE = 0.2  # below this a title is not near enough to count for a class
PER_SOURCE = 2  # facts per source: the vote and the nearest title's cosine


@dataclass(frozen=True)
class Counterpart:
    """A title from another classification and the classes it is crosswalked to."""

    source: str  # "onet", "esco"
    text: str
    classes: tuple[str, ...]


class _Source:
    """One classification's titles, vectorised, with a titles × classes map."""

    def __init__(self, titles: Sequence[Counterpart], position: dict[str, int]) -> None:
        self._vectorizer = title_vectorizer()
        vectors = self._vectorizer.fit_transform([clean_title(t.text) for t in titles])
        self._titles_t = sp.csr_matrix(normalize(vectors).T, dtype=np.float32)
        rows, cols, shares = [], [], []
        for i, title in enumerate(titles):
            known = [position[c] for c in title.classes if c in position]
            for c in known:
                rows.append(i)
                cols.append(c)
                shares.append(1.0 / len(known))
        shape = (len(titles), len(position))
        self._shares = sp.csr_matrix((shares, (rows, cols)), shape=shape, dtype=np.float32)
        self._member = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=shape
        )

    def facts(self, text: str) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """Per class: the cosine-weighted vote of the nearest titles (each title's vote
        shared among its classes), and the cosine of its nearest title."""
        n = self._shares.shape[1]
        query = title_vector(self._vectorizer, text)
        cosine = np.asarray((query @ self._titles_t).todense()).ravel()
        near = np.flatnonzero(cosine >= MIN_COSINE)
        if not len(near):
            return np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.float32)
        nearest = near[np.argsort(-cosine[near])[:NEAREST]]
        vote = self._shares[nearest].T @ cosine[nearest]
        best = self._member[near].multiply(cosine[near][:, None]).tocsc().max(axis=0)
        return (
            np.asarray(vote, dtype=np.float32).ravel(),
            np.asarray(best.todense(), dtype=np.float32).ravel(),
        )


class Counterparts:
    """Titles of other classifications, per source, for the classes ``classes``."""

    def __init__(self, titles: Sequence[Counterpart], classes: Sequence[str]) -> None:
        position = {c: i for i, c in enumerate(classes)}
        by_source: dict[str, list[Counterpart]] = {s: [] for s in SOURCES}
        for title in titles:
            if title.source not in by_source:
                raise ValueError(f"unknown counterpart source {title.source!r}")
            if any(c in position for c in title.classes) and title.text.strip():
                by_source[title.source].append(title)
        self._sources = [_Source(by_source[s], position) if by_source[s] else None for s in SOURCES]
        self.size = sum(len(found) for found in by_source.values())
        self._classes = len(classes)

    def facts(self, title: str) -> NDArray[np.float32]:
        """(``PER_SOURCE`` × ``SOURCES``) × classes: per source, the vote of its nearest
        titles and the cosine of the nearest one (zeros for a source not loaded)."""
        text = clean_title(title)
        out = np.zeros((PER_SOURCE * len(SOURCES), self._classes), dtype=np.float32)
        for i, source in enumerate(self._sources):
            if source is not None:
                out[PER_SOURCE * i : PER_SOURCE * (i + 1)] = source.facts(text)
        return out
