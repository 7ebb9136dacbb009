"""``data fetch`` against a loopback HTTP server: resume, retries, truncation, checksums."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from microcred.reference.fetch import Fetcher, FetchError, ManifestFile, manifest
from tests.conftest import SHARED_DATA


class Mirror(ThreadingHTTPServer):
    root: Path
    cut_after: int | None = None  # close the first response after this many bytes
    requests: list[str]


class Handler(BaseHTTPRequestHandler):
    server: Mirror

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requests.append(self.headers.get("Range") or "full")
        path = self.server.root / self.path.lstrip("/").replace("%20", " ")
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        if self.headers.get("Range"):
            start = int(self.headers["Range"].split("=")[1].rstrip("-"))
            self.send_response(206)
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.server.cut_after is not None:
            self.wfile.write(body[: self.server.cut_after])
            self.server.cut_after = None
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        self.wfile.write(body)


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[Mirror]:
    server = Mirror(("127.0.0.1", 0), Handler)
    server.root = tmp_path / "served"
    server.root.mkdir()
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _file(
    root: Path, name: str, data: bytes, *, size: int | None = None, digest: str | None = None
) -> ManifestFile:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(data)
    return ManifestFile(
        "noc",
        name,
        None,
        None,
        size if size is not None else len(data),
        digest or hashlib.sha256(data).hexdigest(),
    )


def _url(mirror: Mirror) -> str:
    return f"http://127.0.0.1:{mirror.server_address[1]}"


def test_downloads_and_verifies(mirror: Mirror, tmp_path: Path) -> None:
    file = _file(mirror.root, "noc2021/structure.csv", b"Level,Code\n" * 5000)
    seen: list[int] = []
    fetcher = Fetcher(
        tmp_path / "out", base_url=_url(mirror), progress=lambda _f, done, _t: seen.append(done)
    )
    assert fetcher.fetch_one(file).status == "downloaded"
    assert (tmp_path / "out/noc2021/structure.csv").read_bytes() == (
        mirror.root / file.path
    ).read_bytes()
    assert seen[-1] == file.size
    assert fetcher.fetch_one(file).status == "present"  # verified, not downloaded again
    assert len(mirror.requests) == 1


def test_resumes_an_interrupted_download(mirror: Mirror, tmp_path: Path) -> None:
    file = _file(mirror.root, "big.csv", bytes(range(256)) * 2000)
    mirror.cut_after = 100_000
    fetcher = Fetcher(tmp_path / "out", base_url=_url(mirror), backoff=0)
    assert fetcher.fetch_one(file).status == "downloaded"
    assert mirror.requests == ["full", "bytes=100000-"]
    assert (tmp_path / "out/big.csv").read_bytes() == (mirror.root / "big.csv").read_bytes()


def test_a_truncated_file_is_refused_and_not_kept(mirror: Mirror, tmp_path: Path) -> None:
    data = b"x" * 10_000
    file = _file(
        mirror.root, "short.csv", data[:6000], size=10_000, digest=hashlib.sha256(data).hexdigest()
    )
    with pytest.raises(FetchError, match=r"short\.csv: size 6,000 bytes, expected 10,000"):
        Fetcher(tmp_path / "out", base_url=_url(mirror), backoff=0).fetch_one(file)
    assert not any((tmp_path / "out").iterdir())


def test_a_checksum_mismatch_is_refused(mirror: Mirror, tmp_path: Path) -> None:
    file = _file(mirror.root, "same-size.csv", b"abc" * 100, digest="0" * 64)
    with pytest.raises(FetchError, match=r"same-size\.csv: sha256 .* expected 0000"):
        Fetcher(tmp_path / "out", base_url=_url(mirror), backoff=0).fetch_one(file)
    assert not (tmp_path / "out/same-size.csv").exists()


def test_gives_up_after_retries_and_says_how_to_resume(tmp_path: Path) -> None:
    file = ManifestFile("noc", "x.csv", None, None, 3, None)
    fetcher = Fetcher(tmp_path, base_url="http://127.0.0.1:9", retries=1, backoff=0, timeout=2)
    with pytest.raises(FetchError, match="after 2 attempts"):
        fetcher.fetch_one(file)


def test_a_missing_file_is_a_clear_error(mirror: Mirror, tmp_path: Path) -> None:
    file = ManifestFile("noc", "absent.csv", None, None, 3, None)
    with pytest.raises(FetchError, match="HTTP 404"):
        Fetcher(tmp_path, base_url=_url(mirror), backoff=0).fetch_one(file)


def test_every_manifest_entry_is_well_formed() -> None:
    files = manifest()
    assert {f.dataset for f in files} == {"noc", "oasis", "cops", "esco", "onet", "crosswalk"}
    for f in files:
        assert f.url is None or f.url.startswith("https://")
        assert f.sha256 is None or len(f.sha256) == 64


needs_data = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"real reference data not found at {SHARED_DATA}"
)


@needs_data
def test_fetches_the_real_files_from_a_loopback_mirror(mirror: Mirror, tmp_path: Path) -> None:
    for f in manifest(["noc", "crosswalk", "cops"]):
        source = SHARED_DATA / f.path
        if source.is_file():
            (mirror.root / f.path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, mirror.root / f.path)
    # One file truncated in transit, once: resumed. Another corrupted on the server: refused.
    mirror.cut_after = 50_000
    results = Fetcher(tmp_path / "out", base_url=_url(mirror), backoff=0).fetch(
        ["noc", "crosswalk"]
    )
    assert [r.status for r in results] == ["downloaded", "downloaded"]
    corrupt = mirror.root / "cops2024/summary_sommaire_2024_2033_noc2021.csv"
    corrupt.write_bytes(corrupt.read_bytes().replace(b"Balance", b"Bxlance", 1))
    with pytest.raises(FetchError, match=r"summary_sommaire.*sha256"):
        Fetcher(tmp_path / "out", base_url=_url(mirror), backoff=0).fetch(["cops"])


@needs_data
def test_copies_from_an_offline_mirror_folder(tmp_path: Path) -> None:
    results = Fetcher(tmp_path, mirror=SHARED_DATA).fetch(["noc", "onet"])
    assert {r.status for r in results} == {"copied"}
