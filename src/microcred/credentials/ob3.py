"""Open Badges 3.0 credentials composed from a listing (1EdTech OB 3.0, § 8 data model).

https://www.imsglobal.org/spec/ob/v3p0/ — an OpenBadgeCredential is a W3C Verifiable
Credential 2.0 whose ``credentialSubject`` is an AchievementSubject holding the Achievement.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.domain.listing import Listing
from microcred.errors import InvalidInput, Problem

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
# Listing kinds (CTDL) → OB 3.0 achievementType (§ B.1.1 AchievementType enumeration).
ACHIEVEMENT_TYPES = {
    "MicroCredential": "MicroCredential",
    "Badge": "Badge",
    "DigitalBadge": "Badge",
    "OpenBadge": "Badge",
    "Certificate": "Certificate",
    "CertificateOfCompletion": "CertificateOfCompletion",
    "Certification": "Certification",
    "ProfessionalCertificate": "Certificate",
    "Course": "Course",
}
FRAMEWORKS = {"esco": "ESCO", "oasis": "OaSIS 2023", "onet": "O*NET"}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")


@dataclass(frozen=True)
class Recipient:
    """Who a credential is for: a DID, or an email address (published only as a salted hash)."""

    did: str | None = None
    email: str | None = None

    @classmethod
    def parse(cls, value: str) -> Recipient:
        text = value.strip()
        if text.startswith("did:") and len(text) <= 300:
            return cls(did=text)
        if _EMAIL.match(text):
            return cls(email=text.lower())
        message = f"recipient {text[:80]!r} is neither a DID nor an email address"
        raise InvalidInput(message, [Problem("recipient", message)])

    def key(self, secret: bytes) -> str:
        """A stable, non-reversible key for idempotency (HMAC of the email with a secret)."""
        if self.did:
            return self.did
        assert self.email is not None
        return "email:" + hmac.new(secret, self.email.encode(), hashlib.sha256).hexdigest()

    def subject(self, achievement: dict[str, Any]) -> dict[str, Any]:
        """The AchievementSubject (§ B.1.4), with an IdentityObject for email recipients."""
        subject: dict[str, Any] = {"type": ["AchievementSubject"]}
        if self.did:
            subject["id"] = self.did
        else:
            assert self.email is not None
            salt = secrets.token_hex(8)
            subject["identifier"] = [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(self.email, salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ]
        subject["achievement"] = achievement
        return subject


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 § B.1.8: ``sha256$`` + hex SHA-256 of the identity followed by the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def achievement(listing: Listing, base_url: str, language: str = "en") -> dict[str, Any]:
    """The Achievement (§ B.1.3) a listing certifies."""
    base = base_url.rstrip("/")
    criteria = listing.assessment.description if listing.assessment else None
    outcomes = "; ".join(listing.learning_outcomes)
    found: dict[str, Any] = {
        "id": f"{base}/listings/{listing.id}#achievement",
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES.get(str(listing.kind), "MicroCredential"),
        "name": listing.title(language),
        "description": listing.description(language) or listing.title(language),
        "criteria": {"narrative": criteria or outcomes or listing.title(language)},
        "inLanguage": listing.languages[0],
    }
    alignments = [
        {
            "type": ["Alignment"],
            "targetName": skill.label or skill.id,
            "targetUrl": skill.id if skill.id.startswith("http") else f"{base}/skills/{skill.id}",
            "targetCode": skill.id,
            "targetFramework": FRAMEWORKS.get(str(skill.scheme), str(skill.scheme)),
            "targetType": "ceasn:Competency",
        }
        for skill in listing.skills
    ]
    if alignments:
        found["alignment"] = alignments
    if listing.credits is not None:
        found["creditsAvailable"] = float(listing.credits)
    if listing.cip_code:
        found["fieldOfStudy"] = f"CIP 2021 {listing.cip_code}"
    if listing.external_id:
        found["humanCode"] = listing.external_id
    return found


def compose(
    listing: Listing,
    *,
    issuer: dict[str, Any],
    recipient: Recipient,
    credential_id: str,
    base_url: str,
    status: list[dict[str, Any]],
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    evidence: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential for one recipient of a listing."""
    language = listing.title_language("en")
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": listing.title(language),
        "issuer": issuer,
        "validFrom": _stamp(valid_from or datetime.now(UTC)),
        "credentialSubject": recipient.subject(achievement(listing, base_url, language)),
        # "JsonSchema" (VC 2.0 § 5.4): the reference stack's safe mode refuses the OB
        # 3.0 examples' "1EdTechJsonSchemaValidator2019", which no bundled context defines.
        "credentialSchema": [{"id": SCHEMA, "type": "JsonSchema"}],
        "credentialStatus": status,
    }
    if valid_until is not None:
        credential["validUntil"] = _stamp(valid_until)
    if evidence:
        credential["evidence"] = [{"type": ["Evidence"], **e} for e in evidence]
    return credential


def is_vc1(credential: dict[str, Any]) -> bool:
    """Whether ``credential`` is in the VC 1.1 data model (``issuanceDate``)."""
    context = credential.get("@context")
    return isinstance(context, list) and context[:1] == [VC_V1]


KINDS = {"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential", "ClrCredential"}


def check_shape(credential: dict[str, Any]) -> list[Problem]:
    """What the OB 3.0 / CLR 2.0 / VC 2.0 data models require of a credential's shape."""
    from microcred.credentials import clr  # CLR builds on this module

    problems = []
    context = credential.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V2:
        problems.append(Problem("@context", f"must be a list starting with {VC_V2}"))
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        problems.append(Problem("type", "must be a list containing VerifiableCredential"))
    elif not KINDS & set(types):
        problems.append(Problem("type", "must contain OpenBadgeCredential"))
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or ":" not in issuer_id:
        problems.append(Problem("issuer", "must be a URI, or a Profile with an id"))
    subject = credential.get("credentialSubject")
    endorsement = isinstance(types, list) and "EndorsementCredential" in types
    if clr.is_clr(credential):
        problems += clr.check_subject(credential)
    elif endorsement:
        kinds = subject.get("type") if isinstance(subject, dict) else None
        if not isinstance(kinds, list) or "EndorsementSubject" not in kinds:
            problems.append(Problem("credentialSubject", "must be an EndorsementSubject"))
    elif not isinstance(subject, dict) or not isinstance(subject.get("achievement"), dict):
        problems.append(Problem("credentialSubject", "must hold an achievement"))
    if "validFrom" not in credential:
        problems.append(Problem("validFrom", "is required"))
    return problems
