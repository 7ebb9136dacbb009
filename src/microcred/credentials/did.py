"""Issuer identities: ``did:key`` for Ed25519 Multikeys (did:key method v0.7), and resolving
a verification method to its public key."""

from __future__ import annotations

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
