"""The two matchers: job title → occupations, and text → skills (lexical, + semantic).

Each is built from the active reference data (see ``corpus``) and then answers queries
from memory. With the ``semantic`` extra, a matcher also holds label embeddings and fuses
cosine similarity with the lexical score (a convex combination of scores in [0, 1]).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from microcred.skills import semantic
from microcred.skills.corpus import Concept, Example
from microcred.skills.lexical import Bm25Index, Scores, TitleIndex, top
from microcred.skills.text import clean_title, stem_groups, stems

LEXICAL_WEIGHT = 0.3  # share of the lexical score when fused with embeddings
TITLE_LEXICAL_WEIGHT = 0.5


@dataclass(frozen=True)
class Match:
    """One occupation or skill found, with a score in [0, 1] (higher = surer)."""

    id: str
    label: str
    score: float
    label_fr: str | None = None

    def as_json(self) -> dict[str, str | float]:
        return {"id": self.id, "label": self.label, "score": self.score}


class TitleMatcher:
    """Job title → occupations of one taxonomy, ranked."""

    def __init__(
        self,
        examples: Sequence[Example],
        concepts: dict[str, Concept],
        vectors: NDArray[np.float32] | None = None,
    ) -> None:
        texts = [clean_title(e.text) for e in examples]
        self.concepts = concepts
        self.index = TitleIndex(texts, [e.occupation for e in examples])
        self.size = len(examples)
        self._vectors = vectors
        if vectors is not None:
            position = {c: i for i, c in enumerate(self.index.classes)}
            self._vector_class = np.array([position[e.occupation] for e in examples])

    def scores(self, title: str, query_vector: NDArray[np.float32] | None = None) -> Scores:
        lexical = self.index.scores(clean_title(title))
        if self._vectors is None or query_vector is None:
            return lexical
        similarity = self._vectors @ query_vector
        best = np.zeros(len(self.index.classes), dtype=np.float32)
        np.maximum.at(best, self._vector_class, similarity)
        return TITLE_LEXICAL_WEIGHT * lexical + (1 - TITLE_LEXICAL_WEIGHT) * np.clip(best, 0, 1)

    def match(
        self, title: str, k: int, query_vector: NDArray[np.float32] | None = None
    ) -> list[Match]:
        hits = top(self.scores(title, query_vector), k)
        out = []
        for hit in hits:
            code = self.index.classes[hit.index]
            concept = self.concepts.get(code)
            if concept is not None:
                out.append(Match(code, concept.label_en, round(hit.score, 3), concept.label_fr))
        return out

    @property
    def semantic(self) -> bool:
        return self._vectors is not None


def skill_terms(concept: Concept, taxonomy: str) -> list[str]:
    """What a skill is indexed by: its label (thrice), alternatives, and for OaSIS, its
    definition (OaSIS labels are two or three words)."""
    terms = stems(concept.label_en, ("en",)) * 3
    if concept.label_fr:
        terms += stems(concept.label_fr, ("fr",)) * 3
    for alternative in concept.alternatives:
        terms += stems(alternative)
    if taxonomy == "oasis" and concept.description:
        terms += stems(concept.description, ("en",))
    return terms


class SkillMatcher:
    """Text → skills of one taxonomy, ranked per sentence."""

    def __init__(
        self,
        concepts: Sequence[Concept],
        taxonomy: str,
        vectors: NDArray[np.float32] | None = None,
    ) -> None:
        self.concepts = list(concepts)
        self.taxonomy = taxonomy
        self.index = Bm25Index([skill_terms(c, taxonomy) for c in self.concepts])
        self._vectors = vectors
        self._labels = self._label_weights()

    def _label_weights(self) -> sp.csr_matrix:
        """Per skill, the idf-weighted share of each of its label's stems (rows sum to 1)."""
        rows, cols, values = [], [], []
        for i, concept in enumerate(self.concepts):
            found = {
                self.index.terms[t]
                for t in stems(concept.label_en, ("en",))
                if t in self.index.terms
            }
            total = sum(float(self.index.idf[j]) for j in found) or 1.0
            for j in found:
                rows.append(i)
                cols.append(j)
                values.append(float(self.index.idf[j]) / total)
        return sp.csr_matrix(
            (values, (rows, cols)),
            shape=(len(self.concepts), len(self.index.terms)),
            dtype=np.float32,
        )

    def scores(
        self, text: str, query_vector: NDArray[np.float32] | None = None, *, fuzzy: bool = True
    ) -> Scores:
        """A score in [0, 1] per skill for one sentence."""
        known = self.index.known(stem_groups(text), fuzzy=fuzzy)
        lexical = self.index.scores(known)
        peak = float(lexical.max()) if len(lexical) else 0.0
        if peak > 0:
            lexical = lexical / peak
        if self._vectors is None or query_vector is None:
            present = np.zeros(len(self.index.terms), dtype=np.float32)
            present[[row for rows in known for row in rows]] = 1.0
            coverage = self._labels @ present
            # Ranked by BM25; scaled by how much of the skill's own label the text says.
            return (lexical * (0.5 + 0.5 * coverage)).astype(np.float32)
        cosine = np.clip(self._vectors @ query_vector, 0, 1)
        return (LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * cosine).astype(np.float32)

    @property
    def semantic(self) -> bool:
        return self._vectors is not None

    def encode(self, texts: Sequence[str]) -> list[NDArray[np.float32] | None]:
        if self._vectors is None:
            return [None] * len(texts)
        return list(semantic.encode(texts))
