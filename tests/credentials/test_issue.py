"""The issuing pipeline on a real store (SQLite and PostgreSQL): compose → validate → sign →
verify → record, idempotency, status lists, revocation and suspension, key rotation, the
verification report, and authorization."""

from __future__ import annotations

import copy
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from microcred.app import Microcred
from microcred.credentials import dataintegrity, did, multikey, status
from microcred.credentials.ob3 import Recipient
from microcred.credentials.verify import verify_credential
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from microcred.errors import Conflict, Forbidden, InvalidInput, Unauthorized
from microcred.store.schema import issued_credentials, issuer_keys
from tests.conftest import SHARED_DATA, listing_payload, make_org, make_user


@pytest.fixture
def setting(mc: Microcred) -> dict[str, Any]:
    college = make_org(mc, "Tamarack College", website="https://tamarack.example.ca/")
    other = make_org(mc, "Other College")
    staff = make_user(mc, Role.PROVIDER, college)
    outsider = make_user(mc, Role.PROVIDER, other)
    listing = mc.catalog.create_listing(
        college.id, ListingData.model_validate(listing_payload(credits="1.5")), actor=staff
    )
    return {"college": college, "staff": staff, "outsider": outsider, "listing": listing}


def test_issue_compose_sign_verify_record(mc: Microcred, setting: dict[str, Any]) -> None:
    issued = mc.credentials.issue(
        setting["listing"].id,
        Recipient.parse("Learner@Example.ca"),
        actor=setting["staff"],
        issuance_key="cohort-2027-01",
    )
    document = issued.document
    assert issued.created and document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["creditsAvailable"] == 1.5 and achievement["humanCode"] == "TEST-1"
    assert achievement["alignment"][0]["targetCode"] == "F01c01"
    assert document["issuer"]["name"] == "Tamarack College"
    assert document["issuer"]["id"].startswith("did:key:z6Mk")
    identity = document["credentialSubject"]["identifier"][0]
    assert identity["hashed"] and "learner" not in json.dumps(document).lower()
    assert [s["statusPurpose"] for s in document["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    report = verify_credential(
        document, status_lookup=mc.credentials.status, recipient="learner@example.ca"
    )
    assert report.verified, report.as_json()
    assert {c.name: c.outcome for c in report.checks} == {
        "document": "pass",
        "jsonld": "pass",
        "proof": "pass",
        "issuer": "pass",
        "validity": "pass",
        "status": "pass",
        "recipient": "pass",
    }
    assert not verify_credential(document, recipient="someone@else.ca").verified


def test_a_retried_request_never_issues_twice(mc: Microcred, setting: dict[str, Any]) -> None:
    args = (setting["listing"].id, Recipient.parse("did:example:learner"))
    first = mc.credentials.issue(*args, actor=setting["staff"], issuance_key="k1")
    again = mc.credentials.issue(*args, actor=setting["staff"], issuance_key="k1")
    assert again.credential_id == first.credential_id and not again.created
    other = mc.credentials.issue(*args, actor=setting["staff"], issuance_key="k2")
    assert other.credential_id != first.credential_id
    with mc.store.read() as conn:
        assert len(conn.execute(select(issued_credentials.c.id)).all()) == 2


def test_only_the_providers_staff_may_issue(mc: Microcred, setting: dict[str, Any]) -> None:
    recipient = Recipient.parse("did:example:x")
    with pytest.raises(Forbidden):
        mc.credentials.issue(setting["listing"].id, recipient, actor=setting["outsider"])
    with pytest.raises(Unauthorized):
        mc.credentials.issue(setting["listing"].id, recipient, actor=None)
    with pytest.raises(InvalidInput, match="neither a DID nor an email"):
        Recipient.parse("not a person")


def test_revoke_suspend_reinstate_through_the_status_lists(
    mc: Microcred, setting: dict[str, Any]
) -> None:
    issued = mc.credentials.issue(
        setting["listing"].id, Recipient.parse("did:example:a"), actor=setting["staff"]
    )
    find = mc.credentials.status
    mc.credentials.set_state(issued.credential_id, "suspended", actor=setting["staff"])
    report = verify_credential(issued.document, status_lookup=find)
    assert [c.why for c in report.failed] == [report.failed[0].why]
    assert report.failed[0].name == "status" and report.failed[0].why.startswith("suspension")
    mc.credentials.set_state(issued.credential_id, "active", actor=setting["staff"])
    assert verify_credential(issued.document, status_lookup=find).verified
    with pytest.raises(Forbidden):
        mc.credentials.set_state(issued.credential_id, "revoked", actor=setting["outsider"])
    mc.credentials.set_state(issued.credential_id, "revoked", actor=setting["staff"])
    assert (
        verify_credential(issued.document, status_lookup=find)
        .failed[0]
        .why.startswith("revocation")
    )
    with pytest.raises(Conflict):
        mc.credentials.set_state(issued.credential_id, "active", actor=setting["staff"])
    # The published list says the same, signed by the issuer.
    entry = issued.document["credentialStatus"][0]
    list_id = int(entry["statusListCredential"].rsplit("/", 1)[1])
    published = mc.credentials.status_list_credential(list_id)
    bits = status.decode(published["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 131_072 and status.bit(bits, int(entry["statusListIndex"]))
    assert dataintegrity.verify(published).verified


def test_status_indices_never_collide_under_concurrent_issuance(
    mc: Microcred, setting: dict[str, Any]
) -> None:
    def one(i: int) -> str:
        return mc.credentials.issue(
            setting["listing"].id, Recipient.parse(f"did:example:{i}"), actor=setting["staff"]
        ).credential_id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(one, range(24)))
    assert len(set(ids)) == 24
    with mc.store.read() as conn:
        slots = conn.execute(
            select(issued_credentials.c.status_list_id, issued_credentials.c.status_index)
        ).all()
    assert len(set(slots)) == 24


def test_rotated_keys_still_verify_old_credentials_and_never_leak(
    mc: Microcred, setting: dict[str, Any]
) -> None:
    old = mc.credentials.issue(
        setting["listing"].id, Recipient.parse("did:example:a"), actor=setting["staff"]
    )
    rotated = mc.issuer_keys.rotate(setting["college"].id, actor=setting["staff"])
    new = mc.credentials.issue(
        setting["listing"].id, Recipient.parse("did:example:b"), actor=setting["staff"]
    )
    assert new.document["proof"]["verificationMethod"] == rotated.verification_method
    assert old.document["proof"]["verificationMethod"] != rotated.verification_method
    assert verify_credential(old.document).verified and verify_credential(new.document).verified
    keys = mc.issuer_keys.list(setting["college"].id)
    assert [k.retired_at is None for k in keys] == [True, False]
    assert "secret" not in json.dumps([vars(k) for k in keys], default=str).lower()
    with mc.store.read() as conn:
        token = conn.execute(select(issuer_keys.c.secret_encrypted)).scalars().first()
    assert token and bytes(token).startswith(b"gAAAA")  # a Fernet token, not a raw key
    with pytest.raises(Forbidden):
        mc.issuer_keys.rotate(setting["college"].id, actor=setting["outsider"])


def test_tampering_and_dates_are_reported_precisely(mc: Microcred, setting: dict[str, Any]) -> None:
    issued = mc.credentials.issue(
        setting["listing"].id,
        Recipient.parse("did:example:a"),
        actor=setting["staff"],
        valid_until=datetime.now(UTC) + timedelta(days=1),
    )
    tampered = copy.deepcopy(issued.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    assert [c.name for c in verify_credential(tampered).failed] == ["proof"]
    later = datetime.now(UTC) + timedelta(days=2)
    assert [c.name for c in verify_credential(issued.document, now=later).failed] == ["validity"]
    undefined = {**issued.document, "favouriteColour": "blue"}
    report = verify_credential(undefined)
    assert [c.name for c in report.failed] == ["jsonld"] and "favouriteColour" in report.failed[
        0
    ].why


VALIDATOR = SHARED_DATA / "standards" / "ob3" / "validator-cases"


@pytest.mark.skipif(not VALIDATOR.is_dir(), reason=f"1EdTech validator cases not at {VALIDATOR}")
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_1edtech_validator_cases(mc: Microcred) -> None:
    # The https and did:web verification methods name keys 1EdTech's test issuers publish on
    # example.com, dc.1edtech.org and similar hosts, which are not reachable here; each
    # fragment is that key (Multikey), so this resolver stands in for fetching them
    # (tests/credentials/test_remote.py fetches for real). did:key resolves as itself.
    def resolve(method: str) -> Any:
        if method.startswith("did:key:"):
            return did.resolve_key(method)
        return multikey.public_key(method.rpartition("#")[2])

    def report(name: str):  # type: ignore[no-untyped-def]
        document = json.loads((VALIDATOR / name).read_text(encoding="utf-8"))
        return verify_credential(document, resolve=resolve)

    for valid in ("simple.json", "simple-did-key-method.json", "simple-eddsa-2022.json"):
        assert report(valid).verified, (valid, report(valid).as_json())
    complete = report("complete.json")
    assert complete.verified, complete.as_json()
    outcomes = {c.name: c.outcome for c in complete.checks}
    # Its sample endorsements carry placeholder proofs: reported, disregarded.
    assert outcomes["endorsements"] == "skip" and outcomes["status"] == "skip"
    # 1EdTech's own revocation list type (not Bitstring) is at a host we cannot reach here.
    revoked = {c.name: c for c in report("credential-status-revoked.json").checks}
    assert revoked["status"].outcome == "skip" and revoked["proof"].outcome == "pass"
    bad_value = report("simple-err-proof-value.json").failed
    assert [(c.name, c.why) for c in bad_value] == [
        ("proof", "the signature does not match the document")
    ]
    assert "proof" in {c.name for c in report("simple-noproof.json").failed}
    assert "OpenBadgeCredential" in report("simple-err-type.json").failed[0].why
    expired = report("simple-err-expired.json")
    assert [c.name for c in expired.failed] == ["validity"]


def test_the_cli_issues_verifies_and_revokes(
    mc: Microcred, setting: dict[str, Any], cli: Any, tmp_path: Path
) -> None:
    listing = str(setting["listing"].id)
    one = cli("credentials", "issue", "--listing", listing, "--recipient", "did:example:a")
    assert one.exit_code == 0, one.output
    document = json.loads(one.stdout)
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    verified = cli("credentials", "verify", str(path), "--json")
    assert verified.exit_code == 0 and json.loads(verified.stdout)["verified"] is True
    table = cli("credentials", "verify", str(path))
    assert table.exit_code == 0 and "did:key:z6Mk" in table.stdout.replace("\n", "")
    missing = cli("credentials", "verify", str(tmp_path / "[/]missing.json"))
    assert missing.exit_code == 2 and "cannot read" in str(missing.exception)
    rows = tmp_path / "recipients.csv"
    rows.write_text("recipient\na@example.ca\nnot-a-person\nb@example.ca\n", encoding="utf-8")
    bulk = cli(
        "credentials",
        "issue",
        "--listing",
        listing,
        "--csv",
        str(rows),
        "--output",
        str(tmp_path / "out.json"),
    )
    assert bulk.exit_code == 2 and "refused" in bulk.output and "row" in bulk.output
    assert len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))) == 2
    again = cli(
        "credentials",
        "issue",
        "--listing",
        listing,
        "--csv",
        str(rows),
        "--output",
        str(tmp_path / "again.json"),
    )
    assert "already issued" in again.output
    assert cli("credentials", "revoke", document["id"]).exit_code == 0
    refused = cli("credentials", "verify", str(path))
    assert refused.exit_code == 1 and "revocation" in refused.output
    slug = setting["college"].slug
    listed = json.loads(cli("credentials", "keys", "list", slug, "--json").stdout)
    assert len(listed) == 1 and "secret" not in json.dumps(listed)
    assert cli("credentials", "keys", "rotate", slug).exit_code == 0
    assert len(json.loads(cli("credentials", "keys", "list", slug, "--json").stdout)) == 2


def test_identical_requests_at_once_issue_one_credential(
    mc: Microcred, setting: dict[str, Any]
) -> None:
    def one(_: int) -> str:
        return mc.credentials.issue(
            setting["listing"].id,
            Recipient.parse("did:example:same"),
            actor=setting["staff"],
            issuance_key="retry",
        ).credential_id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(one, range(8)))
    assert len(ids) == 1
