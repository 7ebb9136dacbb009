"""Stackability: listings that together complete a larger credential, as a graph.

Providers state what a listing "stacks into" (a certificate or diploma, by name; CTDL
``isPartOf``). The larger credential is a node keyed by (provider, name); its members are
that provider's active listings naming it. It is complete when every member is held or
planned: a provider that lists a member offers it as part of the whole.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from microcred.planner.index import CatalogIndex, StackKey
from microcred.planner.model import StackProgress


def touched(index: CatalogIndex, rows: Iterable[int]) -> list[StackKey]:
    """The larger credentials any of ``rows`` stacks into."""
    found: dict[StackKey, None] = {}
    for row in rows:
        for key in index.row_stacks.get(int(row), ()):
            found[key] = None
    return list(found)


def completable(
    index: CatalogIndex,
    keys: Iterable[StackKey],
    eligible: np.ndarray,
    held: set[int],
    *,
    max_members: int,
) -> dict[StackKey, list[int]]:
    """For each credential the plan could complete, its members still to take (rows).

    Those with a member neither held nor eligible (another province, over budget…), with
    nothing left to take, or with more than ``max_members`` left are left out."""
    out = {}
    for key in keys:
        members = [int(r) for r in index.stacks[key] if int(r) not in held]
        if members and len(members) <= max_members and all(eligible[r] for r in members):
            out[key] = members
    return out


def progress(
    index: CatalogIndex,
    planned: set[int],
    held: set[int],
    names: dict[int, str],
) -> list[StackProgress]:
    """Progress toward every larger credential the planned or held listings stack into."""
    result = []
    for key in touched(index, planned | held):
        members = {int(r) for r in index.stacks[key]}
        result.append(
            StackProgress(
                name=key[1],
                provider=names.get(key[0], ""),
                members=len(members),
                held=len(members & held),
                planned=len(members & planned),
            )
        )
    result.sort(key=lambda s: (not s.complete, -(s.held + s.planned) / s.members, s.name))
    return result
