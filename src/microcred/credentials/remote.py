"""Documents other servers publish for verifiers — did:web DID documents, issuers' key
documents and Bitstring status list credentials — fetched with care.

Verifying a credential someone pastes must not let them steer this server (SSRF): only
``https`` URLs are fetched, the host must resolve to public addresses only, and the
connection goes to the very address that was checked (no second DNS answer can swap in
an internal one). Redirects are not followed, answers are capped in size and time, and
successful answers are cached for a few minutes. ``insecure=True`` (tests only) allows
plain http and private addresses.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
import threading
from typing import Any
from urllib.parse import unquote, urlsplit

from cachetools import TTLCache

from microcred.credentials import did, status
from microcred.credentials.dataintegrity import Resolver, verify
from microcred.errors import InvalidInput, Problem

MAX_BYTES = 512_000
TIMEOUT = 5.0
USER_AGENT = "microcred-verifier/0.1"


def _unresolvable(message: str) -> InvalidInput:
    return InvalidInput(
        message, [Problem("proof.verificationMethod", message, code="unresolvable")]
    )


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a vetted address, verifying the certificate for the host."""

    def __init__(self, host: str, address: str, port: int, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=TIMEOUT, context=context)
        self._address = address
        self._context = context

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class RemoteDocuments:
    """Fetch JSON documents for verification (see the module description)."""

    def __init__(self, *, insecure: bool = False, ttl: float = 300.0) -> None:
        self.insecure = insecure
        self._cache: TTLCache[str, Any] = TTLCache(maxsize=512, ttl=ttl)
        self._lock = threading.Lock()
        self._tls = ssl.create_default_context()

    def get_json(self, url: str) -> Any:
        """The JSON at ``url``; InvalidInput saying why when it cannot be had."""
        with self._lock:
            if url in self._cache:
                return self._cache[url]
        found = self._fetch(url)
        with self._lock:
            self._cache[url] = found
        return found

    def _address(self, host: str, port: int) -> str:
        try:
            answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise InvalidInput(f"cannot resolve host {host[:80]!r}: {error}") from None
        addresses = [ipaddress.ip_address(str(a[4][0]).split("%")[0]) for a in answers]
        if not self.insecure and any(not a.is_global for a in addresses):
            raise InvalidInput(f"{host[:80]!r} is not a public address: it is not fetched")
        return str(addresses[0])

    def _fetch(self, url: str) -> Any:
        parts = urlsplit(url)
        allowed = ("https", "http") if self.insecure else ("https",)
        if parts.scheme not in allowed or not parts.hostname or parts.username:
            raise InvalidInput(f"only https URLs are fetched, not {url[:100]!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = self._address(parts.hostname, port)
        connection: http.client.HTTPConnection = (
            _PinnedHTTPS(parts.hostname, address, port, self._tls)
            if parts.scheme == "https"
            else http.client.HTTPConnection(address, port, timeout=TIMEOUT)
        )
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET",
                target,
                headers={
                    "Host": parts.netloc,
                    "Accept": "application/did+ld+json, application/ld+json, application/json",
                    "User-Agent": USER_AGENT,
                },
            )
            response = connection.getresponse()
            if response.status != 200:
                raise InvalidInput(f"{url[:100]} answered HTTP {response.status}")
            body = response.read(MAX_BYTES + 1)
        except (OSError, http.client.HTTPException) as error:
            raise InvalidInput(f"cannot fetch {url[:100]}: {error}") from None
        finally:
            connection.close()
        if len(body) > MAX_BYTES:
            raise InvalidInput(f"{url[:100]} is larger than {MAX_BYTES:,} bytes")
        try:
            return json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise InvalidInput(f"{url[:100]} is not JSON") from None

    # Keys -------------------------------------------------------------------------------

    def resolve(self, method: str) -> did.PublicKey:
        """The key a did:web or https verification method names, from its controller's
        published document."""
        controller, _, fragment = method.partition("#")
        if controller.startswith("did:web:"):
            url = did_web_url(controller, "http" if self.insecure else "https")
        elif controller.startswith("https://") or (
            self.insecure and controller.startswith("http://")
        ):
            url = controller
        else:
            raise _unresolvable(f"cannot resolve verification method {method[:80]!r}")
        try:
            document = self.get_json(url)
        except InvalidInput as error:
            raise _unresolvable(f"cannot resolve {method[:80]!r}: {error.message}") from None
        if not isinstance(document, dict):
            raise _unresolvable(f"{url[:100]} is not a DID or controller document")
        if controller.startswith("did:web:") and document.get("id") != controller:
            raise _unresolvable(f"the document at {url[:100]} is not {controller[:80]}'s")
        for candidate in _methods(document):
            if candidate.get("id") in (method, f"#{fragment}") and (
                candidate.get("controller", controller) == controller
            ):
                return did.public_key_of(candidate)
        raise _unresolvable(f"{controller[:80]} does not publish the key {method[:100]!r}")

    # Status lists -----------------------------------------------------------------------

    def status(self, url: str, index: int, resolve: Resolver) -> bool:
        """Whether entry ``index`` of another server's status list is set; the list
        credential's own proof is verified first."""
        document = self.get_json(url)
        if not isinstance(document, dict):
            raise InvalidInput(f"{url[:100]} is not a status list credential")
        check = verify(document, resolve=resolve)
        if not check.verified:
            raise InvalidInput(f"the status list {url[:100]} does not verify: {check.reason}")
        subject = document.get("credentialSubject")
        if not isinstance(subject, dict) or "encodedList" not in subject:
            raise InvalidInput(f"{url[:100]} has no encodedList")
        bits = status.decode(str(subject["encodedList"]))
        if not 0 <= index < len(bits) * 8:
            raise InvalidInput(f"index {index} is outside the status list {url[:100]}")
        return status.bit(bits, index)


def did_web_url(controller: str, scheme: str = "https") -> str:
    """Where a did:web's document lives (did:web method § 3.2, Read)."""
    parts = controller.removeprefix("did:web:").split(":")
    host = unquote(parts[0])
    if not host or "/" in host:
        raise _unresolvable(f"{controller[:80]!r} is not a did:web")
    path = "/".join(unquote(p) for p in parts[1:])
    return (
        f"{scheme}://{host}/{path}/did.json" if path else f"{scheme}://{host}/.well-known/did.json"
    )


def _methods(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = document.get("verificationMethod") or []
    found = found if isinstance(found, list) else [found]
    for relation in ("assertionMethod", "authentication"):
        embedded = document.get(relation) or []
        found += [
            m for m in (embedded if isinstance(embedded, list) else []) if isinstance(m, dict)
        ]
    if "publicKeyMultibase" in document or "publicKeyJwk" in document:
        found.append(document)
    return [m for m in found if isinstance(m, dict)]
