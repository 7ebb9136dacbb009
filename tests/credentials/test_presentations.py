"""Verifiable Presentations: signed by the holder for a verifier's challenge and domain, or
unsigned; every credential inside is verified too. One is signed by the reference stack."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from microcred.app import Microcred
from microcred.catalog import policy
from microcred.credentials import dataintegrity, did, multikey
from microcred.credentials.ob3 import Recipient
from microcred.domain.listing import ListingData
from tests.conftest import listing_payload, make_org

V2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture
def held(mc: Microcred) -> dict[str, Any]:
    holder = Ed25519PrivateKey.generate()
    college = make_org(mc, "Tamarack College")
    listing = mc.catalog.create_listing(
        college.id, ListingData.model_validate(listing_payload()), actor=policy.operator()
    )
    issued = mc.credentials.issue(
        listing.id, Recipient.parse(did.did_key(holder.public_key())), actor=policy.operator()
    )
    presentation = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": did.did_key(holder.public_key()),
        "verifiableCredential": [issued.document],
    }
    return {"key": holder, "presentation": presentation}


def _signed(
    held: dict[str, Any], challenge: str = "c-123", domain: str = "verifier.example"
) -> Any:
    return dataintegrity.sign(
        held["presentation"],
        held["key"],
        proof_purpose="authentication",
        extra={"challenge": challenge, "domain": domain},
    )


def test_a_signed_presentation_for_this_verifier_verifies(
    client: TestClient, held: dict[str, Any]
) -> None:
    body = {
        "verifiablePresentation": _signed(held),
        "options": {"challenge": "c-123", "domain": "verifier.example"},
    }
    response = client.post("/presentations/verify", json=body)
    assert response.status_code == 200, response.text
    checks = {c["check"]: c["outcome"] for c in response.json()["presentation"]["checks"]}
    assert checks == {
        "document": "pass",
        "jsonld": "pass",
        "proof": "pass",
        "challenge": "pass",
        "domain": "pass",
        "holder": "pass",
    }
    assert response.json()["credentials"][0]["verified"] is True


def test_replays_and_tampering_are_refused(client: TestClient, held: dict[str, Any]) -> None:
    replay = {
        "verifiablePresentation": _signed(held, challenge="old"),
        "options": {"challenge": "c-123", "domain": "verifier.example"},
    }
    assert client.post("/presentations/verify", json=replay).status_code == 422
    tampered = copy.deepcopy(_signed(held))
    tampered["verifiableCredential"][0]["name"] = "Something else"
    response = client.post(
        "/presentations/verify",
        json={"verifiablePresentation": tampered, "options": {"challenge": "c-123"}},
    )
    assert response.status_code == 422  # the presentation's own proof covers its credentials
    unsigned = {"verifiablePresentation": held["presentation"]}
    assert client.post("/presentations/verify", json=unsigned).status_code == 200
    unsigned["options"] = {"challenge": "c-123"}
    assert client.post("/presentations/verify", json=unsigned).status_code == 422


def test_a_presentation_signed_by_the_reference_stack_verifies(held: dict[str, Any]) -> None:
    from tests.credentials.test_interop import HARNESS, NODE, node

    if NODE is None or not (HARNESS / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        pytest.skip("the Node reference stack is not installed: cd tests/interop && npm ci")
    key = held["key"]
    signed = node(
        "present",
        multikey.private_multibase(key),
        multikey.public_multibase(key.public_key()),
        "c-9",
        "verifier.example",
        document=held["presentation"],
    )
    from microcred.credentials.presentation import verify_presentation

    report = verify_presentation(signed, challenge="c-9", domain="verifier.example")
    assert report.verified, report.as_json()
