"""did:web issuers: credentials name did:web:<host>:issuers:<slug>, its document is served in
the path form, rotation keeps the identifier, and every key — retired ones too — resolves."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey

from microcred import Microcred, Settings
from microcred.catalog import policy
from microcred.credentials.ob3 import Recipient
from microcred.credentials.verify import verify_credential
from microcred.domain.listing import ListingData
from microcred.errors import InvalidInput
from microcred.web.app import create_app
from tests.conftest import listing_payload, make_org

KEY = "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ="


def _web(settings: Settings, url: str, **extra: str) -> Settings:
    return settings.model_copy(update={"issuer_did": "web", "public_url": url, **extra})


def _listing(mc: Microcred) -> tuple[Any, Any]:
    """Tamarack College and one of its listings."""
    college = make_org(mc, "Tamarack College")
    listing = mc.catalog.create_listing(
        college.id, ListingData.model_validate(listing_payload()), actor=policy.operator()
    )
    return college, listing


def _issue(mc: Microcred, listing: Any, recipient: str = "did:example:a") -> Any:
    return mc.credentials.issue(listing.id, Recipient.parse(recipient), actor=policy.operator())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_did_web_issuers(settings: Settings) -> None:
    with Microcred(_web(settings, "https://portal.example.ca:8443")) as mc:
        college, listing = _listing(mc)
        first = _issue(mc, listing)
        controller = "did:web:portal.example.ca%3A8443:issuers:tamarack-college"
        assert first.document["issuer"]["id"] == controller
        assert first.document["proof"]["verificationMethod"].startswith(controller + "#z6Mk")
        mc.issuer_keys.rotate(college.id, actor=policy.operator())
        second = _issue(mc, listing, "did:example:b")
        assert second.document["issuer"]["id"] == controller
        for issued in (first, second):
            report = verify_credential(issued.document, resolve=mc.issuer_keys.resolve)
            assert report.verified, report.as_json()
        # Elsewhere (no access to this server's keys) the did:web is not fetched.
        assert not verify_credential(first.document).verified
        client = TestClient(create_app(mc))
        document = client.get("/issuers/tamarack-college/did.json").json()
        assert document["id"] == controller
        assert len(document["verificationMethod"]) == 2
        assert document["assertionMethod"] == [m["id"] for m in document["verificationMethod"]]
        assert client.get("/issuers/nobody/did.json").status_code == 404
        verified = client.post("/credentials/verify", json={"verifiableCredential": first.document})
        assert verified.status_code == 200


def test_did_web_needs_a_public_url() -> None:
    with pytest.raises(ValueError, match="MICROCRED_PUBLIC_URL"):
        Settings(issuer_did="web", key_secret=KEY)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_rs256_vc_jwt_from_a_did_web_issuer(settings: Settings) -> None:
    with Microcred(_web(settings, "https://portal.example.ca")) as mc:
        issued = _issue(mc, _listing(mc)[1])
        token = mc.issuer_keys.sign_jwt(issued.document, alg="RS256")
        header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
        controller = "did:web:portal.example.ca:issuers:tamarack-college"
        assert header["alg"] == "RS256" and header["kid"].startswith(controller + "#")
        report = mc.credentials.verify(token)
        assert report.verified, report.as_json()
        assert report.checks[0].why == "JWT signature valid (RS256)"
        # The RSA key is published in the issuer's DID document; an independent check with
        # that JWK (and nothing of ours) accepts the token.
        client = TestClient(create_app(mc))
        document = client.get("/issuers/tamarack-college/did.json").json()
        jwk = next(m for m in document["verificationMethod"] if m["id"] == header["kid"])
        assert jwk["type"] == "JsonWebKey2020" and "d" not in jwk["publicKeyJwk"]
        decoded = jwt.decode(token, RSAKey.import_key(jwk["publicKeyJwk"]), algorithms=["RS256"])
        assert decoded.claims["vc"]["id"] == issued.credential_id
        # The same RSA key signs again (one per provider until rotation); EdDSA still works.
        assert (
            json.loads(
                base64.urlsafe_b64decode(
                    mc.issuer_keys.sign_jwt(issued.document, alg="RS256").split(".")[0] + "=="
                )
            )["kid"]
            == header["kid"]
        )
        assert mc.credentials.verify(mc.issuer_keys.sign_jwt(issued.document)).verified
        # With both keys active, the Ed25519 one is still the one that signs proofs.
        held = mc.issuer_keys.find_active(controller)
        assert held is not None and held.algorithm == "Ed25519"
        with pytest.raises(InvalidInput, match="unknown JWT algorithm"):
            mc.issuer_keys.sign_jwt(issued.document, alg="HS256")
        # An RSA key is never accepted for a Data Integrity proof.
        forged = dict(
            issued.document, proof=dict(issued.document["proof"], verificationMethod=header["kid"])
        )
        assert "not an Ed25519 key" in mc.credentials.verify(forged).failed[0].why


def test_rs256_needs_did_web(mc: Microcred) -> None:
    issued = _issue(mc, _listing(mc)[1])
    with pytest.raises(InvalidInput, match="RS256 VC-JWTs need did:web issuers"):
        mc.issuer_keys.sign_jwt(issued.document, alg="RS256")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_root_issuer_is_the_host_itself(settings: Settings) -> None:
    root = _web(settings, "https://badges.example.ca", root_issuer="tamarack-college")
    with Microcred(root) as mc:
        issued = _issue(mc, _listing(mc)[1])
        other = make_org(mc, "Birch Institute")
        assert issued.document["issuer"]["id"] == "did:web:badges.example.ca"
        client = TestClient(create_app(mc))
        root = client.get("/.well-known/did.json")
        assert root.status_code == 200 and root.json()["id"] == "did:web:badges.example.ca"
        assert (
            root.json()["verificationMethod"][0]["id"]
            == issued.document["proof"]["verificationMethod"]
        )
        assert mc.credentials.verify(issued.document).verified
        mc.issuer_keys.ensure(other.id, actor=policy.operator())
        path = client.get("/issuers/birch-institute/did.json").json()
        assert path["id"] == "did:web:badges.example.ca:issuers:birch-institute"


def test_no_root_did_document_without_a_root_issuer(client: TestClient) -> None:
    assert client.get("/.well-known/did.json").status_code == 404
