"""The issuing pipeline: compose → validate → sign → verify our own output → record → deliver,
in one transaction, idempotent by (listing, recipient, issuance key)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from microcred.catalog import policy
from microcred.credentials import clr, dataintegrity, ob3, status
from microcred.credentials.jsonld import to_quads
from microcred.credentials.keys import IssuerKeys
from microcred.credentials.presentation import PresentationReport, verify_presentation
from microcred.credentials.schemas import Schemas
from microcred.credentials.verify import Report, verify_credential
from microcred.domain.account import User
from microcred.errors import Conflict, InvalidInput, NotFound, Problem
from microcred.store import listings as listing_repo
from microcred.store import organizations as org_repo
from microcred.store.engine import Store
from microcred.store.schema import issued_credentials

STATES = ("active", "revoked", "suspended")


@dataclass(frozen=True)
class Issued:
    """A credential microcred issued, as recorded."""

    id: int
    credential_id: str
    organization_id: int
    listing_id: int
    state: str
    document: dict[str, Any]
    issued_at: datetime
    created: bool = False  # False when an earlier, identical request had issued it


def _issued(row: Any, created: bool = False) -> Issued:
    return Issued(
        row.id,
        row.credential_id,
        row.organization_id,
        row.listing_id,
        row.state,
        row.document,
        row.issued_at,
        created,
    )


class Issuance:
    """Issue, find, revoke, suspend and reinstate credentials."""

    def __init__(
        self, store: Store, keys: IssuerKeys, schemas: Schemas, *, base_url: str, secret: bytes
    ) -> None:
        self.store = store
        self.keys = keys
        self.schemas = schemas
        self.base_url = base_url.rstrip("/")
        self._secret = secret

    def issue(
        self,
        listing_id: int,
        recipient: ob3.Recipient,
        *,
        actor: User | None,
        issuance_key: str = "",
        valid_until: datetime | None = None,
        evidence: list[dict[str, Any]] | None = None,
    ) -> Issued:
        """Issue one credential (or return the one an identical earlier request issued)."""
        if len(issuance_key) > 200:
            message = "the issuance key is longer than 200 characters"
            raise InvalidInput(message, [Problem("issuance_key", message)])
        policy.require_user(actor)
        try:
            return self._issue_once(
                listing_id, recipient, actor, issuance_key, valid_until, evidence
            )
        except IntegrityError:
            # An identical request committed first (PostgreSQL runs them side by side):
            # this one now finds that credential and returns it.
            return self._issue_once(
                listing_id, recipient, actor, issuance_key, valid_until, evidence
            )

    def _issue_once(
        self,
        listing_id: int,
        recipient: ob3.Recipient,
        actor: User | None,
        issuance_key: str,
        valid_until: datetime | None,
        evidence: list[dict[str, Any]] | None,
    ) -> Issued:
        with self.store.write() as conn:
            listing = listing_repo.get(conn, listing_id)
            policy.require_editor_of(actor, listing.organization_id)
            recipient_key = recipient.key(self._secret)
            existing = conn.execute(
                select(issued_credentials).where(
                    issued_credentials.c.listing_id == listing_id,
                    issued_credentials.c.recipient == recipient_key,
                    issued_credentials.c.issuance_key == issuance_key,
                )
            ).one_or_none()
            if existing is not None:
                return _issued(existing)
            if str(listing.status) != "active":
                message = f"listing {listing_id} is archived: it cannot be issued"
                raise InvalidInput(message, [Problem("listing_id", message)])
            return self._issue(
                conn, listing, recipient, recipient_key, issuance_key, actor, valid_until, evidence
            )

    def _issue(
        self,
        conn: Connection,
        listing: Any,
        recipient: ob3.Recipient,
        recipient_key: str,
        issuance_key: str,
        actor: User | None,
        valid_until: datetime | None,
        evidence: list[dict[str, Any]] | None,
    ) -> Issued:
        organization = org_repo.get(conn, listing.organization_id)
        key, secret = self.keys.active(conn, organization.id)
        revocation = status.allocate(conn, organization.id, "revocation")
        suspension = status.allocate(conn, organization.id, "suspension")
        credential = ob3.compose(
            listing,
            issuer=self._profile(organization, key.controller),
            recipient=recipient,
            credential_id=f"urn:uuid:{uuid.uuid4()}",
            base_url=self.base_url,
            status=[
                status.entry(self.base_url, revocation, "revocation"),
                status.entry(self.base_url, suspension, "suspension"),
            ],
            valid_until=valid_until,
            evidence=evidence,
        )
        self.validate(credential)
        to_quads(credential)  # every term defined: nothing would be lost in signing
        signed = dataintegrity.sign(credential, secret, verification_method=key.verification_method)
        # Resolved from the key in hand: a new key is not committed (visible) yet.
        check = dataintegrity.verify(
            signed,
            resolve=lambda m: (
                secret.public_key() if m == key.verification_method else self.keys.resolve(m)
            ),
        )
        if not check.verified:  # never deliver what we cannot verify ourselves
            raise Conflict(f"the signed credential did not verify: {check.reason}")
        now = datetime.now(UTC)
        new_id = conn.execute(
            issued_credentials.insert()
            .values(
                credential_id=signed["id"],
                organization_id=organization.id,
                listing_id=listing.id,
                recipient=recipient_key,
                issuance_key=issuance_key,
                status_list_id=revocation.list_id,
                status_index=revocation.index,
                suspension_list_id=suspension.list_id,
                suspension_index=suspension.index,
                state="active",
                document=signed,
                issued_by=actor.id if actor and actor.id > 0 else None,
                issued_at=now,
                changed_at=now,
            )
            .returning(issued_credentials.c.id)
        ).scalar_one()
        row = conn.execute(
            select(issued_credentials).where(issued_credentials.c.id == new_id)
        ).one()
        return _issued(row, created=True)

    def clr(self, provider: str, recipient: ob3.Recipient, *, actor: User | None) -> dict[str, Any]:
        """A signed CLR 2.0 ClrCredential bundling every active credential the provider
        (by slug) issued to ``recipient`` (its staff or an admin)."""
        policy.require_user(actor)
        with self.store.write() as conn:
            organization = org_repo.get_by_slug(conn, provider)
            organization_id = organization.id
            policy.require_editor_of(actor, organization_id)
            rows = conn.execute(
                select(issued_credentials.c.document)
                .where(
                    issued_credentials.c.organization_id == organization_id,
                    issued_credentials.c.recipient == recipient.key(self._secret),
                    issued_credentials.c.state == "active",
                )
                .order_by(issued_credentials.c.issued_at, issued_credentials.c.id)
                .limit(clr.MAX_CREDENTIALS + 1)
            ).all()
            if not rows:
                raise NotFound(f"{organization.name('en')} has issued no active credential to them")
            if len(rows) > clr.MAX_CREDENTIALS:
                raise InvalidInput(f"more than {clr.MAX_CREDENTIALS} credentials to bundle")
            key, secret = self.keys.active(conn, organization_id)
        record = clr.compose(
            [row.document for row in rows],
            issuer=self._profile(organization, key.controller),
            recipient=recipient,
            clr_id=f"urn:uuid:{uuid.uuid4()}",
            name=f"{organization.name('en')} — Comprehensive Learner Record",
        )
        self.validate(record)
        signed = dataintegrity.sign(record, secret, verification_method=key.verification_method)
        if not dataintegrity.verify(signed, resolve=self.keys.resolve).verified:
            raise Conflict("the signed learner record did not verify")
        return signed

    def validate(self, credential: dict[str, Any], *, shape: bool = True) -> None:
        """Refuse a credential that breaks the OB 3.0 data model (unless ``shape`` is false:
        any VC may be signed as given) or an installed official schema."""
        problems = ob3.check_shape(credential) if shape else []
        if problems:
            raise InvalidInput("the credential is not a valid Open Badges 3.0 shape", problems)
        problems = self.schemas.problems(credential) or []
        if problems:
            raise InvalidInput("the credential does not meet the official JSON Schema", problems)

    @staticmethod
    def _profile(organization: Any, controller: str) -> dict[str, Any]:
        """The issuer Profile (OB 3.0 § B.2.6) of a provider."""
        profile: dict[str, Any] = {
            "id": controller,
            "type": ["Profile"],
            "name": organization.name("en"),
        }
        if organization.website:
            profile["url"] = str(organization.website)
        return profile

    @staticmethod
    def _row(conn: Connection, credential_id: str) -> Any:
        row = conn.execute(
            select(issued_credentials).where(issued_credentials.c.credential_id == credential_id)
        ).one_or_none()
        if row is None:
            raise NotFound(f"no credential {credential_id[:100]!r} was issued here")
        return row

    def get(self, credential_id: str) -> Issued:
        """An issued credential by its id (``urn:uuid:…``)."""
        with self.store.read() as conn:
            return _issued(self._row(conn, credential_id))

    def set_state(self, credential_id: str, state: str, *, actor: User | None) -> Issued:
        """Revoke (final), suspend, or reinstate a suspended credential."""
        if state not in STATES:
            message = f"unknown status {state!r}: use active, revoked or suspended"
            raise InvalidInput(message, [Problem("status", message)])
        with self.store.write() as conn:
            row = self._row(conn, credential_id)
            policy.require_editor_of(actor, row.organization_id)
            if row.state == "revoked" and state != "revoked":
                raise Conflict("a revoked credential cannot be reinstated")
            status.set_entry(
                conn, status.Slot(row.status_list_id, row.status_index), state == "revoked"
            )
            status.set_entry(
                conn,
                status.Slot(row.suspension_list_id, row.suspension_index),
                state == "suspended",
            )
            conn.execute(
                update(issued_credentials)
                .where(issued_credentials.c.id == row.id)
                .values(state=state, changed_at=datetime.now(UTC))
            )
        return self.get(credential_id)

    def status_list_credential(self, list_id: int) -> dict[str, Any]:
        """The signed BitstringStatusListCredential of one of our lists."""
        with self.store.write() as conn:
            found = status.get(conn, list_id)
            key, secret = self.keys.active(conn, found.organization_id)
        unsigned = status.list_credential(self.base_url, found, key.controller)
        return dataintegrity.sign(unsigned, secret, verification_method=key.verification_method)

    def status(self, url: str, index: int) -> bool | None:
        """Whether entry ``index`` of the status list at ``url`` is set: one of our own lists
        from the store, another server's fetched (and its proof verified) when fetching is
        allowed; None when it is not looked up. InvalidInput when it cannot be had."""
        prefix = f"{self.base_url}/credentials/status/"
        rest = url[len(prefix) :] if url.startswith(prefix) else ""
        if rest.isdigit():
            return self.status_bit(int(rest), index)
        if self.keys.remote is None:
            return None
        return self.keys.remote.status(url, index, self.keys.resolve)

    def verify(self, credential: dict[str, Any] | str, *, recipient: str | None = None) -> Report:
        """Verify any credential with what this server knows: its status lists and keys."""
        return verify_credential(
            credential,
            status_lookup=self.status,
            recipient=recipient,
            resolve=self.keys.resolve,
            schema=self.schemas.check,
        )

    def verify_presentation(
        self, document: dict[str, Any], *, challenge: str | None, domain: str | None
    ) -> PresentationReport:
        """Verify a presentation and its credentials with what this server knows."""
        return verify_presentation(
            document,
            challenge=challenge,
            domain=domain,
            status_lookup=self.status,
            resolve=self.keys.resolve,
            schema=self.schemas.check,
        )

    def status_bit(self, list_id: int, index: int) -> bool | None:
        """Whether an entry of one of our lists is set (None: no such list here)."""
        with self.store.read() as conn:
            try:
                found = status.get(conn, list_id)
            except NotFound:
                return None
        return status.bit(found.bits, index)
