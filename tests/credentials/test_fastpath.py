"""The fast path (a cache of expanded shapes) agrees with full JSON-LD expansion on
thousands of generated credentials: same canonical N-Quads, or the same refusal."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.credentials.jsonld import to_quads, to_quads_general
from microcred.credentials.rdfc import PoisonGraph, canonicalize
from microcred.errors import InvalidInput

TEXT = st.one_of(
    st.text(min_size=0, max_size=30),
    st.sampled_from(
        [
            "Data Analytics",
            "Analytique des données 😀 Ａ",
            'a"b\\c\n\t',
            "2026",
            "Tamarack",
            "schema:name",
            "ex:thing",
            "_:b1",
            "",
            " ",
            "MicroCredential",
        ]
    ),
)
IRI = st.one_of(
    st.uuids().map(lambda u: f"urn:uuid:{u}"),
    st.sampled_from(
        [
            "https://example.ca/a",
            "https://example.ca/a#frag",
            "did:example:abc",
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "mailto:someone@example.ca",
            "relative/path",
            "xsd:string",
            "https://example.ca/a b",
        ]
    ),
)
DATE = st.one_of(
    st.datetimes(timezones=st.just(__import__("datetime").UTC)).map(
        lambda d: d.isoformat().replace("+00:00", "Z")
    ),
    st.sampled_from(["2026-01-01T00:00:00Z", "not a date", "2026-13-45"]),
)
POOL = st.shared(st.lists(st.one_of(TEXT, IRI), min_size=1, max_size=4), key="pool")


def value(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value, sometimes one drawn from a shared pool so that values repeat."""
    return st.one_of(strategy, POOL.flatmap(st.sampled_from))


@st.composite
def credentials(draw: st.DrawFn) -> dict[str, Any]:
    alignments = [
        {
            "type": ["Alignment"],
            "targetName": draw(value(TEXT)),
            "targetUrl": draw(value(IRI)),
            "targetCode": draw(value(TEXT)),
            "targetFramework": draw(TEXT),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    achievement: dict[str, Any] = {
        "id": draw(value(IRI)),
        "type": ["Achievement"],
        "achievementType": draw(st.sampled_from(["MicroCredential", "Badge", "Course"])),
        "name": draw(value(TEXT)),
        "description": draw(value(TEXT)),
        "criteria": {"narrative": draw(value(TEXT))},
    }
    if alignments:
        achievement["alignment"] = alignments
    if draw(st.booleans()):
        achievement["creditsAvailable"] = draw(
            st.one_of(st.integers(0, 120), st.floats(0, 120, allow_nan=False))
        )
    subject: dict[str, Any] = {"type": ["AchievementSubject"], "achievement": achievement}
    if draw(st.booleans()):
        subject["id"] = draw(value(IRI))
    else:
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "hashed": draw(st.booleans()),
                "identityHash": draw(value(TEXT)),
                "identityType": "emailAddress",
                "salt": draw(TEXT),
            }
        ]
    document: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": draw(
            st.one_of(
                value(IRI),
                st.builds(
                    lambda i, n: {"id": i, "type": ["Profile"], "name": n}, value(IRI), value(TEXT)
                ),
            )
        ),
        "validFrom": draw(DATE),
        "name": draw(value(TEXT)),
        "credentialSubject": subject,
    }
    if draw(st.booleans()):
        document["id"] = draw(value(IRI))
    if draw(st.booleans()):
        document["validUntil"] = draw(DATE)
    if draw(st.booleans()):
        document["unknownTerm"] = draw(TEXT)
    return document


def _outcome(function: Any, document: dict[str, Any]) -> str:
    try:
        return canonicalize(function(document))
    except PoisonGraph:
        return "poison"
    except InvalidInput as error:
        return f"refused: {error.message}"


@settings(
    max_examples=2500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(credentials())
def test_the_fast_path_agrees_with_full_expansion(document: dict[str, Any]) -> None:
    assert _outcome(to_quads, document) == _outcome(to_quads_general, document)


def test_documents_of_one_shape_share_one_cache_entry() -> None:
    from microcred.credentials import fastpath

    def document(name: str, subject: str) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:issuer",
            "validFrom": "2026-01-01T00:00:00Z",
            "name": name,
            "credentialSubject": {"id": subject},
        }

    fastpath.clear()
    first = to_quads(document("Shape test one", "did:example:a"))
    second = to_quads(document("Shape test two 😀", "did:example:b"))
    assert fastpath.cached() == 1
    assert second == to_quads_general(document("Shape test two 😀", "did:example:b"))
    assert first != second


def test_a_space_in_an_iri_is_refused_not_dropped() -> None:
    import pytest

    bad = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "https://example.ca/a b"},
    }
    for function in (to_quads, to_quads_general):
        with pytest.raises(InvalidInput, match="relative IRIs"):
            function(bad)


def test_an_iri_in_keyword_form_is_refused_by_both_paths() -> None:
    """ "@A" is no IRI but a form JSON-LD reserves for keywords: expansion would drop it
    (and pyld then fails on the gap); the reference's safe mode refuses it, as we do."""
    import pytest

    base = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "@A",  # a plain string: kept as a literal
        "credentialSubject": {"id": "did:example:a"},
    }
    for function in (to_quads, to_quads_general):
        assert function(base) == to_quads_general(base)
        for field, value in (
            ("id", "@A"),
            ("issuer", "@B"),
            ("type", ["VerifiableCredential", "@C"]),
        ):
            with pytest.raises(InvalidInput, match="keyword form are reserved: @"):
                function({**base, field: value})
