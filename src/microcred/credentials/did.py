"""Issuer identities: ``did:key`` for Ed25519 Multikeys (did:key method v0.7) and ``did:web``
(W3C CCG did:web method, path form), and resolving a verification method to its key."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from microcred.credentials import multikey
from microcred.errors import InvalidInput, Problem


def did_key(public: Ed25519PublicKey) -> str:
    """The did:key of an Ed25519 public key."""
    return f"did:key:{multikey.public_multibase(public)}"


def verification_method(public: Ed25519PublicKey) -> str:
    """The did:key verification method id (DID URL with the key as fragment)."""
    encoded = multikey.public_multibase(public)
    return f"did:key:{encoded}#{encoded}"


def resolve_key(method: str) -> Ed25519PublicKey:
    """The public key a did:key verification method names."""
    did, _, fragment = method.partition("#")
    if not did.startswith("did:key:z6Mk"):
        message = f"cannot resolve verification method {method[:80]!r}: only Ed25519 did:key"
        raise InvalidInput(
            message, [Problem("proof.verificationMethod", message, code="unresolvable")]
        )
    encoded = did.removeprefix("did:key:")
    if fragment and fragment != encoded:
        message = f"the fragment of {method[:80]!r} does not name the did:key's own key"
        raise InvalidInput(
            message, [Problem("proof.verificationMethod", message, code="unresolvable")]
        )
    return multikey.public_key(encoded)


def did_web(host: str, *path: str) -> str:
    """A did:web for ``host`` (a port is percent-encoded) and an optional path
    (did:web method § 3.2: ``did:web:example.com:issuers:x`` → ``/issuers/x/did.json``)."""
    return ":".join(["did:web", host.replace(":", "%3A"), *path])


def did_document(controller: str, keys: list[tuple[str, str]]) -> dict[str, Any]:
    """A DID document listing Multikey verification methods ``(id, publicKeyMultibase)``
    for assertion (credentials) and authentication (presentations)."""
    methods = [
        {"id": method, "type": "Multikey", "controller": controller, "publicKeyMultibase": key}
        for method, key in keys
    ]
    ids = [m["id"] for m in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": controller,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }
