"""Sign and verify throughput for a realistic ~2 KB Open Badges 3.0 credential, with
eddsa-rdfc-2022 and as a VC-JWT, microcred against the reference stack (@digitalbazaar/vc and
panva's jose, Node) in the same run. Prints JSON.

    python bench/credentials.py [--seconds 5]

One core each (run under `taskset -c 1`): microcred runs in this process over 400 distinct
credentials of one shape, as an issuer produces them; Node runs tests/interop/bench.mjs
(needs `cd tests/interop && npm ci`). Also measured: Ed25519 alone (the floor set by the
signature), JSON-LD → RDF + RDFC-1.0 with the fast path and with full expansion, and the
first credential of a new shape (full expansion, then cached).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc.jwk import OKPKey

from microcred.credentials import dataintegrity, did, jose, multikey
from microcred.credentials.jsonld import to_quads, to_quads_general
from microcred.credentials.rdfc import canonicalize

HARNESS = Path(__file__).parents[1] / "tests" / "interop"


def credential(issuer: str) -> dict[str, Any]:
    """An OpenBadgeCredential of about 2 KB, like the ones microcred issues."""
    skills = [
        ("Numeracy", "F01c01"),
        ("Digital Literacy", "F01c02"),
        ("Critical Thinking", "F02a01"),
    ]
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:4b3f2e1d-9c8b-4a7f-8e6d-5c4b3a291807",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Data Analytics Foundations",
        "issuer": {
            "id": issuer,
            "type": ["Profile"],
            "name": "Tamarack College",
            "url": "https://tamarack.example.ca/",
        },
        "validFrom": "2026-11-29T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "hashed": True,
                    "salt": "5e2b1a9c0d3f4e6a",
                    "identityType": "emailAddress",
                    "identityHash": "sha256$9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                }
            ],
            "achievement": {
                "id": "https://microcred.example.ca/listings/42#achievement",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "name": "Data Analytics Foundations",
                "description": "Clean data, write SQL queries that join and aggregate tables, "
                "and build a dashboard that answers a business question.",
                "criteria": {
                    "narrative": "Graded against a published rubric by a qualified "
                    "assessor: a capstone project and a practical exam."
                },
                "inLanguage": "en",
                "creditsAvailable": 1.5,
                "humanCode": "DA-101",
                "fieldOfStudy": "CIP 2021 30.7001",
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": name,
                        "targetUrl": f"https://microcred.example.ca/skills/{code}",
                        "targetCode": code,
                        "targetFramework": "OaSIS 2023",
                        "targetType": "ceasn:Competency",
                    }
                    for name, code in skills
                ],
            },
        },
        "credentialSchema": [
            {
                "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                "ob_v3p0_achievementcredential_schema.json",
                "type": "JsonSchema",
            }
        ],
        "credentialStatus": [
            {
                "id": "https://microcred.example.ca/credentials/status/1#94567",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "94567",
                "statusListCredential": "https://microcred.example.ca/credentials/status/1",
            }
        ],
    }


def _variant(document: dict[str, Any], n: int) -> dict[str, Any]:
    out = json.loads(json.dumps(document))
    out["id"] = f"urn:uuid:4b3f2e1d-9c8b-4a7f-8e6d-{n % 10**12:012d}"
    out["name"] = f"Data Analytics Foundations — cohort {n}"
    subject = out["credentialSubject"]
    subject["identifier"][0]["identityHash"] = "sha256$" + f"{n:064x}"[-64:]
    return out


def _checked(check: Any) -> None:
    if not check.verified:
        raise SystemExit(f"a benchmark credential did not verify: {check.reason}")


def rate(work: Callable[[], object], seconds: float) -> float:
    work()
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        work()
        n += 1
    return round(n / (time.perf_counter() - start), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    key = Ed25519PrivateKey.generate()
    document = credential(did.did_key(key.public_key()))
    # Every credential differs (id, recipient, name), as in real issuance: the fast path's
    # cache holds the shape, not the values.
    variants = [_variant(document, n) for n in range(400)]
    started = time.perf_counter()
    dataintegrity.sign(_variant(document, -1), key)
    cold_ms = round((time.perf_counter() - started) * 1000, 1)
    signed_variants = [dataintegrity.sign(v, key) for v in variants]
    signed = signed_variants[0]
    kid = did.verification_method(key.public_key())
    tokens = [jose.sign(v, key, kid=kid) for v in variants]
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rs256 = [jose.sign(v, rsa_key, kid="did:web:x#rsa") for v in variants]
    cycle = iter(range(10**9))
    data = b"x" * 64
    signature = key.sign(data)
    public = key.public_key()
    ours = {
        "sign_per_s": rate(
            lambda: dataintegrity.sign(variants[next(cycle) % 400], key), args.seconds
        ),
        "verify_per_s": rate(
            lambda: _checked(dataintegrity.verify(signed_variants[next(cycle) % 400])),
            args.seconds,
        ),
        "expand_and_canonicalize_per_s": rate(
            lambda: canonicalize(to_quads(variants[next(cycle) % 400])), args.seconds
        ),
        "full_expansion_per_s": rate(
            lambda: canonicalize(to_quads_general(variants[next(cycle) % 400])), args.seconds
        ),
        "first_credential_of_a_shape_ms": cold_ms,
        "jwt_sign_per_s": rate(
            lambda: jose.sign(variants[next(cycle) % 400], key, kid=kid), args.seconds
        ),
        "jwt_verify_per_s": rate(
            lambda: _checked(jose.verify(tokens[next(cycle) % 400])[0]), args.seconds
        ),
        "jwt_rs256_sign_per_s": rate(
            lambda: jose.sign(variants[next(cycle) % 400], rsa_key, kid="did:web:x#rsa"),
            args.seconds,
        ),
        "jwt_rs256_verify_per_s": rate(
            lambda: _checked(
                jose.verify(rs256[next(cycle) % 400], resolve=lambda m: rsa_key.public_key())[0]
            ),
            args.seconds,
        ),
        "ed25519_verify_per_s": rate(lambda: public.verify(signature, data), args.seconds),
    }
    report: dict[str, Any] = {
        "credential_bytes": len(json.dumps(signed).encode()),
        "microcred": ours,
    }
    node = shutil.which("node")
    if node and (HARNESS / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        done = subprocess.run(
            [
                node,
                str(HARNESS / "bench.mjs"),
                multikey.private_multibase(key),
                multikey.public_multibase(public),
                str(args.seconds),
                json.dumps(OKPKey.import_key(key).as_dict(private=True)),
            ],
            input=json.dumps(document),
            capture_output=True,
            text=True,
            check=True,
        )
        reference = {k: round(v, 1) for k, v in json.loads(done.stdout).items()}
        report["reference_node"] = reference
        report["ratio"] = {
            "sign": round(ours["sign_per_s"] / reference["sign_per_s"], 2),
            "verify": round(ours["verify_per_s"] / reference["verify_per_s"], 2),
            "jwt_sign": round(ours["jwt_sign_per_s"] / reference["jwt_sign_per_s"], 2),
            "jwt_verify": round(ours["jwt_verify_per_s"] / reference["jwt_verify_per_s"], 2),
        }
    else:
        report["reference_node"] = "skipped: cd tests/interop && npm ci"
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
