"""``microcred data fetch``: download the reference files from their publishers, verified.

Each file in ``manifest.toml`` is downloaded to ``<target>/<path>`` through a ``.part`` file
(resumed with an HTTP Range request after an interruption, retried with back-off), then
checked against the published size and sha256 before it takes its final name. A file that
is already present and verifies is not downloaded again. Instead of the publishers, the
files can come from a local mirror folder (``--from``) or an HTTP mirror laid out the same
way (``--base-url``), as an organisation's offline copy would be.
"""

from __future__ import annotations

import http.client
import shutil
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from microcred.errors import InvalidInput, MicrocredError
from microcred.reference.files import sha256_file
from microcred.reference.loader import select_datasets

USER_AGENT = "microcred-data-fetch/0.1 (+https://github.com/microcred)"
CHUNK = 1 << 16


class FetchError(MicrocredError):
    """A download failed or produced a file that is not the published one."""

    code = "fetch_failed"
    exit_code = 4


@dataclass(frozen=True)
class ManifestFile:
    dataset: str
    path: str
    url: str | None
    member: str | None
    size: int | None
    sha256: str | None


def manifest(datasets: list[str] | None = None) -> list[ManifestFile]:
    """The files of ``datasets`` (all by default), in load order."""
    data = tomllib.loads(
        resources.files("microcred.reference").joinpath("manifest.toml").read_text("utf-8")
    )
    files = []
    for dataset in select_datasets(datasets):
        for entry in data.get(dataset, {}).get("files", []):
            files.append(
                ManifestFile(
                    dataset,
                    entry["path"],
                    entry.get("url"),
                    entry.get("member"),
                    entry.get("size"),
                    entry.get("sha256"),
                )
            )
    return files


# progress(file, bytes done, bytes total or None)
Progress = Callable[[ManifestFile, int, int | None], None]


@dataclass
class FetchResult:
    file: ManifestFile
    status: str  # downloaded | copied | present | skipped
    detail: str = ""


class Fetcher:
    def __init__(
        self,
        target: Path,
        *,
        mirror: Path | None = None,
        base_url: str | None = None,
        retries: int = 4,
        timeout: float = 60.0,
        backoff: float = 1.0,
        progress: Progress | None = None,
    ) -> None:
        self.target = target
        self.mirror = mirror
        self.base_url = base_url.rstrip("/") if base_url else None
        self.retries = retries
        self.timeout = timeout
        self.backoff = backoff
        self.progress = progress or (lambda _f, _d, _t: None)

    def fetch(self, datasets: list[str] | None = None) -> list[FetchResult]:
        if self.mirror is not None and not self.mirror.is_dir():
            raise InvalidInput(f"--from {self.mirror}: not a folder")
        return [self.fetch_one(f) for f in manifest(datasets)]

    def fetch_one(self, file: ManifestFile) -> FetchResult:
        destination = self.target / file.path
        if destination.is_file() and self._problem(file, destination) is None:
            return FetchResult(file, "present")
        destination.parent.mkdir(parents=True, exist_ok=True)
        if self.mirror is not None:
            source = self.mirror / file.path
            if not source.is_file():
                raise FetchError(f"{file.path}: not in the mirror {self.mirror}")
            part = destination.with_name(destination.name + ".part")
            shutil.copyfile(source, part)
            self._accept(file, part, destination)
            self.progress(file, destination.stat().st_size, destination.stat().st_size)
            return FetchResult(file, "copied", str(source))
        if self.base_url is not None:
            url = f"{self.base_url}/{urllib.request.pathname2url(file.path).lstrip('/')}"
            self._download(file, url, destination)
            return FetchResult(file, "downloaded", url)
        if file.url is None:
            return FetchResult(
                file,
                "skipped",
                "no direct link is known: download it from the dataset's landing page",
            )
        if file.member is None:
            self._download(file, file.url, destination)
        else:
            archive = (
                self.target
                / ".downloads"
                / urllib.request.url2pathname(file.url.rsplit("/", 1)[-1])
            )
            archive.parent.mkdir(parents=True, exist_ok=True)
            if not archive.is_file():
                self._download(
                    ManifestFile(file.dataset, str(archive), file.url, None, None, None),
                    file.url,
                    archive,
                )
            self._extract(file, archive, destination)
        return FetchResult(file, "downloaded", file.url)

    def _problem(self, file: ManifestFile, path: Path) -> str | None:
        size = path.stat().st_size
        if file.size is not None and size != file.size:
            return (
                f"size {size:,} bytes, expected {file.size:,} (truncated or a different release?)"
            )
        if file.sha256 is not None:
            digest = sha256_file(path)
            if digest != file.sha256:
                return f"sha256 {digest}, expected {file.sha256} (corrupt or a different release?)"
        return None

    def _accept(self, file: ManifestFile, part: Path, destination: Path) -> None:
        problem = self._problem(file, part)
        if problem is not None:
            part.unlink(missing_ok=True)
            raise FetchError(
                f"{file.path}: {problem}; nothing was kept, run the command again to retry"
            )
        part.replace(destination)

    def _extract(self, file: ManifestFile, archive: Path, destination: Path) -> None:
        part = destination.with_name(destination.name + ".part")
        try:
            with zipfile.ZipFile(archive) as zf:
                names = [n for n in zf.namelist() if n.rsplit("/", 1)[-1] == file.member]
                if not names:
                    raise FetchError(f"{archive.name}: {file.member} is not in the archive")
                with zf.open(names[0]) as src, part.open("wb") as out:
                    shutil.copyfileobj(src, out)
        except zipfile.BadZipFile as exc:
            archive.unlink(missing_ok=True)
            raise FetchError(
                f"{archive.name}: not a zip archive ({exc}); it was removed, run the command again"
            ) from None
        self._accept(file, part, destination)

    def _download(self, file: ManifestFile, url: str, destination: Path) -> None:
        part = destination.with_name(destination.name + ".part")
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                self._transfer(file, url, part)
                self._accept(file, part, destination)
                return
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code == 416:  # our .part is already complete (or longer than the file)
                    if self._problem(file, part) is None:
                        part.replace(destination)
                        return
                    part.unlink(missing_ok=True)
                elif exc.code < 500 and exc.code not in (408, 429):
                    raise FetchError(
                        f"{file.path}: {url} answered HTTP {exc.code} {exc.reason}"
                    ) from None
                last = exc
            except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as exc:
                last = exc
        raise FetchError(
            f"{file.path}: download failed after {self.retries + 1} attempts ({last}); run again to resume"
        )

    def _transfer(self, file: ManifestFile, url: str, part: Path) -> None:
        if not url.startswith(("https://", "http://")):
            raise FetchError(f"{file.path}: only http(s) URLs are fetched, not {url!r}")
        done = part.stat().st_size if part.is_file() else 0
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - scheme checked above
        if done:
            request.add_header("Range", f"bytes={done}-")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if done and response.status != 206:
                done = 0  # the server ignored the range: start over
            length = response.headers.get("Content-Length")
            total = done + int(length) if length is not None else file.size
            expected = int(length) if length is not None else None
            received = 0
            with part.open("ab" if done else "wb") as out:
                self.progress(file, done, total)
                while block := response.read(CHUNK):
                    out.write(block)
                    received += len(block)
                    self.progress(file, done + received, total)
            if expected is not None and received < expected:
                raise ConnectionError(
                    f"connection closed after {done + received:,} of {total:,} bytes"
                )
