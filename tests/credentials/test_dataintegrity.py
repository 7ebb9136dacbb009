"""eddsa-rdfc-2022 Data Integrity proofs: the W3C test vectors byte for byte, 1EdTech's
validator credentials, tampering, and documents that cannot be read exactly."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from microcred.credentials import contexts, dataintegrity, did, multikey
from microcred.credentials.jsonld import to_quads
from microcred.errors import InvalidInput
from tests.conftest import SHARED_DATA

VECTORS = SHARED_DATA / "standards" / "vc-di-eddsa" / "TestVectors"
VALIDATOR = SHARED_DATA / "standards" / "ob3" / "validator-cases"
needs_vectors = pytest.mark.skipif(
    not VECTORS.is_dir(), reason=f"W3C vc-di-eddsa test vectors not found at {VECTORS}"
)
needs_validator = pytest.mark.skipif(
    not VALIDATOR.is_dir(), reason=f"1EdTech validator cases not found at {VALIDATOR}"
)


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _text(name: str) -> str:
    return (VECTORS / "eddsa-rdfc-2022" / name).read_text(encoding="utf-8").strip()


@needs_vectors
def test_w3c_eddsa_rdfc_2022_vectors_byte_for_byte() -> None:
    keys = _json(VECTORS / "keyPair.json")
    key = multikey.private_key(keys["privateKeyMultibase"])
    assert multikey.public_multibase(key.public_key()) == keys["publicKeyMultibase"]
    unsigned = _json(VECTORS / "unsigned.json")
    options = _json(VECTORS / "eddsa-rdfc-2022" / "proofConfigDataInt.json")
    document = dataintegrity.canonical_document(unsigned)
    config = dataintegrity.canonical_proof_config(options, unsigned["@context"])
    assert document.strip() == _text("canonDocDataInt.txt")
    assert config.strip() == _text("proofCanonDataInt.txt")
    assert hashlib.sha256(document.encode()).hexdigest() == _text("docHashDataInt.txt")
    assert hashlib.sha256(config.encode()).hexdigest() == _text("proofHashDataInt.txt")
    assert dataintegrity.hash_data(config, document).hex() == _text("combinedHashDataInt.txt")
    signed = dataintegrity.sign(
        unsigned,
        key,
        verification_method=options["verificationMethod"],
        created=options["created"],
    )
    assert multikey.decode_base58btc(signed["proof"]["proofValue"]).hex() == _text(
        "sigHexDataInt.txt"
    )
    assert signed["proof"]["proofValue"] == _text("sigBTC58DataInt.txt")
    assert signed == _json(VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json")


@needs_vectors
def test_the_signed_vector_verifies_and_any_change_breaks_it() -> None:
    signed = _json(VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json")
    assert dataintegrity.verify(signed).verified
    for change in (
        lambda d: d.update(name="Alumni Credentia1"),
        lambda d: d["credentialSubject"].update(alumniOf="The School of Exampels"),
        lambda d: d["proof"].update(created="2023-02-24T23:36:39Z"),
        lambda d: d.update(validFrom="2023-01-01T00:00:01Z"),
    ):
        tampered = copy.deepcopy(signed)
        change(tampered)
        check = dataintegrity.verify(tampered)
        assert not check.verified and "does not match" in check.reason


def test_a_fresh_key_signs_and_verifies_round_trip() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did.did_key(key.public_key()), "type": ["Profile"], "name": "Collège"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Analyse de données 😀",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:8c6f2d5e-0000-4000-8000-000000000001",
                "type": ["Achievement"],
                "name": "Data analytics",
                "criteria": {"narrative": "Pass the capstone."},
                "description": "SQL, statistics, dashboards.",
            },
        },
    }
    signed = dataintegrity.sign(credential, key)
    assert signed["proof"]["verificationMethod"].startswith("did:key:z6Mk")
    assert dataintegrity.verify(signed).verified
    assert did.resolve_key(signed["proof"]["verificationMethod"]).public_bytes_raw() == (
        key.public_key().public_bytes_raw()
    )


@needs_validator
def test_1edtech_did_key_credential_verifies() -> None:
    check = dataintegrity.verify(_json(VALIDATOR / "simple-did-key-method.json"))
    assert check.verified, check.reason


@needs_validator
def test_1edtech_eddsa_2022_is_the_draft_name_of_eddsa_rdfc_2022() -> None:
    # Its key is published at an https URL on example.com; the fragment is that key.
    check = dataintegrity.verify(
        _json(VALIDATOR / "simple-eddsa-2022.json"),
        resolve=lambda m: multikey.public_key(m.rpartition("#")[2]),
    )
    assert check.verified and "draft name" in check.reason, check.reason


def test_undefined_terms_are_refused_not_dropped() -> None:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "favouriteColour": "blue",
    }
    with pytest.raises(InvalidInput) as caught:
        to_quads(document)
    assert [p.location for p in caught.value.problems] == ["favouriteColour"]


def test_unknown_contexts_are_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown JSON-LD context"):
        to_quads({"@context": ["https://attacker.example/context.json"], "type": ["X"]})


def test_every_bundled_context_matches_its_recorded_digest() -> None:
    for url, entry in contexts.manifest().items():
        assert contexts.load(url), url
        assert len(entry["sha256"]) == 64
    assert contexts.known("https://www.w3.org/ns/credentials/v2")
    assert contexts.known("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")


def test_expansion_is_safe_from_many_threads_at_once() -> None:
    # Web workers verify on a thread pool; pyld's shared context caches are not thread-safe.
    from concurrent.futures import ThreadPoolExecutor

    documents = [
        {
            "@context": [context, *extra],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:issuer",
            "credentialSubject": {"id": f"did:example:{i}"},
        }
        for i, (context, extra) in enumerate(
            [
                ("https://www.w3.org/ns/credentials/v2", []),
                ("https://www.w3.org/2018/credentials/v1", []),
                (
                    "https://www.w3.org/ns/credentials/v2",
                    ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                ),
                ("https://www.w3.org/ns/credentials/v2", ["https://w3id.org/security/multikey/v1"]),
            ]
            * 30
        )
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda d: len(to_quads(d)), documents))
    assert len(counts) == 120 and min(counts) >= 2


@needs_vectors
@pytest.mark.parametrize(
    ("suite", "folder", "suffix"),
    [
        ("eddsa-jcs-2022", "eddsa-jcs-2022", "JCS"),
        ("Ed25519Signature2020", "Ed25519Signature2020", "EdSig"),
    ],
)
def test_w3c_vectors_for_the_other_suites(suite: str, folder: str, suffix: str) -> None:
    keys = _json(VECTORS / "keyPair.json")
    key = multikey.private_key(keys["privateKeyMultibase"])
    options = _json(VECTORS / folder / f"proofConfig{suffix}.json")
    unsigned = {**_json(VECTORS / "unsigned.json"), "@context": options["@context"]}
    text = (VECTORS / folder / f"canonDoc{suffix}.txt").read_text(encoding="utf-8").strip()
    assert dataintegrity.canonical_document(unsigned, suite).strip() == text
    signed = dataintegrity.sign(
        unsigned,
        key,
        verification_method=options["verificationMethod"],
        created=options["created"],
        suite=suite,
    )
    expected = _json(VECTORS / folder / f"signed{suffix}.json")
    assert signed["proof"]["proofValue"] == expected["proof"]["proofValue"]
    assert dataintegrity.verify(expected).verified
    tampered = copy.deepcopy(expected)
    tampered["credentialSubject"]["alumniOf"] = "Another School"
    assert not dataintegrity.verify(tampered).verified


def test_endorsements_are_verified_with_the_credential() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from microcred.credentials.verify import verify_credential

    issuer, endorser = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    contexts_ = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    achievement_id = "urn:uuid:8c6f2d5e-0000-4000-8000-000000000003"
    endorsement = dataintegrity.sign(
        {
            "@context": contexts_,
            "id": "urn:uuid:8c6f2d5e-0000-4000-8000-000000000004",
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "issuer": {
                "id": did.did_key(endorser.public_key()),
                "type": ["Profile"],
                "name": "Welders' Association",
            },
            "validFrom": "2026-01-01T00:00:00Z",
            "name": "Endorsement",
            "credentialSubject": {
                "id": achievement_id,
                "type": ["EndorsementSubject"],
                "endorsementComment": "Meets our standard.",
            },
        },
        endorser,
    )

    def credential(with_endorsement: dict[str, Any]) -> dict[str, Any]:
        return dataintegrity.sign(
            {
                "@context": contexts_,
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": {
                    "id": did.did_key(issuer.public_key()),
                    "type": ["Profile"],
                    "name": "Tamarack",
                },
                "validFrom": "2026-01-01T00:00:00Z",
                "name": "Welding safety",
                "credentialSubject": {
                    "type": ["AchievementSubject"],
                    "achievement": {
                        "id": achievement_id,
                        "type": ["Achievement"],
                        "name": "Welding safety",
                        "criteria": {"narrative": "Practical test."},
                        "endorsement": [with_endorsement],
                    },
                },
            },
            issuer,
        )

    good = verify_credential(credential(endorsement))
    assert good.verified and good.checks[-1].name == "endorsements"
    forged = copy.deepcopy(endorsement)
    forged["credentialSubject"]["endorsementComment"] = "The best."
    bad = verify_credential(credential(forged))
    # A forged endorsement is reported and disregarded; the credential itself still holds.
    endorsements = next(c for c in bad.checks if c.name == "endorsements")
    assert bad.verified and endorsements.outcome == "skip"
    assert "disregarded" in endorsements.why and "proof" in endorsements.why
