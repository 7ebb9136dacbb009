"""The VC API endpoints over HTTP: issue (pipeline or as given), verify (200 only when
verified), status updates and published status lists; provider-scoped authorization."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcred.app import Microcred
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from tests.conftest import listing_payload, make_org, make_user


@pytest.fixture
def site(mc: Microcred) -> dict[str, Any]:
    college, other = make_org(mc, "Tamarack College"), make_org(mc, "Other College")
    staff = make_user(mc, Role.PROVIDER, college)
    outsider = make_user(mc, Role.PROVIDER, other)
    listing = mc.catalog.create_listing(
        college.id, ListingData.model_validate(listing_payload()), actor=staff
    )

    def bearer(user: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {mc.accounts.issue_token(user.id, 't').secret}"}

    return {
        "college": college,
        "listing": listing,
        "staff": bearer(staff),
        "outsider": bearer(outsider),
        "staff_user": staff,
    }


def _issue(client: TestClient, site: dict[str, Any], who: str = "staff", key: str = "k") -> Any:
    return client.post(
        "/credentials/issue",
        json={
            "options": {
                "listingId": site["listing"].id,
                "recipient": "learner@example.ca",
                "issuanceKey": key,
            }
        },
        headers=site[who],
    )


def test_issue_then_verify_over_http(client: TestClient, site: dict[str, Any]) -> None:
    issued = _issue(client, site)
    assert issued.status_code == 201, issued.text
    credential = issued.json()["verifiableCredential"]
    assert _issue(client, site).json()["verifiableCredential"]["id"] == credential["id"]
    verified = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert verified.status_code == 200 and verified.json()["verified"] is True
    same = client.post("/api/v1/credentials/verify", json={"verifiableCredential": credential})
    assert same.status_code == 200
    tampered = copy.deepcopy(credential)
    tampered["name"] = "Something else"
    refused = client.post("/credentials/verify", json={"verifiableCredential": tampered})
    assert refused.status_code == 422
    assert refused.json()["verified"] is False and refused.json()["errors"][0].startswith("proof")


def test_issuing_is_scoped_to_the_provider(client: TestClient, site: dict[str, Any]) -> None:
    assert _issue(client, site, "outsider").status_code == 403
    anonymous = client.post(
        "/credentials/issue", json={"options": {"listingId": 1, "recipient": "did:ex:a"}}
    )
    assert anonymous.status_code == 401


def test_sign_a_given_credential_with_a_held_did_key(
    mc: Microcred, client: TestClient, site: dict[str, Any]
) -> None:
    key = mc.issuer_keys.ensure(site["college"].id, actor=site["staff_user"])
    for context, dates in (
        (["https://www.w3.org/ns/credentials/v2"], {"validFrom": "2026-01-01T00:00:00Z"}),
        (["https://www.w3.org/2018/credentials/v1"], {"issuanceDate": "2026-01-01T00:00:00Z"}),
    ):
        credential = {
            "@context": context,
            "type": ["VerifiableCredential"],
            "issuer": key.controller,
            **dates,
            "credentialSubject": {"id": "did:example:learner"},
        }
        signed = client.post(
            "/credentials/issue", json={"credential": credential}, headers=site["staff"]
        )
        assert signed.status_code == 201, signed.text
        document = signed.json()["verifiableCredential"]
        report = client.post("/credentials/verify", json={"verifiableCredential": document})
        checks = report.json()["checks"]
        assert next(c for c in checks if c["check"] == "proof") == {
            "check": "proof",
            "outcome": "pass",
            "why": "signature valid",
        }
    foreign = {**credential, "issuer": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}
    refused = client.post("/credentials/issue", json={"credential": foreign}, headers=site["staff"])
    assert refused.status_code == 422 and "not a key this server holds" in refused.text
    assert (
        client.post(
            "/credentials/issue", json={"credential": credential}, headers=site["outsider"]
        ).status_code
        == 403
    )
    undefined = {**credential, "colour": "blue"}
    assert (
        client.post(
            "/credentials/issue", json={"credential": undefined}, headers=site["staff"]
        ).status_code
        == 422
    )


def test_revocation_over_http(mc: Microcred, client: TestClient, site: dict[str, Any]) -> None:
    credential = _issue(client, site).json()["verifiableCredential"]
    change = {
        "credentialId": credential["id"],
        "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "revoked"}],
    }
    assert (
        client.post("/credentials/status", json=change, headers=site["outsider"]).status_code == 403
    )
    assert client.post("/credentials/status", json=change).status_code == 401
    done = client.post("/credentials/status", json=change, headers=site["staff"])
    assert done.status_code == 200 and done.json()["status"] == "revoked"
    report = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert report.status_code == 422 and "status: revocation" in report.json()["errors"][0]
    url = credential["credentialStatus"][0]["statusListCredential"]
    published = client.get("/credentials/status/" + url.rsplit("/", 1)[1])
    assert published.status_code == 200
    assert published.json()["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert client.get("/credentials/status/999999").status_code == 404


@pytest.mark.parametrize(
    "body", [{}, {"verifiableCredential": "not an object"}, {"verifiableCredential": {}}]
)
def test_bad_verify_requests_are_4xx(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/credentials/verify", json=body)
    assert 400 <= response.status_code < 500
