"""Issuer identities: ``did:key`` for Ed25519 Multikeys (did:key method v0.7) and ``did:web``
(W3C CCG did:web method, path form), and resolving a verification method to its key."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from microcred.credentials import multikey
from microcred.errors import InvalidInput, Problem

PublicKey = Ed25519PublicKey | RSAPublicKey  # what a verification method may name


def did_key(public: Ed25519PublicKey) -> str:
    """The did:key of an Ed25519 public key."""
    return f"did:key:{multikey.public_multibase(public)}"


def verification_method(public: Ed25519PublicKey) -> str:
    """The did:key verification method id (DID URL with the key as fragment)."""
    encoded = multikey.public_multibase(public)
    return f"did:key:{encoded}#{encoded}"


@lru_cache(maxsize=4096)  # a did:key is its key: the answer never changes
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


def public_key_of(method: dict[str, Any]) -> PublicKey:
    """The public key of a verification method object: ``publicKeyMultibase`` (Multikey,
    Ed25519VerificationKey2020) or ``publicKeyJwk`` (Ed25519 or RSA)."""
    from joserfc.errors import JoseError
    from joserfc.jwk import OKPKey, RSAKey

    where = str(method.get("id", "verificationMethod"))[:80]
    if isinstance(method.get("publicKeyMultibase"), str):
        return multikey.public_key(method["publicKeyMultibase"])
    jwk = method.get("publicKeyJwk")
    if isinstance(jwk, dict) and "d" not in jwk:
        try:
            if jwk.get("kty") == "RSA":
                found: PublicKey = RSAKey.import_key(jwk).public_key
                return found
            if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
                okp = OKPKey.import_key(jwk).public_key
                if isinstance(okp, Ed25519PublicKey):
                    return okp
        except (JoseError, ValueError):
            pass
    message = f"{where} has no Ed25519 or RSA public key this server can read"
    raise InvalidInput(message, [Problem("proof.verificationMethod", message, code="unresolvable")])


def did_web(host: str, *path: str) -> str:
    """A did:web for ``host`` (a port is percent-encoded) and an optional path
    (did:web method § 3.2: ``did:web:example.com:issuers:x`` → ``/issuers/x/did.json``)."""
    return ":".join(["did:web", host.replace(":", "%3A"), *path])


def did_document(
    controller: str,
    keys: list[tuple[str, str]],
    *,
    jwks: Sequence[tuple[str, dict[str, Any]]] = (),
) -> dict[str, Any]:
    """A DID document listing Multikey verification methods ``(id, publicKeyMultibase)``
    and JsonWebKey2020 methods ``(id, public JWK)`` (RSA keys for RS256 VC-JWTs), for
    assertion (credentials) and authentication (presentations)."""
    methods: list[dict[str, Any]] = [
        {"id": method, "type": "Multikey", "controller": controller, "publicKeyMultibase": key}
        for method, key in keys
    ]
    methods += [
        {"id": method, "type": "JsonWebKey2020", "controller": controller, "publicKeyJwk": jwk}
        for method, jwk in jwks
    ]
    ids = [m["id"] for m in methods]
    context = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    if jwks:
        context.append("https://w3id.org/security/suites/jws-2020/v1")
    return {
        "@context": context,
        "id": controller,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }
