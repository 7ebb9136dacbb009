"""The "verify a credential" page and each credential's public page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcred.app import Microcred
from microcred.catalog import policy
from microcred.credentials.ob3 import Recipient
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from tests.conftest import listing_payload, make_org, make_user
from tests.web.conftest import csrf_of


@pytest.fixture
def issued(mc: Microcred) -> Any:
    college = make_org(mc, "Tamarack College", website="https://tamarack.example.ca/")
    staff = make_user(mc, Role.PROVIDER, college)
    listing = mc.catalog.create_listing(
        college.id, ListingData.model_validate(listing_payload()), actor=staff
    )
    return mc.credentials.issue(listing.id, Recipient.parse("learner@example.ca"), actor=staff)


def test_the_public_page_shows_the_credential(
    mc: Microcred, client: TestClient, issued: Any
) -> None:
    uuid = issued.credential_id.removeprefix("urn:uuid:")
    page = client.get(f"/badges/{uuid}")
    assert page.status_code == 200
    text = page.text
    assert "Data Analytics Foundations" in text and "Tamarack College" in text
    assert "has not been revoked" in text and "<svg" in text and "Numeracy" in text
    assert "linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in text
    assert "learner@example.ca" not in text
    download = client.get(f"/badges/{uuid}.json")
    assert download.json() == issued.document
    assert "attachment" in download.headers["content-disposition"]
    mc.credentials.set_state(issued.credential_id, "revoked", actor=policy.operator())
    assert "was revoked" in client.get(f"/badges/{uuid}").text
    assert client.get("/badges/not-a-uuid").status_code == 404
    assert client.get("/badges/2f1d0f4e-5c1a-4d0e-9b7a-3e6f1c2d4b5a").status_code == 404
    client.get("/lang/fr")
    assert "Télécharger" in client.get(f"/badges/{uuid}").text


def test_the_verify_page_checks_pasted_uploaded_and_linked_credentials(
    client: TestClient, issued: Any
) -> None:
    token = csrf_of(client, "/verify")
    text = json.dumps(issued.document)
    pasted = client.post(
        "/verify", data={"csrf_token": token, "credential": text, "recipient": "learner@example.ca"}
    )
    assert pasted.status_code == 200 and "every check passed" in pasted.text
    tampered = text.replace("Data Analytics Foundations", "Data Analytics Mastery")
    refused = client.post("/verify", data={"csrf_token": token, "credential": tampered})
    assert refused.status_code == 422 and "Failed" in refused.text
    uploaded = client.post(
        "/verify",
        data={"csrf_token": token},
        files={"file": ("c.json", text.encode(), "application/json")},
    )
    assert uploaded.status_code == 200
    uuid = issued.credential_id.removeprefix("urn:uuid:")
    linked = client.post(
        "/verify", data={"csrf_token": token, "link": f"http://testserver/badges/{uuid}"}
    )
    assert linked.status_code == 200
    elsewhere = client.post(
        "/verify", data={"csrf_token": token, "link": "https://evil.example/x.json"}
    )
    assert elsewhere.status_code == 422 and "only links to credentials issued" in elsewhere.text
    assert client.post("/verify", data={"csrf_token": token, "credential": "{"}).status_code == 422
    assert client.post("/verify", data={"csrf_token": token}).status_code == 422
    assert client.post("/verify", data={"credential": text}).status_code == 403
