"""The JSON-LD context documents microcred knows, bundled and never fetched.

Each file in ``contexts/`` is a normative context as the reference implementation's packages
publish it (``tests/interop/export-contexts.mjs`` writes them and ``manifest.json``, with
each file's SHA-256). Files are checked against the manifest when first read, so an edited
or damaged context is refused rather than silently changing what credentials mean.
Unknown context URLs are refused: loading documents from the network while verifying would
let an attacker choose what a credential says.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

from microcred.errors import ConfigurationError, InvalidInput, Problem


@cache
def manifest() -> dict[str, dict[str, str]]:
    """Context URL → {file, sha256, package}."""
    text = resources.files("microcred.credentials").joinpath("contexts/manifest.json")
    found: dict[str, dict[str, str]] = json.loads(text.read_text("utf-8"))
    return found


@cache
def _document(url: str) -> dict[str, Any]:
    entry = manifest()[url]
    raw = resources.files("microcred.credentials").joinpath(f"contexts/{entry['file']}")
    data = raw.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise ConfigurationError(
            f"the bundled context {url} does not match its recorded SHA-256; reinstall microcred"
        )
    document: dict[str, Any] = json.loads(data)
    return document


def known(url: str) -> bool:
    """Whether ``url`` is a context microcred bundles."""
    return url in manifest()


def load(url: str) -> dict[str, Any]:
    """A bundled context document; InvalidInput for any other URL."""
    if not known(url):
        message = f"unknown JSON-LD context {url!r}: microcred only uses the contexts it bundles"
        raise InvalidInput(message, [Problem("@context", message, code="unknown_context")])
    return _document(url)


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader over the bundled contexts."""
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": load(url),
    }
