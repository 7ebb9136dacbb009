"""CLR 2.0 learner records: a provider bundles a learner's active credentials into one signed
ClrCredential; verifying it checks the record and every credential inside."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcred.app import Microcred
from microcred.credentials.dataintegrity import canonical_document
from microcred.credentials.ob3 import Recipient
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from microcred.errors import Forbidden, NotFound
from tests.conftest import SHARED_DATA, listing_payload, make_org, make_user

CLR_VECTOR = SHARED_DATA / "standards" / "ob3" / "test-vectors" / "clrv2p0" / "document-canon.txt"


@pytest.fixture
def learner(mc: Microcred) -> dict[str, Any]:
    college = make_org(mc, "Tamarack College")
    other = make_org(mc, "Other College")
    staff = make_user(mc, Role.PROVIDER, college)
    outsider = make_user(mc, Role.PROVIDER, other)
    listings = [
        mc.catalog.create_listing(
            college.id,
            ListingData.model_validate(listing_payload(external_id=f"TEST-{n}")),
            actor=staff,
        )
        for n in range(3)
    ]
    issued = [
        mc.credentials.issue(listing.id, Recipient.parse("learner@example.ca"), actor=staff)
        for listing in listings
    ]
    mc.credentials.issue(listings[0].id, Recipient.parse("someone@example.ca"), actor=staff)
    mc.credentials.set_state(issued[2].credential_id, "revoked", actor=staff)
    token = mc.accounts.issue_token(staff.id, "t").secret
    return {
        "college": college,
        "staff": staff,
        "outsider": outsider,
        "issued": issued,
        "headers": {"Authorization": f"Bearer {token}"},
    }


def test_a_learner_record_bundles_the_active_credentials(
    mc: Microcred, learner: dict[str, Any]
) -> None:
    record = mc.credentials.clr(
        "tamarack-college", Recipient.parse("Learner@Example.ca"), actor=learner["staff"]
    )
    assert record["type"] == ["VerifiableCredential", "ClrCredential"]
    subject = record["credentialSubject"]
    assert subject["type"] == ["ClrSubject"] and "id" not in subject
    bundled = [c["id"] for c in subject["verifiableCredential"]]
    assert bundled == [i.credential_id for i in learner["issued"][:2]]  # the revoked one is not
    assert len(subject["achievement"]) == 2
    report = mc.credentials.verify(record, recipient="learner@example.ca")
    assert report.verified, report.as_json()
    outcomes = {c.name: c.outcome for c in report.checks}
    assert outcomes["proof"] == "pass" and outcomes["credentials"] == "pass"
    assert not mc.credentials.verify(record, recipient="someone@example.ca").verified
    tampered = copy.deepcopy(record)
    tampered["credentialSubject"]["verifiableCredential"][1]["name"] = "Something else"
    failed = {c.name for c in mc.credentials.verify(tampered).failed}
    assert failed == {"proof", "credentials"}


def test_who_may_have_a_learner_record(mc: Microcred, learner: dict[str, Any]) -> None:
    with pytest.raises(Forbidden):
        mc.credentials.clr(
            "tamarack-college", Recipient.parse("learner@example.ca"), actor=learner["outsider"]
        )
    with pytest.raises(NotFound, match="no active credential"):
        mc.credentials.clr(
            "tamarack-college", Recipient.parse("nobody@example.ca"), actor=learner["staff"]
        )


@pytest.mark.skipif(not CLR_VECTOR.is_file(), reason=f"1EdTech CLR vector not at {CLR_VECTOR}")
def test_the_record_speaks_the_vocabulary_of_1edtechs_clr_vector(
    mc: Microcred, learner: dict[str, Any]
) -> None:
    record = mc.credentials.clr(
        "tamarack-college", Recipient.parse("learner@example.ca"), actor=learner["staff"]
    )
    clr_terms = re.compile(r"<(https://purl\.imsglobal\.org/spec/vc/clr/vocab\.html#\w+)>")
    ours = set(clr_terms.findall(canonical_document(record)))
    theirs = set(clr_terms.findall(CLR_VECTOR.read_text(encoding="utf-8")))
    assert ours and ours <= theirs, ours - theirs


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_api_and_cli_deliver_a_learner_record(
    client: TestClient, learner: dict[str, Any], cli: Any, tmp_path: Path
) -> None:
    made = client.post(
        "/credentials/clr",
        json={"provider": "tamarack-college", "recipient": "learner@example.ca"},
        headers=learner["headers"],
    )
    assert made.status_code == 201, made.text
    record = made.json()["verifiableCredential"]
    verified = client.post("/credentials/verify", json={"verifiableCredential": record})
    assert verified.status_code == 200, verified.text
    anonymous = client.post(
        "/credentials/clr", json={"provider": "tamarack-college", "recipient": "learner@example.ca"}
    )
    assert anonymous.status_code == 401
    path = tmp_path / "clr.json"
    done = cli(
        "credentials", "clr", "--provider", "tamarack-college",
        "--recipient", "learner@example.ca", "--output", str(path),
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    checked = cli("credentials", "verify", str(path), "--json")
    assert checked.exit_code == 0 and json.loads(checked.stdout)["verified"] is True
