"""did:web issuers: credentials name did:web:<host>:issuers:<slug>, its document is served in
the path form, rotation keeps the identifier, and every key — retired ones too — resolves."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from microcred import Microcred, Settings
from microcred.catalog import policy
from microcred.credentials.ob3 import Recipient
from microcred.credentials.verify import verify_credential
from microcred.domain.listing import ListingData
from microcred.web.app import create_app
from tests.conftest import listing_payload, make_org

KEY = "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ="


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_did_web_issuers(settings: Settings) -> None:
    web = settings.model_copy(
        update={"issuer_did": "web", "public_url": "https://portal.example.ca:8443"}
    )
    with Microcred(web) as mc:
        college = make_org(mc, "Tamarack College")
        listing = mc.catalog.create_listing(
            college.id, ListingData.model_validate(listing_payload()), actor=policy.operator()
        )
        first = mc.credentials.issue(
            listing.id, Recipient.parse("did:example:a"), actor=policy.operator()
        )
        controller = "did:web:portal.example.ca%3A8443:issuers:tamarack-college"
        assert first.document["issuer"]["id"] == controller
        assert first.document["proof"]["verificationMethod"].startswith(controller + "#z6Mk")
        mc.issuer_keys.rotate(college.id, actor=policy.operator())
        second = mc.credentials.issue(
            listing.id, Recipient.parse("did:example:b"), actor=policy.operator()
        )
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
