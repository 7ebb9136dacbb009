"""Verifying any Open Badges 3.0 / VC 2.0 credential: a report listing each check with
pass, fail or skip and why. ``verified`` is true only when no check fails."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from microcred.credentials import clr, dataintegrity, did, jose, ob3
from microcred.credentials.jsonld import to_quads
from microcred.errors import InvalidInput

MAX_BYTES = 1_000_000  # a credential larger than this is refused before parsing
# (list URL, index) → set? (None: not looked up; InvalidInput: could not be checked)
StatusLookup = Callable[[str, int], bool | None]
SchemaCheck = Callable[[dict[str, Any]], tuple[bool | None, str]]  # pass/fail/skip and why


@dataclass(frozen=True)
class Check:
    name: str  # document | context | type | jsonld | proof | issuer | validity | status | recipient
    outcome: str  # pass | fail | skip
    why: str


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return bool(self.checks) and all(c.outcome != "fail" for c in self.checks)

    def add(self, name: str, ok: bool | None, why: str) -> None:
        outcome = "skip" if ok is None else ("pass" if ok else "fail")
        self.checks.append(Check(name, outcome, why))

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.outcome == "fail"]

    def as_json(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "checks": [{"check": c.name, "outcome": c.outcome, "why": c.why} for c in self.checks],
        }


def parse(raw: str | bytes) -> dict[str, Any] | str:
    """A credential from JSON text, or a VC-JWT as it stands; InvalidInput for malformed or
    oversized input."""
    if len(raw) > MAX_BYTES:
        raise InvalidInput(f"the credential is larger than {MAX_BYTES:,} bytes")
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if jose.looks_like_jwt(text):
        return text.strip()
    try:
        found = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(f"not JSON: {error}") from None
    if not isinstance(found, dict):
        raise InvalidInput("a credential is a JSON object")
    return found


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def verify_credential(
    credential: dict[str, Any] | str,
    *,
    now: datetime | None = None,
    status_lookup: StatusLookup | None = None,
    recipient: str | None = None,
    resolve: dataintegrity.Resolver | None = None,
    schema: SchemaCheck | None = None,
    depth: int = 0,
) -> Report:
    """Check everything a verifier should (a credential with an embedded proof, or a
    VC-JWT); never raises for a bad credential."""
    report = Report()
    proof: dataintegrity.ProofCheck | None = None
    if isinstance(credential, str):  # a VC-JWT: its signature is checked first
        proof, carried = jose.verify(credential, resolve=resolve)
        report.add("proof", proof.verified, proof.reason)
        if carried is None:
            return report
        credential = carried
    shape = ob3.check_shape(credential)
    v1 = ob3.is_vc1(credential)
    shape = [p for p in shape if not (v1 and p.location in ("@context", "validFrom"))]
    report.add("document", not shape, "; ".join(str(p) for p in shape) or "VC 2.0 / OB 3.0 shape")
    if schema is not None:
        report.add("schema", *schema(credential))
    try:
        to_quads(credential)
        report.add("jsonld", True, "every term is defined by a known context")
    except InvalidInput as error:
        report.add("jsonld", False, error.message)
        return report
    if proof is None:
        proof = dataintegrity.verify(credential, resolve=resolve or did.resolve_key)
        report.add("proof", proof.verified, proof.reason)
    report.add("issuer", *_issuer(credential, proof.verification_method))
    report.add("validity", *_validity(credential, now or datetime.now(UTC), v1))
    report.add("status", *_status(credential, status_lookup))
    if recipient is not None and not clr.is_clr(credential):
        report.add("recipient", *_recipient(credential, recipient))
    endorsements = list(_endorsements(credential))
    if endorsements and depth < MAX_DEPTH:
        failed = _failures(
            endorsements, MAX_ENDORSEMENTS, now, status_lookup, resolve, schema, depth
        )
        # An endorsement is a third party's claim about the issuer or the achievement: one
        # that does not verify is reported and disregarded, not held against the credential.
        report.add(
            "endorsements",
            None if failed else True,
            "endorsements that do not verify, disregarded: " + " | ".join(failed)
            if failed
            else f"{len(endorsements)} endorsement(s) verified",
        )
    if clr.is_clr(credential) and depth < MAX_DEPTH:
        items = clr.bundled(credential)
        failed = _failures(
            items, clr.MAX_CREDENTIALS, now, status_lookup, resolve, schema, depth, recipient
        )
        report.add(
            "credentials",
            not failed,
            "bundled credentials that do not verify: " + " | ".join(failed)
            if failed
            else f"{len(items)} bundled credential(s) verified"
            + (" for the expected recipient" if recipient else ""),
        )
    return report


MAX_DEPTH = 1  # endorsements and bundled credentials are checked; theirs are not
MAX_ENDORSEMENTS = 20


def _endorsements(credential: dict[str, Any]) -> list[Any]:
    """EndorsementCredentials (OB 3.0 § B.1.11) on the credential, its issuer and its
    achievement."""
    found: list[Any] = []
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    for holder in (credential, credential.get("issuer"), achievement):
        if isinstance(holder, dict):
            items = holder.get("endorsement") or []
            found += items if isinstance(items, list) else [items]
    return found


def _failures(
    items: list[Any],
    limit: int,
    now: datetime | None,
    lookup: StatusLookup | None,
    resolve: dataintegrity.Resolver | None,
    schema: SchemaCheck | None,
    depth: int,
    recipient: str | None = None,
) -> list[str]:
    """Why each of the nested credentials (endorsements, a CLR's bundle) fails, if it does."""
    if len(items) > limit:
        return [f"more than {limit}"]
    failed = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict | str):
            failed.append(f"#{number}: not a credential")
            continue
        inner = verify_credential(
            item,
            now=now,
            status_lookup=lookup,
            resolve=resolve,
            schema=schema,
            recipient=recipient,
            depth=depth + 1,
        )
        if not inner.verified:
            failed.append(f"#{number}: " + "; ".join(f"{c.name}: {c.why}" for c in inner.failed))
    return failed


def _issuer(credential: dict[str, Any], method: str | None) -> tuple[bool | None, str]:
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if method is None:
        return None, "no verification method to compare"
    controller = method.partition("#")[0]
    if controller == issuer_id:
        return True, f"signed by the issuer's key ({controller})"
    if isinstance(issuer_id, str) and issuer_id.startswith("urn:"):
        # A URN cannot control keys: nothing ties the signer to it either way.
        return None, f"signed by {controller}; the issuer {issuer_id} cannot be tied to a key"
    return False, f"signed by {controller}, not by the issuer {issuer_id}"


def _validity(credential: dict[str, Any], now: datetime, v1: bool) -> tuple[bool, str]:
    start_key, end_key = ("issuanceDate", "expirationDate") if v1 else ("validFrom", "validUntil")
    start, end = credential.get(start_key), credential.get(end_key)
    begins, ends = _moment(start), _moment(end)
    if start is not None and begins is None:
        return False, f"{start_key} {start!r} is not a date-time with a time zone"
    if end is not None and ends is None:
        return False, f"{end_key} {end!r} is not a date-time with a time zone"
    if begins and begins > now:
        return False, f"not valid before {start}"
    if ends and ends < now:
        return False, f"expired on {end}"
    return True, "within its validity period"


def _status(credential: dict[str, Any], lookup: StatusLookup | None) -> tuple[bool | None, str]:
    entries = credential.get("credentialStatus")
    if entries is None:
        return None, "the credential has no status"
    entries = entries if isinstance(entries, list) else [entries]
    told = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            return None, "status type not supported"
        try:
            index = int(entry.get("statusListIndex", ""))
        except ValueError:
            return False, "statusListIndex is not a number"
        url = str(entry.get("statusListCredential", ""))
        try:
            found = lookup(url, index) if lookup else None
        except InvalidInput as error:
            return False, f"status list {url[:100]} cannot be checked: {error.message}"
        if found is None:
            return None, f"status list {url} is not one this server keeps"
        if found:
            return False, f"{entry.get('statusPurpose', 'status')}: set ({url} #{index})"
        told.append(str(entry.get("statusPurpose")))
    return True, f"not {' nor '.join(told)}"


def _recipient(credential: dict[str, Any], expected: str) -> tuple[bool, str]:
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        return False, "no credentialSubject"
    if subject.get("id") == expected:
        return True, "the subject's id is the expected recipient"
    for identity in subject.get("identifier") or []:
        if not isinstance(identity, dict):
            continue
        given = identity.get("identityHash")
        if identity.get("hashed") and given == ob3.identity_hash(
            expected, identity.get("salt", "")
        ):
            return True, "the hashed identity matches the expected recipient"
        if not identity.get("hashed") and given == expected:
            return True, "the identity matches the expected recipient"
    return False, "the credential is not for the expected recipient"
