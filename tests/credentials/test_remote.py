"""Other issuers' credentials: did:web documents, https key documents and status lists are
fetched from a real (loopback) HTTP server, and the SSRF guards refuse what they should."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from microcred import Microcred, Settings
from microcred.credentials import dataintegrity, did, multikey, status
from microcred.credentials.remote import RemoteDocuments, did_web_url
from microcred.errors import InvalidInput

KEY = Ed25519PrivateKey.generate()
MULTIKEY = multikey.public_multibase(KEY.public_key())


class _Site:
    """Documents served at paths of a loopback HTTP server."""

    def __init__(self) -> None:
        self.documents: dict[str, Any] = {}
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits.append(self.path)
                found = site.documents.get(self.path)
                if found is None:
                    self.send_response(302 if self.path == "/moved" else 404)
                    self.send_header("Location", "http://127.0.0.1:1/")
                    self.end_headers()
                    return
                body = json.dumps(found).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def site() -> Iterator[_Site]:
    found = _Site()
    yield found
    found.server.shutdown()
    found.server.server_close()


def _credential(issuer: str, method: str, **extra: Any) -> dict[str, Any]:
    unsigned = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:5f1a0c8e-0000-4000-8000-00000000000a",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Elsewhere College"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Welding safety",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:5f1a0c8e-0000-4000-8000-00000000000b",
                "type": ["Achievement"],
                "name": "Welding safety",
                "description": "Safe welding practice.",
                "criteria": {"narrative": "Pass the practical."},
            },
        },
        **extra,
    }
    return dataintegrity.sign(unsigned, KEY, verification_method=method)


@pytest.fixture
def remote_mc(settings: Settings) -> Iterator[Microcred]:
    with Microcred(
        settings.model_copy(update={"fetch_remote": True, "fetch_insecure": True})
    ) as mc:
        yield mc


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_did_web_issuer_elsewhere_is_resolved_by_fetching(
    remote_mc: Microcred, site: _Site
) -> None:
    controller = did.did_web(site.host, "colleges", "elsewhere")
    method = f"{controller}#{MULTIKEY}"
    site.documents["/colleges/elsewhere/did.json"] = did.did_document(
        controller, [(method, MULTIKEY)]
    )
    credential = _credential(controller, method)
    report = remote_mc.credentials.verify(credential)
    assert report.verified, report.as_json()
    # Fetched once, then cached.
    before = len(site.hits)
    assert remote_mc.credentials.verify(credential).verified
    assert len(site.hits) == before
    tampered = dict(credential, name="Welding mastery")
    assert "does not match" in remote_mc.credentials.verify(tampered).failed[0].why
    # A document that names another DID, or lacks the key, is refused.
    other = did.did_web(site.host, "colleges", "liar")
    site.documents["/colleges/liar/did.json"] = did.did_document(controller, [(method, MULTIKEY)])
    liar = remote_mc.credentials.verify(_credential(other, f"{other}#{MULTIKEY}"))
    assert "is not did:web" in liar.failed[0].why


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_https_key_documents_and_remote_status_lists(remote_mc: Microcred, site: _Site) -> None:
    issuer = f"http://{site.host}/issuers/565049"
    method = f"{issuer}#key-1"
    site.documents["/issuers/565049"] = {
        "id": issuer,
        "type": ["Profile"],
        "verificationMethod": [
            {"id": method, "type": "Multikey", "controller": issuer, "publicKeyMultibase": MULTIKEY}
        ],
    }
    bits = status.with_bit(bytes(status.SIZE // 8), 42, True)
    list_url = f"http://{site.host}/status/1"
    site.documents["/status/1"] = dataintegrity.sign(
        status.list_document(list_url, issuer, "revocation", bits),
        KEY,
        verification_method=method,
    )

    def entry(index: int) -> dict[str, Any]:
        return {
            "id": f"{list_url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": list_url,
        }

    good = remote_mc.credentials.verify(_credential(issuer, method, credentialStatus=entry(7)))
    assert good.verified, good.as_json()
    revoked = remote_mc.credentials.verify(_credential(issuer, method, credentialStatus=entry(42)))
    assert [c.name for c in revoked.failed] == ["status"]
    missing = dict(entry(7), statusListCredential=f"http://{site.host}/status/404")
    gone = remote_mc.credentials.verify(_credential(issuer, method, credentialStatus=missing))
    assert "HTTP 404" in gone.failed[0].why


def test_ssrf_guards() -> None:
    strict = RemoteDocuments()
    for url, why in [
        ("http://example.org/did.json", "only https"),
        ("https://127.0.0.1/did.json", "not a public address"),
        ("https://10.0.0.8/x", "not a public address"),
        ("https://[::1]/x", "not a public address"),
        ("https://169.254.169.254/latest/meta-data", "not a public address"),
        ("file:///etc/passwd", "only https"),
        ("https://user@example.org/x", "only https"),
    ]:
        with pytest.raises(InvalidInput, match=why):
            strict.get_json(url)
    with pytest.raises(InvalidInput, match="cannot resolve"):
        strict.resolve("did:web:127.0.0.1:x#key")
    with pytest.raises(InvalidInput, match="cannot resolve verification method"):
        strict.resolve("ftp://example.org/key")


def test_redirects_are_not_followed(site: _Site) -> None:
    with pytest.raises(InvalidInput, match="HTTP 302"):
        RemoteDocuments(insecure=True).get_json(f"http://{site.host}/moved")


def test_did_web_urls() -> None:
    assert (
        did_web_url("did:web:w3c-ccg.github.io") == "https://w3c-ccg.github.io/.well-known/did.json"
    )
    assert (
        did_web_url("did:web:example.com%3A3000:user:alice")
        == "https://example.com:3000/user/alice/did.json"
    )


def test_insecure_fetching_is_refused_in_production() -> None:
    with pytest.raises(ValueError, match="MICROCRED_FETCH_INSECURE"):
        Settings(
            environment="production",
            cookie_secure=True,
            key_secret="Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ=",
            fetch_insecure=True,
        )
