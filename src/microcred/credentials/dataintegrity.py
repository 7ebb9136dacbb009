"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C VC Data Integrity
EdDSA Cryptosuites v1.0, § 3.3), and ``eddsa-jcs-2022`` (§ 3.4) and the older
``Ed25519Signature2020`` for credentials wallets still hold.

    transformed = RDFC-1.0(JSON-LD → RDF(document without its proof))
    config      = RDFC-1.0(JSON-LD → RDF(proof options, with the document's @context))
    signature   = Ed25519(SHA-256(config) ‖ SHA-256(transformed))
    proofValue  = multibase base58-btc(signature)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from microcred.credentials import did, multikey
from microcred.credentials.jsonld import to_quads
from microcred.credentials.rdfc import canonicalize
from microcred.errors import InvalidInput

CRYPTOSUITE = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"  # § 3.4: the same signature over JSON Canonicalization (RFC 8785)
LEGACY = "Ed25519Signature2020"  # W3C CCG suite still found in wallets: RDFC, no cryptosuite
DRAFT = "eddsa-2022"  # eddsa-rdfc-2022's name in drafts before 2023 (1EdTech's tests use it)
DI_CONTEXT = "https://w3id.org/security/data-integrity/v2"
# Contexts that already define DataIntegrityProof's terms.
DEFINES_PROOF = {
    "https://www.w3.org/ns/credentials/v2",
    DI_CONTEXT,
    "https://w3id.org/security/data-integrity/v1",
}
PROOF_TYPE = "DataIntegrityProof"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _jcs(value: dict[str, Any]) -> str:
    return rfc8785.dumps(value).decode("utf-8")


def canonical_document(document: dict[str, Any], suite: str = CRYPTOSUITE) -> str:
    """§ 3.3.1 / § 3.4.1 transformation: the canonical form of the document without
    ``proof`` (RDFC-1.0 N-Quads; JCS for eddsa-jcs-2022)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if suite == JCS:
        to_quads(unsecured)  # every term defined, even when JSON is what gets signed
        return _jcs(unsecured)
    return canonicalize(to_quads(unsecured))


def canonical_proof_config(options: dict[str, Any], context: Any, suite: str = CRYPTOSUITE) -> str:
    """§ 3.3.5 / § 3.4.5 proof configuration: the canonical proof options."""
    config = {k: v for k, v in options.items() if k != "proofValue"}
    config["@context"] = context
    return _jcs(config) if suite == JCS else canonicalize(to_quads(config))


def hash_data(config: str, transformed: str) -> bytes:
    """§ 3.3.2: SHA-256 of the proof configuration, then of the document."""
    return hashlib.sha256(config.encode()).digest() + hashlib.sha256(transformed.encode()).digest()


def sign(
    document: dict[str, Any],
    key: Ed25519PrivateKey,
    *,
    verification_method: str | None = None,
    created: str | None = None,
    proof_purpose: str = "assertionMethod",
    extra: dict[str, Any] | None = None,
    suite: str = CRYPTOSUITE,
) -> dict[str, Any]:
    """``document`` with an eddsa-rdfc-2022 DataIntegrityProof added (§ 3.3.1 Create Proof;
    ``suite`` may also be eddsa-jcs-2022 or Ed25519Signature2020).

    A document whose contexts do not define the proof's terms (a VC 1.1 credential) gets the
    Data Integrity context appended, as the reference implementation does."""
    context = document.get("@context")
    listed = context if isinstance(context, list) else [context]
    if not DEFINES_PROOF & {c for c in listed if isinstance(c, str)}:
        document = {**document, "@context": [*listed, DI_CONTEXT]}
    options: dict[str, Any] = {
        "type": LEGACY if suite == LEGACY else PROOF_TYPE,
        **({} if suite == LEGACY else {"cryptosuite": suite}),
        "created": created or _now(),
        "verificationMethod": verification_method or did.verification_method(key.public_key()),
        "proofPurpose": proof_purpose,
        **(extra or {}),
    }
    data = hash_data(
        canonical_proof_config(options, document.get("@context"), suite),
        canonical_document(document, suite),
    )
    options["proofValue"] = multikey.encode_base58btc(key.sign(data))
    return {**document, "proof": options}


@dataclass(frozen=True)
class ProofCheck:
    """The outcome of checking one proof."""

    verified: bool
    reason: str
    verification_method: str | None = None


Resolver = Callable[[str], did.PublicKey]


def verify(document: dict[str, Any], *, resolve: Resolver = did.resolve_key) -> ProofCheck:
    """§ 3.3.2 Verify Proof for a document carrying one eddsa-rdfc-2022 proof."""
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            return ProofCheck(False, "proof sets and chains are not supported")
        proof = proof[0]
    if not isinstance(proof, dict):
        return ProofCheck(False, "the document has no proof")
    suite = LEGACY if proof.get("type") == LEGACY else proof.get("cryptosuite")
    if suite not in (CRYPTOSUITE, JCS, LEGACY, DRAFT) or (
        suite != LEGACY and proof.get("type") != PROOF_TYPE
    ):
        return ProofCheck(
            False,
            f"unsupported proof type {proof.get('type')!r} / "
            f"cryptosuite {proof.get('cryptosuite')!r}",
        )
    method = proof.get("verificationMethod")
    value = proof.get("proofValue")
    if not isinstance(method, str) or not isinstance(value, str):
        return ProofCheck(False, "the proof lacks verificationMethod or proofValue")
    context = proof.get("@context", document.get("@context"))
    try:
        signature = multikey.decode_base58btc(value, "proofValue")
        public = resolve(method)
        if not isinstance(public, Ed25519PublicKey):
            return ProofCheck(False, f"{method[:80]} is not an Ed25519 key", method)
        data = hash_data(
            canonical_proof_config(proof, context, str(suite)),
            canonical_document(document, str(suite)),
        )
        public.verify(signature, data)
    except InvalidSignature:
        return ProofCheck(False, "the signature does not match the document", method)
    except InvalidInput as error:
        return ProofCheck(False, error.message, method)
    named = {CRYPTOSUITE: "", DRAFT: f" ({DRAFT}, the draft name of {CRYPTOSUITE})"}
    return ProofCheck(True, "signature valid" + named.get(str(suite), f" ({suite})"), method)
