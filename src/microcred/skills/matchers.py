"""The two matchers: job title → occupations, and text → skills (lexical, + semantic).

Each is built from the active reference data (see ``corpus``) and then answers queries
from memory. With the ``semantic`` extra, a matcher also holds label embeddings and fuses
cosine similarity with the lexical score (a convex combination of scores in [0, 1]).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from microcred.skills import rerank, semantic, tuned
from microcred.skills.corpus import Concept, Example
from microcred.skills.knowledge import Counterpart, Counterparts
from microcred.skills.language import TitleLanguage
from microcred.skills.lexical import Bm25Index, Scores, TitleIndex, squash, top
from microcred.skills.roles import Roles
from microcred.skills.text import clean_title, stem_groups, stems
from microcred.skills.wordvectors import WordVectors

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
        descriptions: dict[str, str] | None = None,
        counterparts: Sequence[Counterpart] = (),
        words: WordVectors | None = None,
        language: TitleLanguage | None = None,
    ) -> None:
        texts = [clean_title(e.text) for e in examples]
        self.concepts = concepts
        self.examples = list(examples)
        self.index = TitleIndex(texts, [e.occupation for e in examples], words)
        self.size = len(examples)
        self.descriptions = descriptions or {}
        self.reranker: rerank.Reranker | None = None
        self.tuned: tuned.TunedTitles | None = None  # the semantic extra's own classifier
        self._tuned_columns: NDArray[np.intp] | None = None
        self.language = language  # the tuned model learnt English titles: less say in French
        self._facts: rerank.ClassFacts | None = None
        self.counterparts = list(counterparts)
        self._known: Counterparts | None = None
        self._vectors = vectors
        self.words = words
        # the examples' word vectors (``wordvectors``): what their words mean
        self._senses = None if words is None else words.embed(texts)

    def scores(self, title: str, query_vector: NDArray[np.float32] | None = None) -> Scores:
        reranked = self._reranked(title, query_vector)
        if reranked is not None and self.reranker is not None and self.reranker.semantic:
            return reranked  # the embedding was one of its facts
        lexical = self.index.scores(clean_title(title)) if reranked is None else reranked
        if self._vectors is None or query_vector is None:
            return lexical
        similarity = self._vectors @ query_vector
        best = np.zeros(len(self.index.classes), dtype=np.float32)
        np.maximum.at(best, self.index.example_class, similarity)
        return TITLE_LEXICAL_WEIGHT * lexical + (1 - TITLE_LEXICAL_WEIGHT) * np.clip(best, 0, 1)

    # --- the second stage (``rerank``) ---------------------------------------------------------
    def facts(self) -> rerank.ClassFacts:
        if self._facts is None:
            self._facts = _facts(self.examples, self.index, self.descriptions)
        return self._facts

    def known(self) -> Counterparts:
        """Other classifications' titles for these classes (indexed on first use)."""
        if self._known is None:
            self._known = Counterparts(self.counterparts, self.index.classes)
        return self._known

    def related_titles(self) -> list[tuple[str, str]]:
        """Other classifications' titles for the title model to learn from (``TitleIndex.
        train_model``), each labelled by its source and the classes it is crosswalked to:
        titles of the occupations crosswalked to the same classes share a label (one label
        per occupation did no better: docs/decisions/0006), and the model learns to tell
        those apart, never to put them in our classes (the crosswalks are many-to-many: as
        our classes' titles they lowered accuracy, ``knowledge``)."""
        ours = set(self.index.classes)
        return [
            (clean_title(c.text), f"{c.source}\x1f{' '.join(c.classes)}")
            for c in self.counterparts
            if c.text.strip() and ours.intersection(c.classes)
        ]

    def use_reranker(self, reranker: rerank.Reranker) -> None:
        self.facts()
        self.known()
        self.reranker = reranker

    def use_tuned(self, model: tuned.TunedTitles) -> None:
        """Fuse the fine-tuned sentence model's beliefs into the semantic reranker's."""
        position = {c: i for i, c in enumerate(model.classes)}
        if any(c not in position for c in self.index.classes):
            raise ValueError("the fine-tuned title model was trained on other classes")
        self._tuned_columns = np.array([position[c] for c in self.index.classes])
        self.tuned = model

    def _reranked(
        self, title: str, query_vector: NDArray[np.float32] | None = None
    ) -> Scores | None:
        reranker, index = self.reranker, self.index
        if reranker is None or index.model is None:
            return None
        scored = _scored(index, self.facts(), title)
        if scored is None:
            return None
        meaning = None
        if reranker.semantic:
            if self._vectors is None or query_vector is None:
                return None
            meaning = self._meaning(self._vectors @ query_vector)
        margins, similarity, core = scored
        order, rows = rerank.features(
            title,
            margins,
            similarity,
            index.example_class,
            index.classes,
            self.facts(),
            self.known().facts(title),
            meaning,
            core,
            self._sensed(title),
        )
        chosen = reranker.probabilities(rows)
        if meaning is not None and self.tuned is not None and self._tuned_columns is not None:
            beliefs = self.tuned.log_probabilities([title])[0][self._tuned_columns]
            english = 1.0 if self.language is None else self.language.english(title)
            chosen = tuned.fuse(chosen, beliefs[order], tuned.WEIGHT * english)
        out = np.minimum(squash(margins), float(chosen.min()) * 0.99)  # the rest: below
        out[order] = chosen
        return out

    def _meaning(
        self, cosine: NDArray[np.float32], among: NDArray[np.bool_] | None = None
    ) -> NDArray[np.float32]:
        index = self.index
        return rerank.semantic_facts(
            cosine, index.example_class, self.facts().official, len(index.classes), among
        )

    def _sensed(
        self, title: str | None, at: int = -1, among: NDArray[np.bool_] | None = None
    ) -> NDArray[np.float32] | None:
        """``semantic_facts`` of the title's word vectors (or example ``at``'s)."""
        if self.words is None or self._senses is None:
            return None
        query = self.words.embed([clean_title(title)])[0] if title is not None else self._senses[at]
        index = self.index
        return rerank.semantic_facts(
            self._senses @ query,
            index.example_class,
            self.facts().official,
            len(index.classes),
            among,
        )

    def train_reranker(
        self,
        *,
        min_queries: int = rerank.MIN_QUERIES,
        done: Callable[[int], None] | None = None,
    ) -> rerank.Reranker | None:
        """Fit the second stage: for each of ``rerank.FOLDS`` folds of the example titles, a
        title model trained without them scores them, and the reranker learns from those
        rankings (a few minutes: one title model per fold). None with too few titles.
        With embeddings (the semantic extra), it also reads the title's embedding against
        the examples' (each held-out title against the others of its fold's model)."""
        queries = [i for i, e in enumerate(self.examples) if e.source in rerank.QUERY_SOURCES]
        if len(queries) < max(min_queries, rerank.FOLDS):
            return None
        parts: list[rerank.Rows] = []
        raw = [e.text for e in self.examples]
        gold = [e.occupation for e in self.examples]
        known, position = self.known(), {c: i for i, c in enumerate(self.index.classes)}
        related = self.related_titles()  # the same for every fold's model
        for fold, held in enumerate(rerank.folds(queries), start=1):
            held_set = set(held)
            kept = [e for i, e in enumerate(self.examples) if i not in held_set]
            sub = TitleIndex(
                [clean_title(e.text) for e in kept], [e.occupation for e in kept], self.words
            )
            sub.use_model(sub.train_model(related))
            facts = _facts(kept, sub, self.descriptions)

            def score(
                text: str, sub: TitleIndex = sub, facts: rerank.ClassFacts = facts
            ) -> rerank.Scored:
                query = sub.vector(clean_title(text))
                return sub.margins(query), sub.similarity(query), _core(sub, facts, text)

            columns = [position[c] for c in sub.classes]  # a fold may lack a class

            def knows(text: str, columns: list[int] = columns) -> Scores:
                return known.facts(text)[:, columns]

            among = np.ones(len(self.examples), dtype=bool)
            among[held] = False

            def means(
                at: int, columns: list[int] = columns, among: NDArray[np.bool_] = among
            ) -> NDArray[np.float32] | None:
                if self._vectors is None:
                    return None
                return self._meaning(self._vectors @ self._vectors[at], among)[:, columns]

            def senses(
                at: int, columns: list[int] = columns, among: NDArray[np.bool_] = among
            ) -> NDArray[np.float32] | None:
                found = self._sensed(None, at, among)
                return None if found is None else found[:, columns]

            parts.append(
                rerank.training_rows(
                    held,
                    raw,
                    gold,
                    score,
                    sub.example_class,
                    sub.classes,
                    facts,
                    knows,
                    means,
                    senses,
                )
            )
            if done:
                done(fold)
        rows = np.vstack([p[0] for p in parts])
        right = np.concatenate([p[1] for p in parts])
        if right.all() or not right.any():  # nothing to tell right from wrong candidates
            return None
        return rerank.Reranker.fit(rows, right, np.concatenate([p[2] for p in parts]))

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


def _facts(
    examples: Sequence[Example], index: TitleIndex, descriptions: dict[str, str]
) -> rerank.ClassFacts:
    """What the reranker knows of ``index``'s classes (its model must be in use)."""
    labels = index.example_class.tolist()
    queries = [i for i, e in enumerate(examples) if e.source in rerank.QUERY_SOURCES]
    relations = Roles.build(
        [examples[i].text for i in queries],
        [labels[i] for i in queries],
        len(index.classes),
        lambda cores: index.margins_of([clean_title(c) for c in cores]),
    )
    return rerank.ClassFacts.build(
        [e.text for e in examples],
        labels,
        [e.source in rerank.OFFICIAL_SOURCES for e in examples],
        len(index.classes),
        [descriptions.get(c, "") for c in index.classes],
        relations,
    )


def _scored(index: TitleIndex, facts: rerank.ClassFacts, title: str) -> rerank.Scored | None:
    """What the reranker needs of the title model for ``title``; None for a title of no
    known word."""
    query = index.vector(clean_title(title))
    if query.nnz == 0:
        return None
    return index.margins(query), index.similarity(query), _core(index, facts, title)


def _core(index: TitleIndex, facts: rerank.ClassFacts, title: str) -> Scores | None:
    """The model's margins for the title's core ("coppersmith" of "coppersmith foreman")."""
    core = facts.relations.core(title)
    query = index.vector(clean_title(core)) if core else None
    return None if query is None or query.nnz == 0 else index.margins(query)


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
            ranked: NDArray[np.float32] = (lexical * (0.5 + 0.5 * coverage)).astype(np.float32)
            return ranked
        cosine = np.clip(self._vectors @ query_vector, 0, 1)
        fused: NDArray[np.float32] = (
            LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * cosine
        ).astype(np.float32)
        return fused

    @property
    def semantic(self) -> bool:
        return self._vectors is not None

    def encode(self, texts: Sequence[str]) -> list[NDArray[np.float32] | None]:
        if self._vectors is None:
            return [None] * len(texts)
        return list(semantic.encode(texts))
