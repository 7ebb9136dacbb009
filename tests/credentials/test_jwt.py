"""VC-JWT: EdDSA from the issuing pipeline, RS256 with a header JWK, over the API and CLI."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey

from microcred.app import Microcred
from microcred.credentials import jose
from microcred.credentials.verify import parse, verify_credential
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from tests.conftest import SHARED_DATA, listing_payload, make_org, make_user


@pytest.fixture
def staff(mc: Microcred) -> dict[str, Any]:
    college = make_org(mc, "Tamarack College")
    user = make_user(mc, Role.PROVIDER, college)
    listing = mc.catalog.create_listing(
        college.id, ListingData.model_validate(listing_payload()), actor=user
    )
    token = mc.accounts.issue_token(user.id, "t").secret
    return {"listing": listing, "headers": {"Authorization": f"Bearer {token}"}}


def test_issue_as_jwt_then_verify(client: TestClient, staff: dict[str, Any]) -> None:
    issued = client.post(
        "/credentials/issue",
        json={
            "options": {
                "listingId": staff["listing"].id,
                "recipient": "did:example:a",
                "format": "jwt_vc",
            }
        },
        headers=staff["headers"],
    )
    assert issued.status_code == 201, issued.text
    token = issued.json()["verifiableCredential"]
    assert isinstance(token, str) and jose.looks_like_jwt(token)
    verified = client.post("/credentials/verify", json={"verifiableCredential": token})
    assert verified.status_code == 200, verified.text
    assert verified.json()["checks"][0]["why"] == "JWT signature valid (EdDSA)"
    head, body, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    refused = client.post(
        "/credentials/verify", json={"verifiableCredential": f"{head}.{body}.{flipped}"}
    )
    assert refused.status_code == 422
    bad = client.post(
        "/credentials/issue", json={"options": {"format": "cwt"}}, headers=staff["headers"]
    )
    assert bad.status_code == 422


def test_rs256_with_a_header_jwk_verifies() -> None:
    key = RSAKey.generate_key(2048)
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:11111111-2222-4333-8444-555555555555",
        "type": ["VerifiableCredential"],
        "issuer": "https://issuer.example/profile",
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    public = key.as_dict(private=False)
    token = jwt.encode(
        {"alg": "RS256", "typ": "JWT", "jwk": public}, jose.claims_for(credential), key
    )
    report = verify_credential(parse(token))
    proof = next(c for c in report.checks if c.name == "proof")
    assert proof.outcome == "pass" and "RS256" in proof.why
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        other = jwt.encode(
            {"alg": "RS256", "jwk": public},
            {**jose.claims_for(credential), "iss": "https://evil.example"},
            key,
        )
    assert (
        "does not match"
        in next(c for c in verify_credential(other).checks if c.name == "proof").why
    )


def test_a_credential_as_the_whole_payload_verifies() -> None:
    # VC-JOSE-COSE (vc+jwt): the payload is the credential itself, with no vc claim.
    key = RSAKey.generate_key(2048)
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:11111111-2222-4333-8444-555555555556",
        "type": ["VerifiableCredential"],
        "issuer": "https://issuer.example/profile",
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    token = jwt.encode(
        {"alg": "RS256", "typ": "vc+jwt", "jwk": key.as_dict(private=False)},
        {**credential, "iss": credential["issuer"], "nbf": 1767225600},
        key,
    )
    check, carried = jose.verify(token)
    assert check.verified and carried == credential, check.reason


JWT_CASE = SHARED_DATA / "standards" / "ob3" / "validator-cases" / "simple.jwt"


@pytest.mark.skipif(not JWT_CASE.is_file(), reason=f"1EdTech JWT case not at {JWT_CASE}")
def test_the_1edtech_jwt_names_no_key_we_can_resolve() -> None:
    # OB 3.0 § 8.2.4.1: without a kid the header MUST carry the public key as jwk.
    report = verify_credential(parse(JWT_CASE.read_text(encoding="utf-8")))
    assert report.failed[0].name == "proof" and "names no key" in report.failed[0].why


def test_the_cli_verifies_a_jwt(
    mc: Microcred, staff: dict[str, Any], cli: Any, tmp_path: Any
) -> None:
    from microcred.catalog import policy
    from microcred.credentials.ob3 import Recipient

    issued = mc.credentials.issue(
        staff["listing"].id, Recipient.parse("did:example:b"), actor=policy.operator()
    )
    path = tmp_path / "badge.jwt"
    path.write_text(mc.issuer_keys.sign_jwt(issued.document), encoding="utf-8")
    result = cli("credentials", "verify", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verified"] is True
