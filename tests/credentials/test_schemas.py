"""The official JSON Schemas: installed once (here from this repository's own small fixtures
in the official files' format: 1EdTech's files are not bundled), then applied before signing
and reported when verifying; skipped, and saying so, until installed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcred.app import Microcred
from microcred.credentials import schemas
from microcred.credentials.ob3 import Recipient
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from microcred.errors import InvalidInput
from tests.conftest import FIXTURES, listing_payload, make_org, make_user

FOLDER = FIXTURES / "schemas"


@pytest.fixture
def site(mc: Microcred) -> dict[str, Any]:
    college = make_org(mc, "Tamarack College")
    staff = make_user(mc, Role.PROVIDER, college)
    listing = mc.catalog.create_listing(
        college.id, ListingData.model_validate(listing_payload()), actor=staff
    )
    token = mc.accounts.issue_token(staff.id, "t").secret
    return {"staff": staff, "listing": listing, "headers": {"Authorization": f"Bearer {token}"}}


def _checks(report: Any) -> dict[str, tuple[str, str]]:
    return {c.name: (c.outcome, c.why) for c in report.checks}


def test_schemas_are_applied_once_installed(mc: Microcred, site: dict[str, Any]) -> None:
    issued = mc.credentials.issue(
        site["listing"].id, Recipient.parse("did:example:a"), actor=site["staff"]
    )
    before = _checks(mc.credentials.verify(issued.document))["schema"]
    assert before[0] == "skip" and "not installed" in before[1]
    installed = mc.credentials.schemas.fetch(folder=FOLDER)
    assert {s.url for s in installed} == set(schemas.OFFICIAL)
    assert _checks(mc.credentials.verify(issued.document))["schema"] == (
        "pass",
        "valid against ob_v3p0_achievementcredential_schema.json",
    )
    # A new issue passes the schema before it is signed.
    again = mc.credentials.issue(
        site["listing"].id, Recipient.parse("did:example:b"), actor=site["staff"]
    )
    assert mc.credentials.verify(again.document).verified
    broken = copy.deepcopy(issued.document)
    del broken["credentialSubject"]["achievement"]["criteria"]
    outcome, why = _checks(mc.credentials.verify(broken))["schema"]
    assert outcome == "fail"
    assert why == "credentialSubject/achievement: 'criteria' is a required property"
    # Installing again replaces, never duplicates.
    mc.credentials.schemas.fetch(folder=FOLDER)
    assert len(mc.credentials.schemas.installed()) == 3


def test_the_api_refuses_to_sign_what_breaks_the_schema(
    client: TestClient, mc: Microcred, site: dict[str, Any]
) -> None:
    mc.credentials.schemas.fetch(folder=FOLDER)
    key = mc.issuer_keys.ensure(site["listing"].organization_id, actor=site["staff"])
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0b1f6a52-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": key.controller, "type": ["Profile"], "name": "Tamarack"},
        "validFrom": "2026-11-29T00:00:00Z",
        "name": "Welding",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:0b1f6a52-0000-4000-8000-000000000002",
                "type": ["Achievement"],
                "name": "Welding",
                "criteria": {"narrative": "Pass."},
            },
        },
    }
    refused = client.post(
        "/credentials/issue", json={"credential": credential}, headers=site["headers"]
    )
    assert refused.status_code == 422, refused.text
    assert "'description' is a required property" in refused.text
    credential["credentialSubject"]["achievement"]["description"] = "Safe welding."
    signed = client.post(
        "/credentials/issue", json={"credential": credential}, headers=site["headers"]
    )
    assert signed.status_code == 201, signed.text


def test_what_is_not_a_schema_is_refused(mc: Microcred, tmp_path: Path) -> None:
    store = mc.credentials.schemas
    for data, why in [
        (b"{", "not JSON"),
        (b"[]", "no \\$schema"),
        (json.dumps({"$schema": "https://json-schema.org/draft/2019-09/schema", "type": 5}).encode(),
         "not a valid JSON Schema"),
    ]:  # fmt: skip
        with pytest.raises(InvalidInput, match=why):
            store.install(schemas.OB_ACHIEVEMENT, data, "test")
    with pytest.raises(InvalidInput, match="is missing"):
        store.fetch(folder=tmp_path)
    assert store.installed() == []


def test_the_cli_installs_and_lists_schemas(mc: Microcred, cli: Any) -> None:
    done = cli("credentials", "schemas", "fetch", "--from", str(FOLDER))
    assert done.exit_code == 0, done.output
    listed = cli("credentials", "schemas", "list", "--json")
    assert [row["url"] for row in json.loads(listed.stdout)] == sorted(schemas.OFFICIAL)
