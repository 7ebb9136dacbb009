"""Issuers' signing keys: generated per provider, encrypted at rest, never returned, rotatable.

Each provider has an Ed25519 key (Data Integrity proofs and EdDSA VC-JWTs) and, when issuers
are did:web, an RSA-2048 key made on first use for RS256 VC-JWTs, published in the same DID
document (a did:key can only name its one Ed25519 key). Secret keys are Fernet tokens
(AES-128-CBC + HMAC-SHA256, from ``cryptography``) under the installation's key secret
(``Settings.key_secret``). Rotation retires the active keys: they never sign again but stay
published, so credentials they signed still verify.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_der_private_key,
)
from joserfc.jwk import RSAKey
from sqlalchemy import Connection, select, update

from microcred.catalog import policy
from microcred.credentials import dataintegrity, did, jose, multikey
from microcred.credentials.remote import RemoteDocuments
from microcred.domain.account import User
from microcred.errors import ConfigurationError, Conflict, InvalidInput, NotFound, Problem
from microcred.settings import Settings
from microcred.store import organizations as org_repo
from microcred.store.engine import Store
from microcred.store.schema import issuer_keys


@dataclass(frozen=True)
class IssuerKey:
    """A key's public facts (what any API may show)."""

    id: int
    organization_id: int
    algorithm: str  # Ed25519 | RS256
    verification_method: str
    public_key: str  # publicKeyMultibase (Ed25519) or the public JWK as JSON (RS256)
    created_at: datetime
    retired_at: datetime | None

    @property
    def controller(self) -> str:
        return self.verification_method.partition("#")[0]

    def public(self) -> did.PublicKey:
        """The public key itself (read as its verification method publishes it)."""
        if self.algorithm == "RS256":
            return did.public_key_of({"publicKeyJwk": json.loads(self.public_key)})
        return did.public_key_of({"publicKeyMultibase": self.public_key})


def secret_for(settings: Settings) -> bytes:
    """The Fernet key: the setting, or (outside production) one kept beside the database."""
    if settings.key_secret is not None:
        return settings.key_secret.get_secret_value().encode()
    if settings.environment == "production":
        raise ConfigurationError("MICROCRED_KEY_SECRET must be set in production")
    url = settings.database_url
    path = (
        Path(url.split("///", 1)[1] + ".keysecret")
        if settings.is_sqlite and "///" in url and ":memory:" not in url
        else Path("microcred.keysecret")
    )
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(Fernet.generate_key())
    return path.read_bytes().strip()


def _row(row: object) -> IssuerKey:
    r = row._mapping  # type: ignore[attr-defined]
    return IssuerKey(
        r["id"],
        r["organization_id"],
        r["algorithm"],
        r["verification_method"],
        r["public_key"],
        r["created_at"],
        r["retired_at"],
    )


class IssuerKeys:
    """Create, list, rotate and use issuers' keys."""

    def __init__(
        self,
        store: Store,
        secret: bytes,
        *,
        web_host: str | None = None,
        root: str | None = None,
        remote: RemoteDocuments | None = None,
    ) -> None:
        self.store = store
        self._fernet = Fernet(secret)
        self.web_host = web_host  # issue as did:web:<host>:issuers:<slug> (None: did:key)
        self.root = root  # the provider whose DID is did:web:<host> itself
        self.remote = remote  # fetches other servers' keys (None: never fetched)

    def _did_web(self, slug: str) -> str:
        assert self.web_host is not None
        if slug == self.root:
            return did.did_web(self.web_host)
        return did.did_web(self.web_host, "issuers", slug)

    def controller(self, conn: Connection, organization_id: int) -> str | None:
        """The provider's did:web, when issuers are did:web."""
        if self.web_host is None:
            return None
        return self._did_web(org_repo.get(conn, organization_id).slug)

    def _create(self, conn: Connection, organization_id: int, algorithm: str) -> IssuerKey:
        web = self.controller(conn, organization_id)
        secret: Ed25519PrivateKey | rsa.RSAPrivateKey
        if algorithm == "RS256":
            if web is None:
                message = (
                    "RS256 VC-JWTs need did:web issuers (MICROCRED_ISSUER_DID=web): a did:key "
                    "names a single Ed25519 key; use EdDSA"
                )
                raise InvalidInput(message, [Problem("options.alg", message)])
            secret = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            jwk = RSAKey.import_key(secret.public_key())
            public = json.dumps(jwk.as_dict(private=False), sort_keys=True)
            method = f"{web}#{jwk.thumbprint()}"
            raw = secret.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        else:
            secret = Ed25519PrivateKey.generate()
            public = multikey.public_multibase(secret.public_key())
            method = f"{web}#{public}" if web else did.verification_method(secret.public_key())
            raw = secret.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        new_id = conn.execute(
            issuer_keys.insert()
            .values(
                organization_id=organization_id,
                algorithm=algorithm,
                verification_method=method,
                public_key=public,
                secret_encrypted=self._fernet.encrypt(raw),
                created_at=datetime.now(UTC),
            )
            .returning(issuer_keys.c.id)
        ).scalar_one()
        return _row(conn.execute(select(issuer_keys).where(issuer_keys.c.id == new_id)).one())

    def _active(self, conn: Connection, organization_id: int, algorithm: str) -> IssuerKey:
        row = conn.execute(
            select(issuer_keys)
            .where(
                issuer_keys.c.organization_id == organization_id,
                issuer_keys.c.algorithm == algorithm,
                issuer_keys.c.retired_at.is_(None),
            )
            .order_by(issuer_keys.c.id.desc())
            .limit(1)
        ).one_or_none()
        return _row(row) if row is not None else self._create(conn, organization_id, algorithm)

    def active(self, conn: Connection, organization_id: int) -> tuple[IssuerKey, Ed25519PrivateKey]:
        """The provider's Ed25519 signing key (created on first use), inside the caller's
        transaction."""
        found = self._active(conn, organization_id, "Ed25519")
        secret = self._secret(conn, found.id)
        assert isinstance(secret, Ed25519PrivateKey)
        return found, secret

    def _secret(self, conn: Connection, key_id: int) -> Ed25519PrivateKey | rsa.RSAPrivateKey:
        row = conn.execute(
            select(issuer_keys.c.secret_encrypted, issuer_keys.c.algorithm).where(
                issuer_keys.c.id == key_id
            )
        ).one()
        try:
            raw = self._fernet.decrypt(bytes(row.secret_encrypted))
        except InvalidToken:
            raise ConfigurationError(
                "an issuer key cannot be decrypted: MICROCRED_KEY_SECRET is not the one the "
                "keys were stored with"
            ) from None
        if row.algorithm == "RS256":
            found = load_der_private_key(raw, password=None)
            assert isinstance(found, rsa.RSAPrivateKey)
            return found
        return Ed25519PrivateKey.from_private_bytes(raw)

    def find_active(self, controller: str) -> IssuerKey | None:
        """The active Ed25519 key whose DID is ``controller``, if this server holds it."""
        with self.store.read() as conn:
            row = conn.execute(
                select(issuer_keys)
                .where(
                    issuer_keys.c.verification_method.startswith(controller + "#"),
                    issuer_keys.c.algorithm == "Ed25519",
                    issuer_keys.c.retired_at.is_(None),
                )
                .order_by(issuer_keys.c.id.desc())
                .limit(1)
            ).one_or_none()
        return _row(row) if row is not None else None

    def sign(self, key: IssuerKey, document: dict[str, Any]) -> dict[str, Any]:
        """``document`` with an eddsa-rdfc-2022 proof by ``key``."""
        with self.store.read() as conn:
            secret = self._secret(conn, key.id)
        assert isinstance(secret, Ed25519PrivateKey)
        return dataintegrity.sign(document, secret, verification_method=key.verification_method)

    def sign_jwt(self, document: dict[str, Any], *, alg: str = "EdDSA") -> str:
        """The VC-JWT of a credential signed here: EdDSA by the key that signed it, or RS256
        by its provider's RSA key (did:web issuers only)."""
        if alg not in jose.ALGORITHMS:
            message = f"unknown JWT algorithm {alg!r}: use EdDSA or RS256"
            raise InvalidInput(message, [Problem("options.alg", message)])
        method = document.get("proof", {}).get("verificationMethod", "")
        with self.store.write() as conn:
            row = conn.execute(
                select(issuer_keys).where(issuer_keys.c.verification_method == method)
            ).one_or_none()
            if row is None:
                raise Conflict("the credential was not signed by a key held here")
            key = _row(row) if alg == "EdDSA" else self._active(conn, row.organization_id, alg)
            secret = self._secret(conn, key.id)
        return jose.sign(document, secret, kid=key.verification_method)

    def resolve(self, method: str) -> did.PublicKey:
        """A verification method's key: did:key by itself, our own did:web from the store,
        others from their controller's document when fetching is allowed."""
        if method.startswith("did:key:"):
            return did.resolve_key(method)
        with self.store.read() as conn:
            row = conn.execute(
                select(issuer_keys).where(issuer_keys.c.verification_method == method)
            ).one_or_none()
        if row is None and self.remote is not None:
            return self.remote.resolve(method)
        if row is None:
            message = f"cannot resolve verification method {method[:80]!r} (not fetched)"
            raise InvalidInput(
                message, [Problem("proof.verificationMethod", message, code="unresolvable")]
            )
        return _row(row).public()

    def did_document(self, slug: str | None) -> dict[str, Any]:
        """The did:web document of a provider (None: the root issuer's, ``did:web:<host>``):
        every key, active or retired."""
        if self.web_host is None:
            raise NotFound("issuers are did:key here: there are no did:web documents")
        slug = slug or self.root
        if slug is None:
            raise NotFound("no provider issues as this host's did:web (MICROCRED_ROOT_ISSUER)")
        with self.store.read() as conn:
            organization = org_repo.get_by_slug(conn, slug)
            controller = self._did_web(organization.slug)
            rows = conn.execute(
                select(issuer_keys)
                .where(issuer_keys.c.organization_id == organization.id)
                .order_by(issuer_keys.c.id)
            ).all()
        keys = [_row(r) for r in rows if r.verification_method.startswith(controller + "#")]
        return did.did_document(
            controller,
            [(k.verification_method, k.public_key) for k in keys if k.algorithm == "Ed25519"],
            jwks=[
                (k.verification_method, json.loads(k.public_key))
                for k in keys
                if k.algorithm == "RS256"
            ],
        )

    def list(self, organization_id: int) -> list[IssuerKey]:
        """A provider's keys, newest first (public facts only)."""
        with self.store.read() as conn:
            rows = conn.execute(
                select(issuer_keys)
                .where(issuer_keys.c.organization_id == organization_id)
                .order_by(issuer_keys.c.id.desc())
            ).all()
        return [_row(r) for r in rows]

    def rotate(self, organization_id: int, *, actor: User | None) -> IssuerKey:
        """Retire the active keys and create a new Ed25519 one (the provider's staff or an
        admin); a new RSA key is made when next needed."""
        policy.require_editor_of(actor, organization_id)
        with self.store.write() as conn:
            conn.execute(
                update(issuer_keys)
                .where(
                    issuer_keys.c.organization_id == organization_id,
                    issuer_keys.c.retired_at.is_(None),
                )
                .values(retired_at=datetime.now(UTC))
            )
            return self._create(conn, organization_id, "Ed25519")

    def ensure(self, organization_id: int, *, actor: User | None) -> IssuerKey:
        """The provider's active key, created if it has none."""
        policy.require_editor_of(actor, organization_id)
        with self.store.write() as conn:
            return self.active(conn, organization_id)[0]
