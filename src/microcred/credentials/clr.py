"""Comprehensive Learner Record 2.0 (1EdTech CLR Standard v2.0): one signed ClrCredential
bundling a learner's Open Badges 3.0 credentials from one issuer.

https://www.imsglobal.org/spec/clr/v2p0/ — the ClrSubject holds the bundled credentials
(``verifiableCredential``, each signed by its issuer and verifiable on its own), the
achievements they certify (``achievement``) and how those relate (``association``).
The subject is the learner's DID when there is one; for learners known by email the bundled
credentials carry the salted identity hashes (the CLR 2.0 context defines no ``identifier``
for a ClrSubject).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from microcred.credentials import ob3
from microcred.errors import Problem

CLR_V2 = "https://purl.imsglobal.org/spec/clr/v2p0/context.json"
MAX_CREDENTIALS = 500


def compose(
    credentials: list[dict[str, Any]],
    *,
    issuer: dict[str, Any],
    recipient: ob3.Recipient,
    clr_id: str,
    name: str,
    valid_from: datetime | None = None,
) -> dict[str, Any]:
    """An unsigned ClrCredential over ``credentials`` (signed OpenBadgeCredentials)."""
    achievements: dict[str, dict[str, Any]] = {}
    for credential in credentials:
        found = credential.get("credentialSubject", {}).get("achievement")
        if isinstance(found, dict) and isinstance(found.get("id"), str):
            achievements.setdefault(found["id"], found)
    subject: dict[str, Any] = {"type": ["ClrSubject"]}
    if recipient.did:
        subject["id"] = recipient.did
    subject["verifiableCredential"] = credentials
    subject["achievement"] = list(achievements.values())
    moment = (valid_from or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return {
        "@context": [ob3.VC_V2, CLR_V2, ob3.OB_V3],
        "id": clr_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer,
        "name": name,
        "validFrom": moment.isoformat().replace("+00:00", "Z"),
        "credentialSubject": subject,
    }


def is_clr(credential: dict[str, Any]) -> bool:
    types = credential.get("type")
    return isinstance(types, list) and "ClrCredential" in types


def bundled(credential: dict[str, Any]) -> list[Any]:
    """The credentials a ClrCredential bundles."""
    subject = credential.get("credentialSubject")
    found = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    return found if isinstance(found, list) else ([found] if found else [])


def check_subject(credential: dict[str, Any]) -> list[Problem]:
    """What CLR 2.0 requires of a ClrCredential's subject."""
    subject = credential.get("credentialSubject")
    kinds = subject.get("type") if isinstance(subject, dict) else None
    if not isinstance(kinds, list) or "ClrSubject" not in kinds:
        return [Problem("credentialSubject", "must be a ClrSubject")]
    items = bundled(credential)
    if not items:
        return [Problem("credentialSubject.verifiableCredential", "must hold credentials")]
    if len(items) > MAX_CREDENTIALS:
        message = f"more than {MAX_CREDENTIALS} credentials"
        return [Problem("credentialSubject.verifiableCredential", message)]
    return []
