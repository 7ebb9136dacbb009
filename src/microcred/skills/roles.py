"""Titles made from another job's title, and where NOC puts them.

"Coppersmith foreman/woman", "millwright helper", "compost facility manager": each names a
kind of job (its *key*: the head word when enough example titles share it, such as
"helper" or "inspector", else the kind of job its cue words say, ``anatomy.CUES``) done
on, for or beside another (its *core*: "coppersmith"). The title model knows where the
core goes (a coppersmith is a sheet metal worker, 72102) but not what NOC does with that
job's foremen (contractors and supervisors of metal trades, 72010, not 72102 itself).
``Roles`` learns it from the example titles: per key, where titles go given where the
model puts their core — P(class | key, core's class) — and tells the reranker, for each
candidate, how much of the core's belief leads there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from microcred.reference.files import title_key
from microcred.skills.anatomy import cue, head, stem
from microcred.skills.lexical import squash

MIN_HEAD = 15  # example titles sharing a head word for it to be a key of its own
CORE_CLASSES = 5  # the core's best classes, which carry its belief
COLUMNS = 4  # features per candidate (``Roles.columns``)
_GENDER = frozenset({"woman", "women", "man", "men"})  # "foreman/woman", "helmsman/woman"
_GENDERED = re.compile(r"/\s*(?:wo)?m[ae]n\b", re.IGNORECASE)

Margins = Callable[[Sequence[str]], NDArray[np.float32]]  # the model's, texts × classes


@dataclass(frozen=True)
class Roles:
    """Per key, classes × classes: where titles go (columns) given their core's (rows)."""

    heads: Counter[str]  # head word → example titles holding it
    relations: dict[str, sp.csr_matrix]

    def split(self, title: str) -> tuple[str, str] | None:
        """(key, core) of ``title``, or None when it names no kind of job we know."""
        folded = title_key(title).split()
        drop: Callable[[str], bool]
        the_head = head(_GENDERED.sub("", title))  # "foreman/woman": a foreman's title
        if self.heads[the_head] >= MIN_HEAD:
            key, drop = the_head, lambda w: stem(w) == the_head
        else:
            kinds = [k for k in map(cue, folded) if k is not None]
            if not kinds:
                return None
            kind = min(kinds)  # the first in ``CUES`` order: "chief engineer" is a chief
            key, drop = f"cue:{kind}", lambda w: cue(w) == kind
        core = [w for w in folded if not drop(w) and w not in _GENDER]
        return key, " ".join(core)

    def core(self, title: str) -> str | None:
        """What the model should score for ``title``'s core ("" when nothing is left)."""
        split = self.split(title)
        return None if split is None else split[1]

    @classmethod
    def build(
        cls, texts: Sequence[str], labels: Sequence[int], n_classes: int, margins: Margins
    ) -> Roles:
        """Learn the relations from example titles (``texts``, of class ``labels``), with the
        title model's ``margins`` for their cores."""
        found = cls(Counter(head(t) for t in texts), {})
        split = [(found.split(t), label) for t, label in zip(texts, labels, strict=True)]
        useful = [(s, label) for s, label in split if s is not None and s[1]]
        if not useful:
            return found
        belief = margins([s[1] for s, _ in useful])
        by_key: dict[str, tuple[list[int], list[int], list[float]]] = {}
        for ((key, _), label), row in zip(useful, belief, strict=True):
            best, weight = _belief(row)
            into = by_key.setdefault(key, ([], [], []))
            into[0].extend(best.tolist())
            into[1].extend([label] * len(best))
            into[2].extend(weight.tolist())
        relations = {}
        for key, (rows, columns, weights) in by_key.items():
            counts = sp.csr_matrix(
                (np.asarray(weights, dtype=np.float32), (rows, columns)),
                shape=(n_classes, n_classes),
            )
            totals = np.asarray(counts.sum(axis=1)).ravel()
            totals[totals == 0] = 1
            relations[key] = sp.csr_matrix(sp.diags(1 / totals) @ counts, dtype=np.float32)
        return cls(found.heads, relations)

    def belief(
        self, title: str, core_margins: NDArray[np.float32] | None
    ) -> NDArray[np.float32] | None:
        """3 × classes: the share of the core's belief the key's relation leads to each
        class, the core's own belief in it, and (in every column) how much of the core's
        belief the relation knows anything about. None when the title has no key or its
        core no known word (``core_margins``, the model's for ``core``, is None)."""
        split = self.split(title)
        if split is None or core_margins is None:
            return None
        out = np.zeros((3, len(core_margins)), dtype=np.float32)
        best, weight = _belief(core_margins)
        out[1, best] = weight
        relation = self.relations.get(split[0])
        if relation is not None:
            rows = relation[best]
            out[0] = np.asarray(rows.T @ weight).ravel()
            out[2] = min(1.0, float(weight[np.asarray(rows.sum(axis=1)).ravel() > 0].sum()))
        return out

    @staticmethod
    def columns(belief: NDArray[np.float32] | None, order: NDArray[np.intp]) -> NDArray[np.float32]:
        """``COLUMNS`` per candidate (``order``) from ``belief``: where the relation leads,
        that less the best candidate's, the core's own belief (-1 without a belief: no key
        or no known core) and how much of it the relation knows."""
        out = np.zeros((len(order), COLUMNS), dtype=np.float32)
        if belief is None:
            out[:, 2] = -1
            return out
        led = belief[0, order]
        out[:, 0], out[:, 1] = led, led - led.max()
        out[:, 2], out[:, 3] = belief[1, order], belief[2, order]
        return out


def _belief(margins: NDArray[np.float32]) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """The ``CORE_CLASSES`` best classes and their share of the model's (squashed) belief."""
    best = np.argsort(-margins)[:CORE_CLASSES]
    weight = squash(margins[best]).astype(np.float32)
    total = float(weight.sum())
    return best, (weight / total if total > 0 else weight)
