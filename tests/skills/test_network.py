"""The title model's network: its hand-written gradient and what it learns."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from microcred.skills import network


def _loss(weights: list[np.ndarray], rows: sp.csr_matrix, labels: np.ndarray) -> float:
    """Mean cross-entropy plus the L2 penalty, from the model's own log-probabilities."""
    k = rows.shape[0]
    logp = network.TitleNetwork(*weights).log_probabilities(rows).astype(np.float64)
    penalty = network.PENALTY / (2 * k) * sum(float((w**2).sum()) for w in (weights[0], weights[2]))
    return float(-logp[np.arange(k), labels].mean()) + penalty


def _layers(rng: np.random.Generator, *heads: int) -> list[np.ndarray]:
    """Random weights: 5 features → 4 hidden units → each head's classes."""
    weights = [rng.normal(size=(5, 4)), rng.normal(size=4) * 0.1]
    for classes in heads:
        weights += [rng.normal(size=(4, classes)), rng.normal(size=classes) * 0.1]
    return weights


def _assert_derivative(
    weights: list[np.ndarray],
    grads: list[np.ndarray],
    loss: Callable[[], float],
    step: float,
    tolerance: float,
) -> None:
    """Each gradient entry against the loss's central difference at that weight."""
    for w, g in zip(weights, grads, strict=True):
        for index in np.ndindex(w.shape):
            saved = w[index]
            w[index] = saved + step
            up = loss()
            w[index] = saved - step
            down = loss()
            w[index] = saved
            assert abs((up - down) / (2 * step) - g[index]) < tolerance


def test_the_gradient_is_the_loss_s_derivative() -> None:
    """Every feature is used by the batch, so the lazy first-layer gradient is the whole."""
    rng = np.random.default_rng(1)
    rows = sp.csr_matrix(rng.uniform(0.1, 1, size=(6, 5)))
    labels = np.array([0, 2, 1, 2, 0, 1], dtype=np.int32)
    weights = _layers(rng, 3)
    grads = network._gradients(weights, rows, labels, np.arange(5))
    # the log-probabilities are float32
    _assert_derivative(weights, grads, lambda: _loss(weights, rows, labels), 1e-3, 1e-3)


def _both_loss(weights: list[np.ndarray], rows: sp.csr_matrix, labels: np.ndarray) -> float:
    """Three classes' titles (rows 0–2) and three related titles (rows 3–5), related
    labels among two: each head's summed cross-entropy over the classes' title count."""
    before = rows.toarray() @ weights[0] + weights[1]
    inner = np.maximum(before, 0)
    total = 0.0
    for head, (at, weight) in enumerate([(slice(0, 3), 1.0), (slice(3, 6), 0.5)]):
        z = inner[at] @ weights[2 + 2 * head] + weights[3 + 2 * head]
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        total -= weight * logp[np.arange(3), labels[at]].sum()
    penalty = sum(float((w**2).sum()) for w in (weights[0], weights[2], weights[4]))
    return total / 3 + network.PENALTY / (2 * 3) * penalty


def test_the_gradient_with_related_titles_is_the_loss_s_derivative() -> None:
    rng = np.random.default_rng(6)
    rows = sp.csr_matrix(rng.uniform(0.1, 1, size=(6, 5)))
    labels = np.array([0, 2, 1, 1, 0, 1], dtype=np.int32)
    weights = _layers(rng, 3, 2)
    assert network.RELATED_WEIGHT == 0.5
    grads = network._gradients(weights, rows, labels, np.arange(5), 3)
    _assert_derivative(weights, grads, lambda: _both_loss(weights, rows, labels), 1e-5, 1e-5)


def test_it_learns_classes_that_share_words_and_survives_storage() -> None:
    """Three classes over six features, each title holding its class's word and noise."""
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 3, size=120).astype(np.int32)
    dense = rng.uniform(0, 0.3, size=(120, 6))
    dense[np.arange(120), labels] += 1  # the class's own word
    docs = sp.csr_matrix(dense, dtype=np.float32)
    model = network.fit(docs, labels, 3)
    assert model.shape == (3, 6)
    found = model.log_probabilities(docs).argmax(axis=1)
    assert (found == labels).mean() > 0.95
    again = network.TitleNetwork.from_bytes(model.to_bytes())  # the first layer in float16
    assert again.hidden.dtype == np.float16  # and so it stays in memory
    assert np.allclose(again.log_probabilities(docs), model.log_probabilities(docs), atol=1e-2)


def test_a_stored_model_scores_batches_as_it_scores_titles_one_by_one() -> None:
    """A float16 first layer is widened a chunk of titles at a time: same log-probabilities
    as the float32 model, whatever the chunking."""
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 4, size=600).astype(np.int32)
    docs = sp.random(600, 40, density=0.1, format="csr", random_state=4, dtype=np.float32)
    model = network.fit(docs, labels, 4)
    stored = network.TitleNetwork.from_bytes(model.to_bytes())
    batch = stored.log_probabilities(docs)  # more than one chunk
    assert docs.shape[0] > network.CHUNK
    single = np.vstack([stored.log_probabilities(docs[i]) for i in range(0, 600, 97)])
    assert np.allclose(batch[::97], single, atol=1e-6)
    assert np.allclose(batch, model.log_probabilities(docs), atol=1e-2)


def test_related_titles_train_the_shared_units_and_leave_only_the_classes_head() -> None:
    """Another classification's titles (TitleIndex.train_model's ``related``) change what
    the first layer learns; the model keeps our classes' head alone, and related titles of
    no known n-gram are left out."""
    from microcred.skills.lexical import TitleIndex

    texts = ["funeral director", "funeral home director", "software developer", "web developer"]
    index = TitleIndex(texts * 3, ["62201", "62201", "21231", "21231"] * 3)
    plain = index.train_model()
    related = [("funeral director assistant", "onet:a"), ("web software", "onet:b")] * 4
    taught = index.train_model([*related, ("§§", "onet:c")])
    assert taught.shape == plain.shape and taught.shape[0] == 2
    assert not np.allclose(taught.hidden, plain.hidden)
    index.use_model(taught)
    best = index.margins(index.vector("funeral director")).argmax()
    assert index.classes[best] == "62201"
    assert index._related([("§§", "onet:c")]) is None
