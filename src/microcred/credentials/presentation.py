"""Verifiable Presentations (VC Data Model 2.0 § 4.13): a holder presents credentials,
optionally signing the presentation for ``authentication`` with a verifier's ``challenge``
and ``domain`` (VC Data Integrity § 4.5) so it cannot be replayed elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from microcred.credentials import dataintegrity, did
from microcred.credentials.jsonld import to_quads
from microcred.credentials.verify import Report, SchemaCheck, StatusLookup, verify_credential
from microcred.errors import InvalidInput

MAX_CREDENTIALS = 50


@dataclass
class PresentationReport:
    """The presentation's own checks, then each credential's report."""

    checks: Report = field(default_factory=Report)
    credentials: list[Report] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.checks.verified and all(r.verified for r in self.credentials)

    def as_json(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "presentation": self.checks.as_json(),
            "credentials": [r.as_json() for r in self.credentials],
        }


def verify_presentation(
    presentation: dict[str, Any],
    *,
    challenge: str | None = None,
    domain: str | None = None,
    status_lookup: StatusLookup | None = None,
    resolve: dataintegrity.Resolver | None = None,
    schema: SchemaCheck | None = None,
) -> PresentationReport:
    """Check a presentation (signed or not) and every credential it carries."""
    out = PresentationReport()
    report = out.checks
    types = presentation.get("type")
    shaped = isinstance(types, list | str) and "VerifiablePresentation" in (
        types if isinstance(types, list) else [types]
    )
    report.add(
        "document",
        shaped,
        "a VerifiablePresentation" if shaped else "type must contain VerifiablePresentation",
    )
    try:
        to_quads({k: v for k, v in presentation.items() if k != "verifiableCredential"})
        report.add("jsonld", True, "every term is defined by a known context")
    except InvalidInput as error:
        report.add("jsonld", False, error.message)
        return out
    _proof(presentation, report, challenge, domain, resolve)
    carried = presentation.get("verifiableCredential", [])
    carried = carried if isinstance(carried, list) else [carried]
    if len(carried) > MAX_CREDENTIALS:
        report.add("credentials", False, f"more than {MAX_CREDENTIALS} credentials")
        return out
    for credential in carried:
        if isinstance(credential, dict | str):
            out.credentials.append(
                verify_credential(
                    credential, status_lookup=status_lookup, resolve=resolve, schema=schema
                )
            )
        else:
            bad = Report()
            bad.add("document", False, "a credential must be an object or a VC-JWT")
            out.credentials.append(bad)
    return out


def _proof(
    presentation: dict[str, Any],
    report: Report,
    challenge: str | None,
    domain: str | None,
    resolve: dataintegrity.Resolver | None,
) -> None:
    proof = presentation.get("proof")
    if proof is None:
        if challenge is not None:
            report.add("proof", False, "a challenge was given but the presentation is unsigned")
        else:
            report.add("proof", None, "the presentation is not signed")
        return
    check = dataintegrity.verify(presentation, resolve=resolve or did.resolve_key)
    report.add("proof", check.verified, check.reason)
    if not isinstance(proof, dict):
        return
    if proof.get("proofPurpose") != "authentication":
        report.add("purpose", False, "a presentation proof must be for authentication")
    if challenge is not None:
        same = proof.get("challenge") == challenge
        report.add(
            "challenge",
            same,
            "the challenge matches"
            if same
            else "the challenge does not match: a replayed presentation?",
        )
    if domain is not None:
        given = proof.get("domain")
        same = given == domain or (isinstance(given, list) and domain in given)
        report.add("domain", same, "the domain matches" if same else "the domain does not match")
    holder = presentation.get("holder")
    holder_id = holder.get("id") if isinstance(holder, dict) else holder
    if holder_id is not None and check.verification_method is not None:
        controller = check.verification_method.partition("#")[0]
        report.add(
            "holder",
            controller == holder_id,
            "signed by the holder"
            if controller == holder_id
            else f"signed by {controller}, not by the holder {holder_id}",
        )
