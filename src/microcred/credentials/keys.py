"""Issuers' signing keys: generated per provider, encrypted at rest, never returned, rotatable.

Secret keys are Fernet tokens (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under the
installation's key secret (``Settings.key_secret``). Rotation retires the active key: it
never signs again but stays published, so credentials it signed still verify.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import Connection, select, update

from microcred.catalog import policy
from microcred.credentials import dataintegrity, did, jose, multikey
from microcred.domain.account import User
from microcred.errors import ConfigurationError, InvalidInput, NotFound, Problem
from microcred.settings import Settings
from microcred.store import organizations as org_repo
from microcred.store.engine import Store
from microcred.store.schema import issuer_keys


@dataclass(frozen=True)
class IssuerKey:
    """A key's public facts (what any API may show)."""

    id: int
    organization_id: int
    algorithm: str
    verification_method: str
    public_key_multibase: str
    created_at: datetime
    retired_at: datetime | None

    @property
    def controller(self) -> str:
        return self.verification_method.partition("#")[0]


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

    def __init__(self, store: Store, secret: bytes, *, web_host: str | None = None) -> None:
        self.store = store
        self._fernet = Fernet(secret)
        self.web_host = web_host  # issue as did:web:<host>:issuers:<slug> (None: did:key)

    def controller(self, conn: Connection, organization_id: int) -> str | None:
        """The provider's did:web, when issuers are did:web."""
        if self.web_host is None:
            return None
        return did.did_web(self.web_host, "issuers", org_repo.get(conn, organization_id).slug)

    def _create(self, conn: Connection, organization_id: int) -> IssuerKey:
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        now = datetime.now(UTC)
        web = self.controller(conn, organization_id)
        public = multikey.public_multibase(key.public_key())
        new_id = conn.execute(
            issuer_keys.insert()
            .values(
                organization_id=organization_id,
                algorithm="Ed25519",
                verification_method=f"{web}#{public}"
                if web
                else did.verification_method(key.public_key()),
                public_key=public,
                secret_encrypted=self._fernet.encrypt(raw),
                created_at=now,
            )
            .returning(issuer_keys.c.id)
        ).scalar_one()
        return _row(conn.execute(select(issuer_keys).where(issuer_keys.c.id == new_id)).one())

    def active(self, conn: Connection, organization_id: int) -> tuple[IssuerKey, Ed25519PrivateKey]:
        """The provider's signing key (created on first use), inside the caller's transaction."""
        row = conn.execute(
            select(issuer_keys)
            .where(
                issuer_keys.c.organization_id == organization_id,
                issuer_keys.c.retired_at.is_(None),
            )
            .order_by(issuer_keys.c.id.desc())
            .limit(1)
        ).one_or_none()
        found = _row(row) if row is not None else self._create(conn, organization_id)
        return found, self._secret(conn, found.id)

    def _secret(self, conn: Connection, key_id: int) -> Ed25519PrivateKey:
        token = conn.execute(
            select(issuer_keys.c.secret_encrypted).where(issuer_keys.c.id == key_id)
        ).scalar_one()
        try:
            raw = self._fernet.decrypt(bytes(token))
        except InvalidToken:
            raise ConfigurationError(
                "an issuer key cannot be decrypted: MICROCRED_KEY_SECRET is not the one the "
                "keys were stored with"
            ) from None
        return Ed25519PrivateKey.from_private_bytes(raw)

    def find_active(self, controller: str) -> IssuerKey | None:
        """The active key whose DID is ``controller``, if this server holds it."""
        with self.store.read() as conn:
            row = conn.execute(
                select(issuer_keys).where(
                    issuer_keys.c.verification_method.startswith(controller + "#"),
                    issuer_keys.c.retired_at.is_(None),
                )
            ).one_or_none()
        return _row(row) if row is not None else None

    def sign(self, key: IssuerKey, document: dict[str, Any]) -> dict[str, Any]:
        """``document`` with an eddsa-rdfc-2022 proof by ``key``."""
        with self.store.read() as conn:
            secret = self._secret(conn, key.id)
        return dataintegrity.sign(document, secret, verification_method=key.verification_method)

    def sign_jwt(self, document: dict[str, Any]) -> str:
        """The VC-JWT (EdDSA) of a credential signed here, by the key that signed it."""
        method = document.get("proof", {}).get("verificationMethod", "")
        with self.store.read() as conn:
            key_id = conn.execute(
                select(issuer_keys.c.id).where(issuer_keys.c.verification_method == method)
            ).scalar()
            if key_id is None:
                raise ConfigurationError("the credential was not signed by a key held here")
            secret = self._secret(conn, key_id)
        return jose.sign(document, secret, kid=method)

    def resolve(self, method: str) -> Ed25519PublicKey:
        """A verification method's key: did:key by itself, our own did:web from the store;
        other servers' documents are not fetched."""
        if method.startswith("did:key:"):
            return did.resolve_key(method)
        with self.store.read() as conn:
            found = conn.execute(
                select(issuer_keys.c.public_key).where(issuer_keys.c.verification_method == method)
            ).scalar()
        if found is None:
            message = f"cannot resolve verification method {method[:80]!r} (not fetched)"
            raise InvalidInput(
                message, [Problem("proof.verificationMethod", message, code="unresolvable")]
            )
        return multikey.public_key(found)

    def did_document(self, slug: str) -> dict[str, Any]:
        """The did:web document of a provider: every key, active or retired."""
        if self.web_host is None:
            raise NotFound("issuers are did:key here: there are no did:web documents")
        with self.store.read() as conn:
            organization = org_repo.get_by_slug(conn, slug)
            controller = did.did_web(self.web_host, "issuers", organization.slug)
            rows = conn.execute(
                select(issuer_keys.c.verification_method, issuer_keys.c.public_key)
                .where(issuer_keys.c.organization_id == organization.id)
                .order_by(issuer_keys.c.id)
            ).all()
        keys = [(m, k) for m, k in rows if m.startswith(controller + "#")]
        return did.did_document(controller, keys)

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
        """Retire the active key and create a new one (the provider's staff or an admin)."""
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
            return self._create(conn, organization_id)

    def ensure(self, organization_id: int, *, actor: User | None) -> IssuerKey:
        """The provider's active key, created if it has none."""
        policy.require_editor_of(actor, organization_id)
        with self.store.write() as conn:
            return self.active(conn, organization_id)[0]
