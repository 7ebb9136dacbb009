"""VC-JWT: credentials as signed JSON Web Tokens (Open Badges 3.0 § 8.2.4; VC Data Model
1.1 § 6.3.1 JWT encoding), signed and verified with EdDSA (Ed25519) or RS256 (RSA).

The credential goes in the ``vc`` claim; ``iss``, ``jti``, ``sub``, ``nbf`` and ``exp``
repeat its issuer, id, subject and dates. The signing key is named by ``kid`` (a did:key
verification method) or given as a public ``jwk`` in the header.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import OKPKey, RSAKey
from joserfc.jws import JWSRegistry

from microcred.credentials import did
from microcred.credentials.dataintegrity import ProofCheck
from microcred.errors import InvalidInput

ALGORITHMS = ["EdDSA", "RS256"]
MAX_TOKEN = 1_000_000


class _Registry(JWSRegistry):
    """Room for an RSA public JWK in the header and a full credential in the payload
    (joserfc's defaults are 512 and 128,000 bytes)."""

    max_header_length = 8_192
    max_payload_length = MAX_TOKEN

    def get_alg(self, name: str) -> Any:
        # joserfc warns on every use of "EdDSA" (RFC 9864 prefers "Ed25519"), but VC-JWT and
        # OB 3.0 name it "EdDSA"; silencing that per token would cost more than the signature.
        if name == "EdDSA" and name in (self.allowed or ()):
            return self.algorithms[name]
        return super().get_alg(name)


REGISTRY = _Registry(algorithms=ALGORITHMS)


def _epoch(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def claims_for(credential: dict[str, Any]) -> dict[str, Any]:
    """The JWT claims of a credential (VC Data Model 1.1 § 6.3.1)."""
    issuer = credential.get("issuer")
    subject = credential.get("credentialSubject")
    claims: dict[str, Any] = {
        "vc": credential,
        "iss": issuer.get("id") if isinstance(issuer, dict) else issuer,
    }
    if "id" in credential:
        claims["jti"] = credential["id"]
    if isinstance(subject, dict) and "id" in subject:
        claims["sub"] = subject["id"]
    starts = _epoch(credential.get("validFrom", credential.get("issuanceDate")))
    ends = _epoch(credential.get("validUntil", credential.get("expirationDate")))
    if starts is not None:
        claims["nbf"] = starts
    if ends is not None:
        claims["exp"] = ends
    return claims


def sign(credential: dict[str, Any], key: Ed25519PrivateKey | RSAPrivateKey, *, kid: str) -> str:
    """A compact JWS of the credential (EdDSA for an Ed25519 key, RS256 for an RSA key),
    without any embedded proof."""
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    alg, jwk = (
        ("RS256", RSAKey.import_key(key))
        if isinstance(key, RSAPrivateKey)
        else ("EdDSA", OKPKey.import_key(key))
    )
    return jwt.encode(
        {"alg": alg, "typ": "JWT", "kid": kid}, claims_for(unsigned), jwk, registry=REGISTRY
    )


def looks_like_jwt(text: str) -> bool:
    """Whether text is a compact JWS (three base64url parts)."""
    parts = text.strip().split(".")
    return len(parts) == 3 and all(parts[:2]) and text.strip().startswith("ey")


def _key(header: dict[str, Any], resolve: Any) -> Any:
    if isinstance(header.get("jwk"), dict):
        jwk = header["jwk"]
        if "d" in jwk:
            raise InvalidInput("the token's header carries a private key")
        return RSAKey.import_key(jwk) if jwk.get("kty") == "RSA" else OKPKey.import_key(jwk)
    kid = header.get("kid")
    if isinstance(kid, str):
        public = (resolve or did.resolve_key)(kid)
        return (
            RSAKey.import_key(public)
            if isinstance(public, RSAPublicKey)
            else OKPKey.import_key(public)
        )
    raise InvalidInput("the token names no key (no kid or jwk this server can resolve)")


def verify(token: str, *, resolve: Any = None) -> tuple[ProofCheck, dict[str, Any] | None]:
    """Check a VC-JWT's signature and claims; the credential it carries (or None)."""
    if len(token) > MAX_TOKEN:
        return ProofCheck(False, "the token is too large"), None
    try:
        parsed = jws.extract_compact(token.strip().encode(), registry=REGISTRY)  # parsed once
        header = parsed.headers()
        if header.get("alg") not in ALGORITHMS:
            return ProofCheck(False, f"unsupported JWT algorithm {header.get('alg')!r}"), None
        key = _key(header, resolve)
        if not jws.validate_compact(parsed, key, ALGORITHMS, REGISTRY):
            raise BadSignatureError()
        claims = json.loads(parsed.payload)
        if not isinstance(claims, dict):
            raise ValueError("the payload is not a JSON object")
    except InvalidInput as error:
        return ProofCheck(False, error.message), _payload(token)
    except (JoseError, ValueError) as error:
        reason = (
            "the signature does not match the token"
            if "signature" in str(error).lower()
            else f"not a valid JWT: {error}"
        )
        return ProofCheck(False, reason), _payload(token)
    credential = carried(claims)
    if credential is None:
        return ProofCheck(False, "the token carries no credential (no vc claim)"), None
    expected = claims_for(credential)
    for name in ("iss", "jti", "sub"):
        if name in claims and name in expected and claims[name] != expected[name]:
            return ProofCheck(False, f"the {name} claim does not match the credential"), credential
    method = header.get("kid") if isinstance(header.get("kid"), str) else None
    return ProofCheck(True, f"JWT signature valid ({header['alg']})", method), credential


REGISTERED = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "cnf")


def carried(claims: dict[str, Any]) -> dict[str, Any] | None:
    """The credential a JWT carries: its ``vc`` claim (VC Data Model 1.1 § 6.3.1, as OB 3.0
    tokens do), or the payload itself (VC-JOSE-COSE, ``vc+jwt``), less the JWT's claims."""
    found = claims.get("vc")
    if isinstance(found, dict):
        return found
    if "@context" in claims and "type" in claims:
        return {k: v for k, v in claims.items() if k not in REGISTERED}
    return None


def _payload(token: str) -> dict[str, Any] | None:
    try:
        claims = json.loads(jws.extract_compact(token.strip().encode(), registry=REGISTRY).payload)
    except (JoseError, ValueError, AttributeError):
        return None
    return carried(claims) if isinstance(claims, dict) else None
