"""RDFC-1.0 on the W3C rdf-canon test suite (../shared/data), and on our own cases."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.credentials.rdfc import (
    PoisonGraph,
    blank,
    canonical_labels,
    canonicalize,
    canonicalize_nquads,
    iri,
    literal,
    parse_nquads,
    quad_nquads,
)
from microcred.errors import InvalidInput
from tests.conftest import SHARED_DATA

SUITE = SHARED_DATA / "standards" / "rdf-canon" / "tests"


def _cases() -> list[dict[str, str]]:
    if not (SUITE / "manifest.csv").is_file():
        return []
    with (SUITE / "manifest.csv").open(encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["test"].startswith("test")]


@pytest.mark.skipif(not _cases(), reason=f"the W3C rdf-canon suite is not at {SUITE}")
@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c['test']} {c['name']}")
def test_w3c_rdf_canon_suite(case: dict[str, str]) -> None:
    folder = SUITE / "rdfc10"
    source = (folder / f"{case['test']}-in.nq").read_text(encoding="utf-8")
    algorithm = (case["hashAlgorithm"] or "SHA256").lower().replace("-", "")
    if case["rdfc10"] == "RDFC10NegativeEvalTest":
        with pytest.raises(PoisonGraph):
            canonicalize_nquads(source, algorithm=algorithm)
        return
    expected = (folder / f"{case['test']}-rdfc10.nq").read_text(encoding="utf-8")
    assert canonicalize_nquads(source, algorithm=algorithm) == expected
    issued = folder / f"{case['test']}-rdfc10map.json"
    if issued.is_file():
        labels = canonical_labels(parse_nquads(source), algorithm=algorithm)
        assert labels == json.loads(issued.read_text(encoding="utf-8"))


def test_lines_sort_by_utf16_code_units_like_the_reference() -> None:
    # U+1F600 (a surrogate pair, 0xD83D…) sorts before U+FF21 in UTF-16, after it by code point.
    quads = [
        (iri("urn:s"), iri("urn:p"), literal("\U0001f600"), None),
        (iri("urn:s"), iri("urn:p"), literal("\uff21"), None),
    ]
    lines = canonicalize(quads).splitlines()
    assert lines == ['<urn:s> <urn:p> "\U0001f600" .', '<urn:s> <urn:p> "\uff21" .']


def test_control_characters_are_escaped_canonically() -> None:
    quad = (iri("urn:s"), iri("urn:p"), literal('a"\\\n\r\t\b\f\x00\x1f\x7fé'), None)
    assert (
        quad_nquads(quad) == '<urn:s> <urn:p> "a\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u001F\\u007Fé" .\n'
    )


def test_bad_nquads_name_the_line() -> None:
    with pytest.raises(InvalidInput, match="line 2"):
        parse_nquads("<urn:s> <urn:p> <urn:o> .\nnot a statement\n")


NODES = st.integers(0, 5).map(lambda i: blank(f"n{i}"))
IRIS = st.sampled_from([iri("urn:a"), iri("urn:b")])
QUADS = st.lists(
    st.tuples(
        st.one_of(NODES, IRIS), IRIS, st.one_of(NODES, IRIS, st.just(literal("x"))), st.just(None)
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(QUADS, st.randoms())
def test_relabelling_and_reordering_do_not_change_the_result(quads, rng) -> None:  # type: ignore[no-untyped-def]
    try:
        expected = canonicalize(quads)
    except PoisonGraph:
        return
    names = [f"n{i}" for i in range(6)]
    shuffled = names[:]
    rng.shuffle(shuffled)
    rename = dict(zip(names, (f"x{n}" for n in shuffled), strict=True))

    def relabel(term):  # type: ignore[no-untyped-def]
        return blank(rename[term[1]]) if term is not None and term[0] == "blank" else term

    moved = [(relabel(s), p, relabel(o), g) for s, p, o, g in quads]
    rng.shuffle(moved)
    assert canonicalize(moved) == expected


def test_a_clique_of_blank_nodes_is_refused_quickly() -> None:
    nodes = [blank(f"e{i}") for i in range(10)]
    quads = [(a, iri("http://example.com/p"), b, None) for a in nodes for b in nodes]
    with pytest.raises(PoisonGraph, match="poison"):
        canonicalize(quads)


def test_the_suite_folder_layout_is_what_we_expect() -> None:
    if not _cases():
        pytest.skip(f"the W3C rdf-canon suite is not at {SUITE}")
    assert len(_cases()) >= 60
    assert Path(SUITE / "rdfc10").is_dir()
