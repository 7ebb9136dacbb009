"""Second stage of title matching: the title model's best candidates, re-ordered.

The title model (``network``) scores each class by the words, character n-grams and word
vector of a title. It cannot see how a title relates to a class's own examples: whether some example ends in
the same head noun ("landscape architect" ~ "landscape architects", not "landscape
technician"), shares its qualifier ("… - metal machining"), holds every word of the title
("welder helper": helpers hold "helper", welders do not), how near the single nearest
example is, or whether the class's lead statement and duties use the title's words
("planetarium"), what O*NET and ESCO call the job (``knowledge``), which examples' words
mean what the title's do (``wordvectors``), or where NOC puts
the foremen and helpers of the trade a title names (``roles``). ``Reranker``
computes those facts for the ``CANDIDATES`` best classes (and the classes other
classifications' nearest titles point at) and weighs them with the model's margins in a
small neural network, trained on titles held out of the model (``FOLDS`` folds), so that
it learns from the model's own mistakes. Its output is the probability that a candidate
is right, so scores are comparable across titles ("no confident match" below a threshold).
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from microcred.reference.files import title_key
from microcred.skills import knowledge, roles
from microcred.skills.anatomy import CUES, head, qualifier, words
from microcred.skills.lexical import squash, tfidf_row

CANDIDATES = 20  # classes re-ordered per title: the right one is among them ~96% of the time
FROM_COUNTERPARTS = 5  # and per other classification, its nearest titles' best classes
FROM_SENSES = 5  # and the classes of the examples nearest by word vectors (``wordvectors``)
FOLDS = 3  # title models trained on part of the examples to produce the training rows
SEED = 2027
VERSION = "9"  # of the features and model: a stored reranker of another version is retrained
MIN_QUERIES = 300  # fewer example titles to learn from: no second stage
QUERY_SOURCES = frozenset(["oasis/example"])  # titles as people hold them: the training queries
OFFICIAL_SOURCES = frozenset(["noc/preferred", "oasis/label", "cops/preferred"])
GROUPS = (4, 3, 2)  # NOC code prefixes: minor, sub-major and major groups
N_SENSES = 5  # the title's word vectors (``wordvectors``) against the examples'
N_FEATURES = (
    21 + 2 * len(CUES) + 2 * len(GROUPS) + 5 * len(knowledge.SOURCES) + roles.COLUMNS + N_SENSES
)
N_SEMANTIC = 5  # more with the semantic extra: the title's embedding against the examples'
SEMANTIC_NEAREST = 10  # examples whose embeddings vote


@dataclass
class ClassFacts:
    """What the examples of each class say, for the features (built with the model)."""

    sizes: NDArray[np.float32]
    heads: list[Counter[str]]
    qualifiers: list[Counter[str]]
    words: list[Counter[str]]
    official: NDArray[np.bool_]  # per example: an official class title, not an example
    members: list[NDArray[np.intp]]  # per class: its examples
    cues: NDArray[np.float32]  # per class and ``CUES`` group: share of examples with one
    describe: TfidfVectorizer | None
    descriptions: sp.csr_matrix | None  # words × classes: the classes' descriptions
    # character n-grams × classes: "sedimentologist" is near "sedimentology"
    describe_chars: TfidfVectorizer | None
    description_chars: sp.csr_matrix | None
    relations: roles.Roles  # where titles made from another job's title go

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        labels: Sequence[int],
        official: Sequence[bool],
        n_classes: int,
        descriptions: Sequence[str],
        relations: roles.Roles,
    ) -> ClassFacts:
        heads: list[Counter[str]] = [Counter() for _ in range(n_classes)]
        qualifiers: list[Counter[str]] = [Counter() for _ in range(n_classes)]
        found: list[Counter[str]] = [Counter() for _ in range(n_classes)]
        cues = np.zeros((n_classes, len(CUES)), dtype=np.float32)
        for text, label in zip(texts, labels, strict=True):
            heads[label][head(text)] += 1
            qualifiers[label].update(qualifier(text))
            said = words(text)
            found[label].update(said)
            cues[label] += [any(w in group for w in said) for group in CUES]
        sizes = np.bincount(np.asarray(labels), minlength=n_classes).astype(np.float32)
        cues /= np.maximum(sizes, 1)[:, None]
        by_class = np.argsort(np.asarray(labels), kind="stable")
        members = np.split(by_class, np.cumsum(sizes.astype(np.intp))[:-1])
        describe, matrix, chars, char_matrix = None, None, None, None
        if any(d.strip() for d in descriptions):
            describe = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
            keyed = [title_key(d) for d in descriptions]
            matrix = sp.csr_matrix(normalize(describe.fit_transform(keyed)).T)
            chars = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(4, 6), sublinear_tf=True, dtype=np.float32
            )
            char_matrix = sp.csr_matrix(normalize(chars.fit_transform(keyed)).T)
        return cls(
            np.maximum(sizes, 1),
            heads,
            qualifiers,
            found,
            np.asarray(official, dtype=bool),
            members,
            cues,
            describe,
            matrix,
            chars,
            char_matrix,
            relations,
        )


def features(
    title: str,
    margins: NDArray[np.float32],
    similarity: NDArray[np.float32],
    example_class: NDArray[np.int32],
    classes: Sequence[str],
    facts: ClassFacts,
    known: NDArray[np.float32] | None = None,
    meaning: NDArray[np.float32] | None = None,
    core: NDArray[np.float32] | None = None,
    senses: NDArray[np.float32] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """The candidates (best margins first, then those other classifications' titles and the
    title's word vectors point at: ``_candidates``) and one row of features for each
    (``N_FEATURES``, + ``N_SEMANTIC`` with ``meaning``, the title's embedding against the
    examples': ``semantic_facts``).

    ``similarity`` is the title's cosine to every example (the title index's vectors);
    ``example_class`` each example's class (the facts were built from the same examples);
    ``known`` what other classifications call the job (``knowledge.Counterparts.facts``);
    ``core`` the model's margins for the title's core (``roles``: "coppersmith" of
    "coppersmith foreman"); ``senses`` the title's word vectors against the examples'
    (``semantic_facts`` of ``wordvectors``; zeros without)."""
    if known is None:
        known = np.zeros(
            (knowledge.PER_SOURCE * len(knowledge.SOURCES), len(margins)), dtype=np.float32
        )
    order = _candidates(margins, known, senses)
    belief = facts.relations.belief(title, core)
    best = margins[order[0]]
    runner_up = margins[order[1]] if len(order) > 1 else best
    vote: dict[int, float] = defaultdict(float)
    for j in np.argpartition(-similarity, min(10, len(similarity) - 1))[:10].tolist():
        vote[int(example_class[j])] += float(similarity[j])
    described = _described(facts.describe, facts.descriptions, title, order)
    described_chars = _described(facts.describe_chars, facts.description_chars, title, order)
    the_head, the_qualifier, the_words = head(title), qualifier(title), words(title) or [""]
    cues = [float(any(w in group for w in the_words)) for group in CUES]
    likely = squash(margins[order])
    groups = [np.array([classes[c][:n] for c in order.tolist()]) for n in GROUPS]
    rows = []
    for rank, c in enumerate(order.tolist()):
        members = facts.members[c]
        nearest = np.sort(similarity[members])[::-1][:3] if len(members) else np.zeros(1)
        official = similarity[members[facts.official[members]]] if len(members) else nearest[:0]
        size = facts.sizes[c]
        covered = [facts.words[c][w] / size for w in the_words]
        code = classes[c]
        same = [group == group[rank] for group in groups]
        rows.append(
            [
                margins[c],
                margins[c] - best,
                margins[c] - (runner_up if rank == 0 else best),
                rank if rank < CANDIDATES else float((margins > margins[c]).sum()),
                nearest[0],
                nearest[1] if len(nearest) > 1 else 0.0,
                float(nearest.sum()) / len(nearest),
                vote.get(c, 0.0),
                float(official.max()) if len(official) else 0.0,
                facts.heads[c][the_head] / size,
                float(facts.heads[c][the_head] > 0),
                float(np.log1p(size)),
                sum(facts.qualifiers[c][w] for w in the_qualifier) / size if the_qualifier else -1,
                described[rank],
                described[rank] - described.max(),
                sum(covered) / len(covered),
                min(covered),
                sum(x == 0 for x in covered) / len(covered),
                _digit(code, 1),
                *(said * share for said, share in zip(cues, facts.cues[c], strict=True)),
                *((1 - said) * share for said, share in zip(cues, facts.cues[c], strict=True)),
                described_chars[rank],
                described_chars[rank] - described_chars.max(),
                # how much of the model's belief falls on the candidate's group
                *(float(likely[group].sum()) for group in same),
                *(float(group.sum()) for group in same),
            ]
        )
    found = np.hstack(
        [
            np.asarray(rows, dtype=np.float32),
            _counterpart_columns(known, order),
            roles.Roles.columns(belief, order),
            _semantic_columns(
                np.zeros((3, len(margins)), dtype=np.float32) if senses is None else senses, order
            ),
        ]
    )
    if meaning is None:
        return order, found
    return order, np.hstack([found, _semantic_columns(meaning, order)])


def semantic_facts(
    cosine: NDArray[np.float32],
    example_class: NDArray[np.int32],
    official: NDArray[np.bool_],
    n_classes: int,
    among: NDArray[np.bool_] | None = None,
) -> NDArray[np.float32]:
    """3 × classes: the title's best embedding cosine to each class's examples, to its
    official titles, and the vote of the ``SEMANTIC_NEAREST`` nearest examples (only the
    examples ``among``, when given: a fold's)."""
    usable = np.ones(len(cosine), dtype=bool) if among is None else among
    out = np.full((3, n_classes), -1.0, dtype=np.float32)
    np.maximum.at(out[0], example_class[usable], cosine[usable])
    chosen = usable & official
    np.maximum.at(out[1], example_class[chosen], cosine[chosen])
    ranked = np.where(usable, cosine, -np.inf)
    nearest = np.argpartition(-ranked, min(SEMANTIC_NEAREST, len(ranked) - 1))[:SEMANTIC_NEAREST]
    nearest = nearest[np.isfinite(ranked[nearest])]
    out[2] = np.bincount(example_class[nearest], weights=cosine[nearest], minlength=n_classes)
    return out


def _semantic_columns(meaning: NDArray[np.float32], order: NDArray[np.intp]) -> NDArray[np.float32]:
    best, official, vote = meaning[0], meaning[1], meaning[2]
    mine = best[order]
    columns = [mine, mine - mine.max(), best.max() - mine, official[order], vote[order]]
    return np.vstack(columns).T.astype(np.float32)


def _candidates(
    margins: NDArray[np.float32],
    known: NDArray[np.float32],
    senses: NDArray[np.float32] | None = None,
) -> NDArray[np.intp]:
    """The ``CANDIDATES`` best classes by margin, then for each source the classes of its
    ``FROM_COUNTERPARTS`` nearest titles the model ranked lower, then the ``FROM_SENSES``
    classes not yet in whose examples are nearest by word vectors (``senses``, as in
    ``features``): the right class is then among the candidates for 98.1% of titles
    instead of 97.3%, and Acc@1 on the validation folds is 79.9 against 79.6% (better on
    each fold). (Where the title's role relation leads, ``roles``, would add right classes
    for 0.5% of titles, and lose as many elsewhere: Acc@1 77.5 against 77.7%.)"""
    order = np.argsort(-margins)[:CANDIDATES].tolist()
    chosen = set(order)
    for nearest in known[1 :: knowledge.PER_SOURCE]:
        for c in np.argsort(-nearest)[:FROM_COUNTERPARTS].tolist():
            if nearest[c] > 0 and c not in chosen:
                chosen.add(c)
                order.append(c)
    if senses is not None:
        near = senses[0]
        fresh = [c for c in np.argsort(-near).tolist() if near[c] > 0 and c not in chosen]
        order += fresh[:FROM_SENSES]
    return np.asarray(order, dtype=np.intp)


def _described(
    vectorizer: TfidfVectorizer | None,
    matrix: sp.csr_matrix | None,
    title: str,
    order: NDArray[np.intp],
) -> NDArray[np.float32]:
    """The title's cosine to each candidate's description (zeros without descriptions)."""
    if vectorizer is None or matrix is None:
        return np.zeros(len(order), dtype=np.float32)
    query = tfidf_row(vectorizer, title_key(title))
    return np.asarray((query @ matrix).todense(), dtype=np.float32).ravel()[order]


def _counterpart_columns(
    known: NDArray[np.float32], order: NDArray[np.intp]
) -> NDArray[np.float32]:
    """Per source: the vote for each candidate, its nearest title's cosine, and both against
    the best among the candidates and over all classes."""
    columns = []
    votes, nearests = known[0 :: knowledge.PER_SOURCE], known[1 :: knowledge.PER_SOURCE]
    for vote, nearest in zip(votes, nearests, strict=True):
        mine, near = vote[order], nearest[order]
        columns += [mine, near, near - near.max(), nearest.max() - near, mine - vote.max()]
    return np.vstack(columns).T.astype(np.float32)


def _digit(code: str, at: int) -> float:
    return float(code[at]) if len(code) > at and code[at].isdigit() else -1.0


HIDDEN = 32  # units of the network's hidden layer
ALPHA = 0.01  # its L2 penalty (the loss is per title)
MEMBERS = 1  # networks averaged: two scored as one (80.7 against 80.6% on the first fold)
ITERATIONS = 600  # L-BFGS steps per network (about two minutes): 1,500 changed nothing
# Chosen on the training titles' own rankings (two folds fit, the third judged), never on
# an evaluation's held-out titles. Five networks that judge each candidate alone
# (scikit-learn's MLPClassifier): Acc@1 79.6%, Acc@5 94.7%; one trained on each title's
# candidates together: 79.6% (79.8% in a float64 trial) and 94.8%, with one network
# where there were five (title p95 latency 15.9 → 13.8 ms) and scores that leave room
# for "none of them". On the first fold, penalties 0.0001 / 0.001 / 0.03 / 0.1 scored
# 77.5 / 78.7 / 80.1 / 79.6% against 80.6%, and 64 units 80.5%.


def _starts(counts: Sequence[int] | NDArray[np.intp]) -> NDArray[np.intp]:
    """Where each title's rows begin."""
    sizes = np.asarray(counts, dtype=np.intp)
    if len(sizes) == 0 or (sizes <= 0).any():
        raise ValueError("every title needs at least one candidate row")
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)


def _softmax_with_none(
    z: NDArray[np.floating], starts: NDArray[np.intp]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per title (its rows from each of ``starts``): P(candidate) and P(none of them), where
    "none" has the fixed score 0, so that a title whose candidates all score low gets low
    probabilities everywhere (scores stay comparable across titles)."""
    z = z.astype(np.float64)
    counts = np.diff(np.append(starts, len(z)))
    top = np.maximum(np.maximum.reduceat(z, starts), 0)
    exp = np.exp(z - np.repeat(top, counts))
    none = np.exp(-top)
    total = np.add.reduceat(exp, starts) + none
    return exp / np.repeat(total, counts), none / total


def _unpack(theta: NDArray[np.float64], features: int) -> tuple[NDArray[np.float64], ...]:
    """A network's weights from L-BFGS's flat vector: hidden weights and biases, output
    weights and bias."""
    cut = features * HIDDEN
    return (
        theta[:cut].reshape(features, HIDDEN),
        theta[cut : cut + HIDDEN],
        theta[cut + HIDDEN : -1],
        theta[-1:],
    )


def list_loss(
    x: NDArray[np.floating], right: NDArray[np.bool_], starts: NDArray[np.intp]
) -> Callable[[NDArray[np.float64]], tuple[float, NDArray[np.float64]]]:
    """The loss of a network (``HIDDEN`` rectified units) on titles' candidate lists, and its
    gradient: -log P(right candidate), or -log P(none) for a title whose right class is not
    among its candidates, averaged over titles, plus ``ALPHA`` / 2 × |weights|². Computed
    in ``x``'s precision (float32 in training: twice as fast)."""
    n_titles = len(starts)
    found = np.add.reduceat(right.astype(np.intp), starts) > 0
    target = right.astype(np.float64)
    kind = x.dtype

    def loss(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        w, b, v, c = _unpack(theta, x.shape[1])
        h = x @ w.astype(kind) + b.astype(kind)
        a = np.maximum(h, 0)
        p, none = _softmax_with_none(a @ v.astype(kind) + c[0], starts)
        value = -np.log(p[right] + 1e-30).sum() - np.log(none[~found] + 1e-30).sum()
        value = value / n_titles + ALPHA / 2 * (np.sum(w * w) + np.sum(v * v))
        dz = (p - target) / n_titles
        da = np.outer(dz, v).astype(kind) * (h > 0)
        grad = [
            (x.T @ da).ravel() + ALPHA * w.ravel(),
            da.sum(axis=0),
            a.T @ dz.astype(kind) + ALPHA * v,
            [dz.sum()],
        ]
        return float(value), np.concatenate([np.asarray(g, dtype=np.float64) for g in grad])

    return loss


def _network(
    x: NDArray[np.float32], right: NDArray[np.bool_], starts: NDArray[np.intp], seed: int
) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32], float]:
    """One network fit by L-BFGS (``ITERATIONS`` steps) to ``list_loss``."""
    from scipy.optimize import minimize

    features = x.shape[1]
    rng = np.random.default_rng(seed)
    start = np.concatenate(
        [
            rng.normal(0, np.sqrt(2 / features), features * HIDDEN),
            np.zeros(HIDDEN),
            rng.normal(0, np.sqrt(1 / HIDDEN), HIDDEN),
            [0.0],
        ]
    )
    loss = list_loss(x, right, starts)
    theta = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": ITERATIONS}).x
    w, b, v, c = _unpack(theta, features)
    return w.astype(np.float32), b.astype(np.float32), v.astype(np.float32), float(c[0])


@dataclass(frozen=True)
class Reranker:
    """Small neural networks (one hidden layer of rectified units each) over standardised
    features, averaged. Each scores every candidate of a title and is trained on the title's
    candidates together: a softmax over them and "none of them" (score 0) gives
    P(candidate is the right class). They weigh facts together — an O*NET title counts for
    more when the model is unsure — where a linear model can only add them. Kept as plain
    arrays (no pickles), one slice per network."""

    mean: NDArray[np.float32]
    scale: NDArray[np.float32]
    hidden: NDArray[np.float32]  # networks × features × units
    hidden_bias: NDArray[np.float32]  # networks × units
    out: NDArray[np.float32]  # networks × units
    out_bias: NDArray[np.float32]  # networks

    def probabilities(
        self, rows: NDArray[np.float32], counts: Sequence[int] | NDArray[np.intp] | None = None
    ) -> NDArray[np.float32]:
        """P(right) for each row: the candidates of one title, or of several titles in
        turn (``counts`` rows each)."""
        starts = np.zeros(1, dtype=np.intp) if counts is None else _starts(counts)
        x = (rows - self.mean) / self.scale
        units = np.maximum(np.einsum("rf,nfu->nru", x, self.hidden) + self.hidden_bias[:, None], 0)
        z = np.einsum("nru,nu->nr", units, self.out) + self.out_bias[:, None]
        found = [_softmax_with_none(member, starts)[0] for member in z]
        mean: NDArray[np.float32] = np.mean(found, axis=0).astype(np.float32)
        return mean

    @property
    def semantic(self) -> bool:
        """Whether it reads the title's embedding (``N_SEMANTIC`` more features)."""
        return bool(self.hidden.shape[1] == N_FEATURES + N_SEMANTIC)

    @classmethod
    def fit(
        cls,
        rows: NDArray[np.float32],
        right: NDArray[np.bool_],
        counts: Sequence[int] | NDArray[np.intp],
    ) -> Reranker:
        """Fit on titles' candidate rows (``counts`` per title, in order)."""
        mean = rows.mean(axis=0)
        scale = rows.std(axis=0)
        scale[scale == 0] = 1
        x = ((rows - mean) / scale).astype(np.float32)
        starts = _starts(counts)
        networks = [_network(x, right, starts, SEED + member) for member in range(MEMBERS)]
        return cls(
            mean.astype(np.float32),
            scale.astype(np.float32),
            np.stack([n[0] for n in networks]),
            np.stack([n[1] for n in networks]),
            np.stack([n[2] for n in networks]),
            np.array([n[3] for n in networks], dtype=np.float32),
        )

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez(
            buffer,
            mean=self.mean,
            scale=self.scale,
            hidden=self.hidden,
            hidden_bias=self.hidden_bias,
            out=self.out,
            out_bias=self.out_bias,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes, features: int = N_FEATURES) -> Reranker:
        found = np.load(io.BytesIO(payload), allow_pickle=False)
        if (
            "hidden" not in found
            or found["hidden"].ndim != 3
            or found["hidden"].shape[1] != features
        ):
            raise ValueError("the reranker was trained on other features")
        return cls(
            found["mean"],
            found["scale"],
            found["hidden"],
            found["hidden_bias"],
            found["out"],
            found["out_bias"],
        )


# feature rows, whether each candidate is right, and how many rows each title has
Rows = tuple[NDArray[np.float32], NDArray[np.bool_], NDArray[np.intp]]

# a title model's margins for a title, its cosine to each example, margins for its core
Scored = tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32] | None]


def folds(queries: Sequence[int], n: int = FOLDS) -> list[list[int]]:
    """The example positions of ``queries`` dealt into ``n`` folds (fixed seed)."""
    shuffled = list(queries)
    np.random.default_rng(SEED).shuffle(shuffled)
    return [shuffled[i::n] for i in range(n)]


def training_rows(
    held_out: Sequence[int],
    raw: Sequence[str],
    gold: Sequence[str],
    score: Callable[[str], Scored],
    example_class: NDArray[np.int32],
    classes: Sequence[str],
    facts: ClassFacts,
    known: Callable[[str], NDArray[np.float32] | None] = lambda title: None,
    meaning: Callable[[int], NDArray[np.float32] | None] = lambda position: None,
    senses: Callable[[int], NDArray[np.float32] | None] = lambda position: None,
) -> Rows:
    """Feature rows (and whether each candidate is right) for the held-out titles, scored
    by a model that never saw them (``score`` → margins, similarity to its examples and
    margins for the title's core; ``known``, ``meaning`` and ``senses`` the optional facts
    of ``features``)."""
    rows, right = [], []
    for position in held_out:
        margins, similarity, core = score(raw[position])
        title = raw[position]
        order, found = features(
            title,
            margins,
            similarity,
            example_class,
            classes,
            facts,
            known(title),
            meaning(position),
            core,
            senses(position),
        )
        rows.append(found)
        right.append(np.array([classes[c] == gold[position] for c in order.tolist()]))
    counts = np.array([len(r) for r in right], dtype=np.intp)
    return np.vstack(rows), np.concatenate(right), counts
