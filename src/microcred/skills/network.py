"""The title model: a network with one hidden layer over a title's sparse features.

A title's TF-IDF features (and word vector) feed 512 rectified units, then a softmax over
the classes. Against the one-vs-rest linear SVM it replaces, on a further 20% of the
training titles (never the evaluation's held-out part): Acc@1 76.2 → 78.6%, Acc@5
93.0 → 95.2%. The hidden units share what the classes have in common ("helper",
"supervisor", "- metal products manufacturing"), where each SVM class learns alone.

The same hidden units also learn to tell apart other classifications' occupations from
their titles (``Related``: O*NET's and ESCO's, 82,000 titles), through a second softmax
dropped after training: they teach what words mean without claiming where NOC puts
them. First stage alone, same split: Acc@1 78.8 → 79.5%, Acc@5 95.1 → 95.6%.

Trained by minibatch Adam written out here: scikit-learn's ``MLPClassifier`` reaches the
same accuracy on these inputs but updates every one of the 70,000 × 512 first-layer
weights at every step (815 s against 107 s here); a step here updates only the rows of the
features its titles hold (lazy Adam, as sparse embedding layers are trained).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

HIDDEN = 512
EPOCHS = 15
MIN_STEPS = 300  # small sets (tests, small installations): more passes
BATCH = 256
RATE = 0.001
PENALTY = 1e-4  # L2, per example of a batch (as scikit-learn's ``alpha``)
SEED = 0
RELATED_WEIGHT = 0.5  # of the related titles' loss against the classes' own titles
CHUNK = 256  # titles scored at a time by a stored (float16) model
_B1, _B2, _EPS = 0.9, 0.999, 1e-8


@dataclass(frozen=True)
class TitleNetwork:
    """features × hidden, hidden, hidden × classes, classes. The first layer is float16
    once stored (``from_bytes``): half the memory of each process that loads it (77 MB
    instead of 154 MB), the rows a query needs widened when it is scored."""

    hidden: NDArray[np.float32] | NDArray[np.float16]
    hidden_bias: NDArray[np.float32]
    output: NDArray[np.float32]
    output_bias: NDArray[np.float32]

    @property
    def shape(self) -> tuple[int, int]:
        """(classes, features), as a linear model's weights."""
        return self.output.shape[1], self.hidden.shape[0]

    def log_probabilities(self, queries: sp.csr_matrix) -> NDArray[np.float32]:
        """queries × classes: each class's log-probability."""
        inner = _rectified(queries, self.hidden, self.hidden_bias)
        return np.asarray(_log_softmax(inner @ self.output + self.output_bias), dtype=np.float32)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez(
            buffer,
            hidden=self.hidden.astype(np.float16),
            hidden_bias=self.hidden_bias,
            output=self.output,
            output_bias=self.output_bias,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> TitleNetwork:
        found = np.load(io.BytesIO(payload), allow_pickle=False)
        return cls(
            found["hidden"].astype(np.float16, copy=False),  # stored so: no second copy
            found["hidden_bias"].astype(np.float32),
            found["output"].astype(np.float32),
            found["output_bias"].astype(np.float32),
        )


@dataclass(frozen=True)
class Related:
    """Titles of other classifications labelled in their own terms (``labels``: positions
    among ``n_classes`` of theirs): a second softmax over the same hidden units learns from
    them what titles mean, and is dropped after training."""

    docs: sp.csr_matrix
    labels: NDArray[np.int32]
    n_classes: int


def fit(
    docs: sp.csr_matrix,
    labels: NDArray[np.int32],
    n_classes: int,
    related: Related | None = None,
) -> TitleNetwork:
    """Train on ``docs`` (examples × features) labelled ``labels`` (class positions); with
    ``related``, each batch also holds as many of those titles (``RELATED_WEIGHT``)."""
    rng = np.random.default_rng(SEED)
    docs = sp.csr_matrix(docs, dtype=np.float32)
    n, width = docs.shape
    weights = [
        _glorot(rng, width, HIDDEN),
        np.zeros(HIDDEN, dtype=np.float32),
        _glorot(rng, HIDDEN, n_classes),
        np.zeros(n_classes, dtype=np.float32),
    ]
    if related is not None:
        weights += [
            _glorot(rng, HIDDEN, related.n_classes),
            np.zeros(related.n_classes, dtype=np.float32),
        ]
        others = sp.csr_matrix(related.docs, dtype=np.float32)
        dealt = rng.permutation(others.shape[0])
    first = [np.zeros_like(w) for w in weights]
    second = [np.zeros_like(w) for w in weights]
    step = 0
    per_epoch = -(-n // BATCH)
    for _ in range(max(EPOCHS, -(-MIN_STEPS // per_epoch))):
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            batch = order[start : start + BATCH]
            rows, targets = docs[batch], labels[batch]
            if related is not None:
                if len(dealt) < BATCH:
                    dealt = np.concatenate([dealt, rng.permutation(others.shape[0])])
                taken, dealt = dealt[:BATCH], dealt[BATCH:]
                rows = sp.vstack([rows, others[taken]], format="csr")
                targets = np.concatenate([targets, related.labels[taken]])
            used = np.unique(rows.indices)
            grads = _gradients(weights, rows, targets, used, len(batch))
            step += 1
            for i, grad in enumerate(grads):
                at = used if i == 0 else slice(None)
                m = _B1 * first[i][at] + (1 - _B1) * grad
                v = _B2 * second[i][at] + (1 - _B2) * grad * grad
                first[i][at], second[i][at] = m, v
                weights[i][at] -= (
                    RATE * (m / (1 - _B1**step)) / (np.sqrt(v / (1 - _B2**step)) + _EPS)
                )
    return TitleNetwork(*weights[:4])


def _gradients(
    weights: list[NDArray[np.float32]],
    rows: sp.csr_matrix,
    labels: NDArray[np.int32],
    used: NDArray[np.intp],
    main: int | None = None,
) -> list[NDArray[np.float32]]:
    """Cross-entropy gradients of one batch; the first layer's only for the ``used``
    features (the others' are zero but for the penalty, left for their own batches). The
    first ``main`` rows are the classes' titles; with six ``weights`` (a second output
    layer), the rest are related titles, their loss weighed by ``RELATED_WEIGHT``."""
    hidden, hidden_bias = weights[0], weights[1]
    k = rows.shape[0] if main is None else main
    inner = _rectified(rows, hidden, hidden_bias)
    back = np.zeros_like(inner)
    grads = []
    parts = [(slice(0, k), 1.0)] + ([(slice(k, None), RELATED_WEIGHT)] if len(weights) > 4 else [])
    for head, (at, weight) in enumerate(parts):
        output = weights[2 + 2 * head]
        p = np.exp(_log_softmax(inner[at] @ output + weights[3 + 2 * head]))
        p[np.arange(len(p)), labels[at]] -= 1
        p *= weight / k
        back[at] = p @ output.T
        grads += [inner[at].T @ p + PENALTY * output / k, p.sum(axis=0)]
    back *= inner > 0  # where the unit was rectified away, no gradient flows
    return [
        np.asarray(sp.csr_matrix(rows.T)[used] @ back) + PENALTY * hidden[used] / k,
        back.sum(axis=0),
        *grads,
    ]


def _rectified(
    rows: sp.csr_matrix,
    hidden: NDArray[np.float32] | NDArray[np.float16],
    hidden_bias: NDArray[np.float32],
) -> NDArray[np.float32]:
    """The hidden units of ``rows``, rectified: what scoring and training both start from."""
    rectified: NDArray[np.float32] = np.maximum(_first_layer(rows, hidden) + hidden_bias, 0)
    return rectified


def _log_softmax(z: NDArray[np.float32]) -> NDArray[np.float32]:
    z = z - z.max(axis=1, keepdims=True)
    logs: NDArray[np.float32] = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return logs


def _first_layer(
    rows: sp.csr_matrix, hidden: NDArray[np.float32] | NDArray[np.float16]
) -> NDArray[np.float32]:
    """``rows @ hidden`` in float32: from a float16 ``hidden``, only the rows of the features
    present are widened (``CHUNK`` titles at a time, so a batch never widens it all)."""
    if hidden.dtype != np.float16:
        return rows @ hidden  # type: ignore[no-any-return]
    rows = sp.csr_matrix(rows)
    out = np.empty((rows.shape[0], hidden.shape[1]), dtype=np.float32)
    for start in range(0, rows.shape[0], CHUNK):
        part = rows[start : start + CHUNK]
        used = np.unique(part.indices)
        out[start : start + CHUNK] = part[:, used] @ hidden[used].astype(np.float32)
    return out


def _glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> NDArray[np.float32]:
    limit = np.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)
