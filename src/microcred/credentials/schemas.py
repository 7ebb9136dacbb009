"""The official JSON Schemas of Open Badges 3.0 and CLR 2.0, installed into the store and
used to validate credentials before signing and when verifying.

1EdTech publishes them at purl.imsglobal.org; no package carries them, so an operator
installs them once with ``microcred credentials schemas fetch`` (from the publisher, or
``--from`` a folder holding the same files for offline installations). Until a schema is
installed its check is skipped and says so; the built-in shape check still applies.
Validators are JSON Schema Draft 2019-09 (as the files declare), from ``jsonschema``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cachetools import TTLCache
from jsonschema import validators
from jsonschema.exceptions import SchemaError
from sqlalchemy import delete, insert, select

from microcred.credentials.ob3 import is_vc1
from microcred.errors import InvalidInput, Problem
from microcred.store.engine import Store
from microcred.store.schema import json_schemas

OB_ACHIEVEMENT = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
OB_ENDORSEMENT = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"
)
CLR = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
OFFICIAL = (OB_ACHIEVEMENT, OB_ENDORSEMENT, CLR)
BY_TYPE = {
    "OpenBadgeCredential": OB_ACHIEVEMENT,
    "AchievementCredential": OB_ACHIEVEMENT,
    "EndorsementCredential": OB_ENDORSEMENT,
    "ClrCredential": CLR,
}
MAX_BYTES = 2_000_000
MAX_ERRORS = 5


@dataclass(frozen=True)
class Installed:
    url: str
    sha256: str
    source: str
    fetched_at: datetime


def _download(url: str) -> bytes:
    request = urllib.request.Request(  # noqa: S310 (one of the fixed https URLs above)
        url, headers={"Accept": "application/schema+json, */*"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (fixed URLs)
            data: bytes = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError) as error:
        raise InvalidInput(f"cannot download {url}: {error}") from None
    return data


class Schemas:
    """Install, list and apply the official JSON Schemas."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._validators: TTLCache[str, Any] = TTLCache(maxsize=16, ttl=60)
        self._lock = threading.Lock()

    def install(self, url: str, data: bytes, source: str) -> Installed:
        """Store one schema (replacing an earlier copy) after checking it is a JSON Schema."""
        if len(data) > MAX_BYTES:
            raise InvalidInput(f"{source}: larger than {MAX_BYTES:,} bytes")
        try:
            document = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise InvalidInput(f"{source}: not JSON ({error})") from None
        if not isinstance(document, dict) or "$schema" not in document:
            raise InvalidInput(f"{source}: not a JSON Schema (no $schema)")
        try:
            validators.validator_for(document).check_schema(document)
        except SchemaError as error:
            raise InvalidInput(f"{source}: not a valid JSON Schema: {error.message}") from None
        found = Installed(url, hashlib.sha256(data).hexdigest(), source, datetime.now(UTC))
        with self.store.write() as conn:
            conn.execute(delete(json_schemas).where(json_schemas.c.url == url))
            conn.execute(
                insert(json_schemas).values(
                    url=url,
                    document=document,
                    sha256=found.sha256,
                    source=source,
                    fetched_at=found.fetched_at,
                )
            )
        with self._lock:
            self._validators.clear()
        return found

    def fetch(self, *, folder: Path | None = None) -> list[Installed]:
        """Install every official schema, from its publisher or from ``folder`` (files named
        as the last part of each URL)."""
        done = []
        for url in OFFICIAL:
            name = url.rsplit("/", 1)[1]
            if folder is not None:
                path = folder / name
                if not path.is_file():
                    raise InvalidInput(f"{path} is missing", [Problem("--from", f"no {name}")])
                done.append(self.install(url, path.read_bytes(), str(path)))
            else:
                done.append(self.install(url, _download(url), url))
        return done

    def installed(self) -> list[Installed]:
        with self.store.read() as conn:
            rows = conn.execute(
                select(
                    json_schemas.c.url,
                    json_schemas.c.sha256,
                    json_schemas.c.source,
                    json_schemas.c.fetched_at,
                ).order_by(json_schemas.c.url)
            ).all()
        return [Installed(*row) for row in rows]

    def _validator(self, url: str) -> Any:
        with self._lock:
            if url in self._validators:
                return self._validators[url]
        with self.store.read() as conn:
            document = conn.execute(
                select(json_schemas.c.document).where(json_schemas.c.url == url)
            ).scalar()
        found = None
        if document is not None:
            found = validators.validator_for(document)(document)
        with self._lock:
            self._validators[url] = found
        return found

    def applicable(self, credential: dict[str, Any]) -> list[str]:
        """The official schemas that describe ``credential``: those it names in
        ``credentialSchema``, else the one for its type."""
        named = credential.get("credentialSchema") or []
        named = named if isinstance(named, list) else [named]
        urls = [str(s["id"]) for s in named if isinstance(s, dict) and s.get("id") in OFFICIAL]
        types = credential.get("type")
        kinds = types if isinstance(types, list) else [types]
        return urls or [BY_TYPE[t] for t in kinds if t in BY_TYPE][:1]

    def problems(
        self, credential: dict[str, Any], urls: list[str] | None = None
    ) -> list[Problem] | None:
        """Where ``credential`` breaks the official schemas (``urls``, by default those that
        apply); None when none of them is installed."""
        checked = False
        found: list[Problem] = []
        for url in self.applicable(credential) if urls is None else urls:
            validator = self._validator(url)
            if validator is None:
                continue
            checked = True
            errors = sorted(validator.iter_errors(credential), key=lambda e: list(e.path))
            for error in errors[:MAX_ERRORS]:
                where = "/".join(str(p) for p in error.path) or "(document)"
                found.append(Problem(where, error.message[:300], code="schema"))
        return found if checked else None

    def check(self, credential: dict[str, Any]) -> tuple[bool | None, str]:
        """A verification check: pass, fail with where and why, or skip."""
        if is_vc1(credential):
            return None, "VC 1.1 credential: the official schemas describe VC 2.0"
        urls = self.applicable(credential)
        names = ", ".join(u.rsplit("/", 1)[1] for u in urls)
        problems = self.problems(credential, urls)
        if problems is None:
            if not names:
                return None, "no official JSON Schema describes this credential type"
            return None, f"{names} not installed (microcred credentials schemas fetch)"
        if problems:
            return False, "; ".join(str(p) for p in problems)
        return True, f"valid against {names}"
