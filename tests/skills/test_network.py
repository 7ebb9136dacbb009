"""The title model's network: its hand-written gradient and what it learns."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from microcred.skills import network


def _loss(weights: list[np.ndarray], rows: sp.csr_matrix, labels: np.ndarray) -> float:
    """Mean cross-entropy plus the L2 penalty, from the model's own log-probabilities."""
    k = rows.shape[0]
    logp = network.TitleNetwork(*weights).log_probabilities(rows).astype(np.float64)
    penalty = network.PENALTY / (2 * k) * sum(float((w**2).sum()) for w in (weights[0], weights[2]))
    return float(-logp[np.arange(k), labels].mean()) + penalty


def test_the_gradient_is_the_loss_s_derivative() -> None:
    """Every feature is used by the batch, so the lazy first-layer gradient is the whole."""
    rng = np.random.default_rng(1)
    rows = sp.csr_matrix(rng.uniform(0.1, 1, size=(6, 5)))
    labels = np.array([0, 2, 1, 2, 0, 1], dtype=np.int32)
    hidden = 4
    weights = [
        rng.normal(size=(5, hidden)),
        rng.normal(size=hidden) * 0.1,
        rng.normal(size=(hidden, 3)),
        rng.normal(size=3) * 0.1,
    ]
    used = np.arange(5)
    grads = network._gradients(weights, rows, labels, used)
    step = 1e-3  # the log-probabilities are float32
    for w, g in zip(weights, grads, strict=True):
        for index in np.ndindex(w.shape):
            saved = w[index]
            w[index] = saved + step
            up = _loss(weights, rows, labels)
            w[index] = saved - step
            down = _loss(weights, rows, labels)
            w[index] = saved
            assert abs((up - down) / (2 * step) - g[index]) < 1e-3


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
