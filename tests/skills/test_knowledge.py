"""Other classifications' titles (``skills/knowledge.py``): what they say of a title, the
candidates they add to the second stage, and where they come from in the store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microcred.app import Microcred
from microcred.skills import corpus, knowledge, rerank
from microcred.skills.knowledge import Counterpart, Counterparts
from tests.reference import fixture_data

CLASSES = ["21231", "62201", "72106", "75110"]
TITLES = [
    Counterpart("onet", "Mortician", ("62201",)),
    Counterpart("onet", "Funeral Arranger", ("62201",)),
    Counterpart("onet", "Pipe Welder", ("72106",)),
    Counterpart("onet", "Trench Digger", ("75110", "72106")),  # two unit groups share it
    Counterpart("esco", "software engineer", ("21231",)),
    Counterpart("esco", "ingénieur logiciel", ("21231",)),
    Counterpart("esco", "somewhere else", ("99999",)),  # a class not matched: left out
]


def test_a_title_is_near_the_classes_its_counterparts_are_crosswalked_to() -> None:
    known = Counterparts(TITLES, CLASSES)
    assert known.size == 6
    facts = known.facts("morticians")
    assert facts.shape == (knowledge.PER_SOURCE * len(knowledge.SOURCES), len(CLASSES))
    esco_vote, esco_near, onet_vote, onet_near = facts
    assert not esco_vote.any() and not esco_near.any()
    assert onet_near.argmax() == CLASSES.index("62201") and 0.5 < onet_near.max() <= 1
    assert onet_vote.argmax() == CLASSES.index("62201")
    shared = known.facts("trench digger")[2]  # its vote is split between its two classes
    assert shared[CLASSES.index("75110")] == pytest.approx(shared[CLASSES.index("72106")])
    assert not known.facts("qqqq zzzz").any()
    assert not known.facts("").any()


def test_a_missing_source_gives_zeros_and_an_unknown_one_is_refused() -> None:
    only_esco = Counterparts([t for t in TITLES if t.source == "esco"], CLASSES)
    assert not only_esco.facts("mortician")[2:].any()
    assert only_esco.facts("software engineer")[1, 0] > 0.9
    assert not Counterparts([], CLASSES).facts("mortician").any()
    with pytest.raises(ValueError, match="unknown counterpart source 'isco'"):
        Counterparts([Counterpart("isco", "x", ("21231",))], CLASSES)


def test_counterparts_bring_candidates_the_model_ranked_too_low() -> None:
    n = rerank.CANDIDATES + 10
    margins = -np.arange(n, dtype=np.float32)  # class 0 best, the last class worst
    known = np.zeros((knowledge.PER_SOURCE * len(knowledge.SOURCES), n), dtype=np.float32)
    known[3, n - 1] = 0.9  # O*NET's nearest title points at the model's last class
    known[3, 2] = 0.8  # and at one already a candidate
    order = rerank._candidates(margins, known)
    assert order[: rerank.CANDIDATES].tolist() == list(range(rerank.CANDIDATES))
    assert order[rerank.CANDIDATES :].tolist() == [n - 1]


def test_the_store_gives_o_net_and_esco_titles_through_the_crosswalks(
    mc: Microcred, tmp_path: Path
) -> None:
    with mc.store.read() as conn:
        assert corpus.counterpart_titles(conn) == []  # nothing loaded: nothing known
    mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    with mc.store.read() as conn:
        found = corpus.counterpart_titles(conn)
    assert Counterpart("onet", "Pipe Welder", ("72106",)) in found
    assert Counterpart("onet", "Software Developers", ("21231",)) in found
    esco = {t.text for t in found if t.source == "esco"}
    assert {"welder", "soudeur/soudeuse"} <= esco  # labels of an occupation O*NET reaches
    assert all(t.classes for t in found)
