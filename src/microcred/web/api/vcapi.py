"""VC-API style endpoints (W3C CCG VC API), at the root as conformance suites expect, and under
/api/v1: issue, verify, update status, and publish status list credentials.

- ``POST /credentials/issue`` ``{credential, options}`` → 201 ``{verifiableCredential}``.
  ``options.listingId`` and ``options.recipient`` run the issuing pipeline for one of the
  caller's listings (``options.issuanceKey`` makes retries safe); otherwise the given
  credential is signed as it stands, when its issuer is a did:key of the caller's provider.
  ``options.format: jwt_vc`` returns a VC-JWT instead, signed with ``options.alg`` EdDSA (the
  default) or RS256 (did:web issuers).
- ``POST /credentials/verify`` ``{verifiableCredential, options}`` → exactly 200 when every
  check passes; 422 with the checks otherwise (never 200 with ``verified: false``).
- ``POST /credentials/status`` ``{credentialId, credentialStatus: [{type, status}]}`` →
  revoke, suspend or reinstate one of the caller's credentials.
- ``GET /credentials/status/{id}`` → the signed BitstringStatusListCredential.
- ``POST /credentials/clr`` ``{provider, recipient}`` → 201 ``{verifiableCredential}``: a CLR
  2.0 ClrCredential bundling the learner's active credentials from that provider.
- ``POST /presentations/verify`` ``{verifiablePresentation, options: {challenge, domain}}`` →
  200 only when the presentation and every credential in it pass.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from microcred.app import Microcred
from microcred.catalog import policy
from microcred.credentials import dataintegrity, ob3
from microcred.credentials.jsonld import to_quads
from microcred.errors import Forbidden, InvalidInput, Problem
from microcred.web.api.deps import MicrocredDep, UserDep

router = APIRouter(tags=["credentials (VC API)"])


class IssueRequest(BaseModel):
    credential: dict[str, Any] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)


class VerifyRequest(BaseModel):
    verifiableCredential: dict[str, Any] | str = Field(
        description="A credential with an embedded proof, or a VC-JWT."
    )
    options: dict[str, Any] = Field(default_factory=dict)


class StatusChange(BaseModel):
    type: str = "BitstringStatusListCredential"
    status: str


class StatusRequest(BaseModel):
    credentialId: str = Field(max_length=200)
    credentialStatus: list[StatusChange] = Field(min_length=1, max_length=2)


@router.post("/credentials/issue", status_code=201)
def issue(mc: MicrocredDep, user: UserDep, body: IssueRequest) -> dict[str, Any]:
    """Issue a credential (see the module description)."""
    options = body.options
    if options.get("format", "ldp_vc") not in ("ldp_vc", "jwt_vc"):
        message = "options.format is ldp_vc (embedded proof, the default) or jwt_vc"
        raise InvalidInput(message, [Problem("options.format", message)])
    if "listingId" in options:
        recipient = options.get("recipient") or body.credential.get("credentialSubject", {}).get(
            "id"
        )
        if not isinstance(recipient, str):
            message = "options.recipient (an email address or a DID) is required"
            raise InvalidInput(message, [Problem("options.recipient", message)])
        issued = mc.credentials.issue(
            int(options["listingId"]),
            ob3.Recipient.parse(recipient),
            actor=user,
            issuance_key=str(options.get("issuanceKey", "")),
        )
        document = issued.document
    else:
        document = _sign_as_given(mc, user, body.credential)
    if options.get("format") == "jwt_vc":
        alg = str(options.get("alg", "EdDSA"))
        return {"verifiableCredential": mc.issuer_keys.sign_jwt(document, alg=alg)}
    return {"verifiableCredential": document}


def _sign_as_given(mc: Microcred, user: Any, credential: dict[str, Any]) -> dict[str, Any]:
    policy.require_user(user)
    if not credential:
        raise InvalidInput("credential is required", [Problem("credential", "required")])
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    key = mc.issuer_keys.find_active(str(issuer_id))
    if key is None:
        message = f"the issuer {str(issuer_id)[:100]!r} is not a key this server holds"
        raise InvalidInput(message, [Problem("credential.issuer", message)])
    policy.require_editor_of(user, key.organization_id)
    if "proof" in credential:
        raise InvalidInput(
            "the credential already has a proof", [Problem("credential.proof", "remove it to sign")]
        )
    to_quads(credential)  # refuses undefined terms and unknown contexts
    mc.credentials.validate(credential, shape=False)  # any VC; OB ones meet their schema
    signed = mc.issuer_keys.sign(key, credential)
    if not dataintegrity.verify(signed, resolve=mc.issuer_keys.resolve).verified:
        raise Forbidden("the signed credential did not verify")
    return signed


@router.post("/credentials/verify")
def verify(request: Request, mc: MicrocredDep, body: VerifyRequest) -> JSONResponse:
    """Verify any credential: 200 when verified, 422 with the failing checks otherwise."""
    options = body.options
    recipient = options.get("recipient") if isinstance(options.get("recipient"), str) else None
    report = mc.credentials.verify(body.verifiableCredential, recipient=recipient)
    body_json = {
        **report.as_json(),
        "errors": [f"{c.name}: {c.why}" for c in report.failed],
        "warnings": [f"{c.name}: {c.why}" for c in report.checks if c.outcome == "skip"],
    }
    return JSONResponse(body_json, status_code=200 if report.verified else 422)


class ClrRequest(BaseModel):
    provider: str = Field(max_length=200, description="The issuing provider's slug.")
    recipient: str = Field(max_length=400, description="The learner's email address or DID.")


@router.post("/credentials/clr", status_code=201)
def learner_record(mc: MicrocredDep, user: UserDep, body: ClrRequest) -> dict[str, Any]:
    """A signed CLR 2.0 ClrCredential bundling every active credential the provider issued
    to the learner (the provider's staff)."""
    record = mc.credentials.clr(body.provider, ob3.Recipient.parse(body.recipient), actor=user)
    return {"verifiableCredential": record}


class PresentationRequest(BaseModel):
    verifiablePresentation: dict[str, Any]
    options: dict[str, Any] = Field(default_factory=dict)


@router.post("/presentations/verify")
def verify_presentation(mc: MicrocredDep, body: PresentationRequest) -> JSONResponse:
    """Verify a presentation (signed, with ``options.challenge``/``options.domain``, or not)
    and every credential in it: 200 only when all pass, 422 otherwise."""
    options = body.options
    challenge = options.get("challenge") if isinstance(options.get("challenge"), str) else None
    domain = options.get("domain") if isinstance(options.get("domain"), str) else None
    report = mc.credentials.verify_presentation(
        body.verifiablePresentation, challenge=challenge, domain=domain
    )
    return JSONResponse(report.as_json(), status_code=200 if report.verified else 422)


@router.post("/credentials/status")
def update_status(mc: MicrocredDep, user: UserDep, body: StatusRequest) -> dict[str, Any]:
    """Revoke, suspend or reinstate one of the caller's credentials."""
    wanted = body.credentialStatus[-1].status
    issued = mc.credentials.set_state(body.credentialId, wanted, actor=user)
    return {"credentialId": issued.credential_id, "status": issued.state}


@router.get("/issuers/{slug}/did.json")
def issuer_did_document(mc: MicrocredDep, slug: str) -> JSONResponse:
    """A provider's did:web document (did:web path form), when issuers are did:web."""
    return JSONResponse(mc.issuer_keys.did_document(slug), headers={"Cache-Control": "max-age=300"})


@router.get("/.well-known/did.json")
def root_did_document(mc: MicrocredDep) -> JSONResponse:
    """The root issuer's did:web document (``did:web:<host>``; MICROCRED_ROOT_ISSUER)."""
    return JSONResponse(mc.issuer_keys.did_document(None), headers={"Cache-Control": "max-age=300"})


@router.get("/credentials/status/{list_id}")
def status_list(mc: MicrocredDep, list_id: int) -> JSONResponse:
    """A signed BitstringStatusListCredential (for verifiers; cache it briefly)."""
    document = mc.credentials.status_list_credential(list_id)
    return JSONResponse(document, headers={"Cache-Control": "max-age=60"})
