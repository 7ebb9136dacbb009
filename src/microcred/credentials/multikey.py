"""Ed25519 keys as Multikey values (W3C Controlled Identifiers 1.0, § 2.2.2): multibase
base58-btc ("z") of a multicodec prefix and the raw key."""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from microcred.errors import InvalidInput, Problem

ED25519_PUBLIC = b"\xed\x01"  # multicodec ed25519-pub
ED25519_PRIVATE = b"\x80\x26"  # multicodec ed25519-priv


def _invalid(what: str, value: str) -> InvalidInput:
    message = f"{what} {value[:60]!r} is not an Ed25519 Multikey value"
    return InvalidInput(message, [Problem(what, message, code="multikey")])


def decode_base58btc(value: str, what: str = "multibase") -> bytes:
    """The bytes of a base58-btc multibase string ("z…")."""
    if not value.startswith("z"):
        raise _invalid(what, value)
    try:
        return base58.b58decode(value[1:])
    except ValueError:
        raise _invalid(what, value) from None


def encode_base58btc(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def public_key(multibase: str) -> Ed25519PublicKey:
    raw = decode_base58btc(multibase, "publicKeyMultibase")
    if len(raw) != 34 or not raw.startswith(ED25519_PUBLIC):
        raise _invalid("publicKeyMultibase", multibase)
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key(multibase: str) -> Ed25519PrivateKey:
    raw = decode_base58btc(multibase, "secretKeyMultibase")
    if len(raw) != 34 or not raw.startswith(ED25519_PRIVATE):
        raise _invalid("secretKeyMultibase", multibase)
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def public_multibase(key: Ed25519PublicKey) -> str:
    return encode_base58btc(ED25519_PUBLIC + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def private_multibase(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return encode_base58btc(ED25519_PRIVATE + raw)
