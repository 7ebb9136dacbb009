"""Interoperability with the reference stack (@digitalbazaar/vc with eddsa-rdfc-2022, and
panva's jose for VC-JWTs, run by Node from tests/interop): what microcred signs verifies
there, what it signs verifies here, and a one-character change fails on both sides."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from microcred.credentials import dataintegrity, did, multikey

HARNESS = Path(__file__).parents[1] / "interop"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(
    NODE is None or not (HARNESS / "node_modules" / "@digitalbazaar" / "vc").is_dir(),
    reason="the Node reference stack is not installed: cd tests/interop && npm ci",
)


def node(*args: str, document: dict[str, Any]) -> dict[str, Any]:
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(HARNESS / "vc.mjs"), *args],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def credential(issuer: str) -> dict[str, Any]:
    """An Open Badges 3.0 credential with text that sorts differently by code point and
    by UTF-16 code unit (an emoji and a full-width letter)."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:2f1d0f4e-5c1a-4d0e-9b7a-3e6f1c2d4b5a",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Collège Tamarack"},
        "validFrom": "2026-11-29T00:00:00Z",
        "name": "Analytique des données 😀 Ａ",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": "sha256$2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": "pepper",
                }
            ],
            "achievement": {
                "id": "urn:uuid:8c6f2d5e-0000-4000-8000-000000000001",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "name": "Data Analytics Ａ 😀",
                "description": "Clean data, write SQL, build a dashboard.",
                "criteria": {"narrative": "Pass the capstone project."},
            },
        },
    }


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_what_microcred_signs_verifies_in_the_reference_stack(key: Ed25519PrivateKey) -> None:
    signed = dataintegrity.sign(credential(did.did_key(key.public_key())), key)
    assert node("verify", document=signed) == {"verified": True, "error": None}
    tampered = copy.deepcopy(signed)
    tampered["name"] = tampered["name"].replace("des", "dès")
    assert node("verify", document=tampered)["verified"] is False


def test_what_the_reference_stack_signs_verifies_in_microcred(key: Ed25519PrivateKey) -> None:
    public = multikey.public_multibase(key.public_key())
    signed = node(
        "sign",
        multikey.private_multibase(key),
        public,
        document=credential(did.did_key(key.public_key())),
    )
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    check = dataintegrity.verify(signed)
    assert check.verified, check.reason
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Data Analytics A 😀"
    assert not dataintegrity.verify(tampered).verified


def test_vc_1_1_credentials_interoperate_both_ways(key: Ed25519PrivateKey) -> None:
    issuer = did.did_key(key.public_key())
    v1 = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0f4c8e8a-1b2c-4d3e-8f9a-0b1c2d3e4f50",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Tamarack"},
        "issuanceDate": "2026-11-29T00:00:00Z",
        "name": "Welding safety",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:1a2b3c4d-0000-4000-8000-000000000002",
                "type": ["Achievement"],
                "name": "Welding safety",
                "criteria": {"narrative": "Practical test."},
            },
        },
    }
    ours = dataintegrity.sign(v1, key)
    assert node("verify", document=ours) == {"verified": True, "error": None}
    theirs = node(
        "sign",
        multikey.private_multibase(key),
        multikey.public_multibase(key.public_key()),
        document=v1,
    )
    check = dataintegrity.verify(theirs)
    assert check.verified, check.reason


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_credentials_from_the_issuing_pipeline_verify_in_the_reference_stack(
    mc: Any,
) -> None:
    from microcred.catalog import policy
    from microcred.credentials.ob3 import Recipient
    from microcred.domain.listing import ListingData
    from tests.conftest import listing_payload, make_org

    college = make_org(mc, "Collège Tamarack", website="https://tamarack.example.ca/")
    listing = mc.catalog.create_listing(
        college.id,
        ListingData.model_validate(listing_payload(credits="1.5", title_en="Données 😀 Ａ")),
        actor=policy.operator(),
    )
    for recipient in ("learner@example.ca", "did:example:learner"):
        issued = mc.credentials.issue(
            listing.id, Recipient.parse(recipient), actor=policy.operator()
        )
        assert node("verify", document=issued.document) == {"verified": True, "error": None}
    # A CLR 2.0 learner record bundling them verifies there too; a change inside fails.
    record = mc.credentials.clr(
        college.slug, Recipient.parse("did:example:learner"), actor=policy.operator()
    )
    assert node("verify", document=record) == {"verified": True, "error": None}
    tampered = copy.deepcopy(record)
    tampered["credentialSubject"]["verifiableCredential"][0]["name"] += "!"
    assert node("verify", document=tampered)["verified"] is False


def test_relative_types_are_refused_like_the_reference_safe_mode() -> None:
    from microcred.credentials.jsonld import to_quads
    from microcred.errors import InvalidInput

    document = credential("did:example:issuer")
    document["credentialSchema"] = [
        {"id": "https://example.org/schema.json", "type": "1EdTechJsonSchemaValidator2019"}
    ]
    with pytest.raises(InvalidInput, match="relative IRIs"):
        to_quads(document)


@pytest.mark.parametrize("where", ["credential", "achievement"])
def test_iris_in_keyword_form_are_refused_like_the_reference_safe_mode(
    key: Ed25519PrivateKey, where: str
) -> None:
    from microcred.credentials.jsonld import to_quads
    from microcred.errors import InvalidInput

    document = credential(did.did_key(key.public_key()))
    target = document if where == "credential" else document["credentialSubject"]["achievement"]
    target["id"] = "@A"  # JSON-LD reserves "@" and letters for keywords
    signed = node(
        "sign",
        multikey.private_multibase(key),
        multikey.public_multibase(key.public_key()),
        document=document,
    )
    assert "proof" not in signed and "Safe mode" in signed["error"]
    with pytest.raises(InvalidInput, match="keyword form are reserved: @A"):
        to_quads(document)


def test_vc_jwts_interoperate_with_panvas_jose(key: Ed25519PrivateKey) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from joserfc.jwk import OKPKey, RSAKey

    from microcred.credentials import jose

    document = credential(did.did_key(key.public_key()))
    method = did.verification_method(key.public_key())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_method = "did:web:tamarack.example.ca#rsa-1"
    keys = {
        "EdDSA": (key, method, OKPKey.import_key(key)),
        "RS256": (rsa_key, rsa_method, RSAKey.import_key(rsa_key)),
    }
    for alg, (secret, kid, jwk) in keys.items():
        public = json.dumps(jwk.as_dict(private=False))
        # Ours verifies in jose; one changed character does not.
        token = jose.sign(document, secret, kid=kid)
        there = node("jwt-verify", public, alg, document={"token": token})
        assert there["verified"] and there["vc"]["id"] == document["id"], there
        head, body, signature = token.split(".")
        flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
        assert not node("jwt-verify", public, alg, document={"token": f"{head}.{body}.{flipped}"})[
            "verified"
        ]
        # jose's verifies here, the key found from the kid as a DID document would give it.
        made = node("jwt-sign", json.dumps(jwk.as_dict(private=True)), alg, kid, document=document)
        check, carried = jose.verify(
            made["token"],
            resolve=lambda m: rsa_key.public_key() if m == rsa_method else did.resolve_key(m),
        )
        assert check.verified and carried is not None, check.reason
        assert check.reason == f"JWT signature valid ({alg})" and carried["id"] == document["id"]
