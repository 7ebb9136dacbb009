"""Reading the publishers' files as they come: CSV (encoding sniffed), zips, xlsx, tab text.

Every reader reports problems as :class:`ReferenceFileError`, naming the file, the line and
the column, so an operator can open the file and see what is wrong.
"""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from microcred.errors import InvalidInput, Problem

csv.field_size_limit(16 * 1024 * 1024)


class ReferenceFileError(InvalidInput):
    """A reference file is missing, corrupt, truncated or not shaped as published."""

    code = "reference_file"

    def __init__(
        self, file: str, message: str, *, line: int | None = None, column: str | None = None
    ) -> None:
        where = file if line is None else f"{file}, line {line}"
        if column:
            where += f", column {column!r}"
        super().__init__(
            f"{where}: {message}",
            [
                Problem(
                    file if column is None else f"{file}: {column}", message, "reference_file", line
                )
            ],
        )
        self.file = file
        self.line = line
        self.column = column

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild, (self.file, self.message, self.line, self.column))


def _rebuild(file: str, message: str, line: int | None, column: str | None) -> ReferenceFileError:
    error = ReferenceFileError(file, "", line=line, column=column)
    error.message = message
    error.args = (message,)
    return error


def clean_header(name: str) -> str:
    """Header cells carry stray spaces and BOMs; compare them stripped."""
    return name.replace("\ufeff", "").strip()


@dataclass(frozen=True)
class Row:
    """One record of a table, with the line it ends on (1-based, the header is line 1)."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "") or ""


class Table:
    """A table read from one file: header, rows with line numbers, and precise errors."""

    def __init__(self, name: str, header: Sequence[str], rows: Iterator[Row]) -> None:
        self.name = name
        self.path: Path | None = None
        self.header = [clean_header(h) for h in header]
        self._rows = rows

    def require(self, *columns: str) -> None:
        missing = [c for c in columns if c not in self.header]
        if missing:
            found = ", ".join(repr(h) for h in self.header[:12])
            raise ReferenceFileError(
                self.name,
                f"missing column(s) {', '.join(repr(c) for c in missing)}; found {found}",
                line=1,
            )

    def __iter__(self) -> Iterator[Row]:
        return self._rows

    def error(self, row: Row, column: str, message: str) -> ReferenceFileError:
        return ReferenceFileError(self.name, message, line=row.line, column=column)


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) as most publishers now use; Windows-1252 for older files."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ReferenceFileError(
                name, f"neither UTF-8 nor Windows-1252 text (byte {exc.start})"
            ) from None


def csv_table(name: str, data: bytes, *, delimiter: str | None = None) -> Table:
    """Parse CSV bytes; a ragged row or an unterminated quote is an error with its line."""
    text = decode(data, name)
    if not text.strip():
        raise ReferenceFileError(name, "the file is empty")
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ReferenceFileError(name, f"unreadable header: {exc}", line=1) from None
    columns = [clean_header(h) for h in header]

    def rows() -> Iterator[Row]:
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ReferenceFileError(
                    name, f"malformed CSV ({exc}); is the file truncated?", line=start + 1
                ) from None
            line = reader.line_num
            start = line
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) != len(columns):
                if len(cells) > len(columns) and not any(c.strip() for c in cells[len(columns) :]):
                    cells = cells[: len(columns)]
                else:
                    raise ReferenceFileError(
                        name,
                        f"expected {len(columns)} columns, found {len(cells)}; is the file truncated or not the published format?",
                        line=line,
                    )
            yield Row(line, dict(zip(columns, cells, strict=True)))

    return Table(name, columns, rows())


def sheet_table(name: str, data: bytes) -> Table:
    """The first sheet of an xlsx workbook (O*NET's Excel files), read with calamine."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    except Exception as exc:  # calamine raises its own error types for corrupt workbooks
        raise ReferenceFileError(
            name, f"not a readable xlsx workbook ({exc}); is the file truncated?"
        ) from None
    if not sheet:
        raise ReferenceFileError(name, "the workbook's first sheet is empty")
    header = [clean_header(str(h)) for h in sheet[0]]

    def cell(value: object) -> str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)

    def rows() -> Iterator[Row]:
        for number, values in enumerate(sheet[1:], start=2):
            yield Row(number, {h: cell(v) for h, v in zip(header, values, strict=False)})

    return Table(name, header, rows())


class Source:
    """A folder of reference files (an offline mirror or ``microcred data fetch``'s target).

    Files are found by glob, in the folder or inside the zips it holds, because publishers
    rename files between releases.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def find(self, *patterns: str, required: bool = True) -> Path | None:
        for pattern in patterns:
            matches = sorted(
                p for p in self.root.glob(pattern) if p.is_file() and not p.name.endswith(".part")
            )
            if matches:
                return matches[0]
        if required:
            raise ReferenceFileError(
                str(self.root / patterns[0]),
                f"not found in {self.root} (looked for {', '.join(patterns)})",
            )
        return None

    def label(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def table(self, *patterns: str) -> Table:
        """The first file matching one of ``patterns``; an error naming them when none does."""
        table = self.maybe_table(*patterns, required=True)
        assert table is not None
        return table

    def maybe_table(self, *patterns: str, required: bool = False) -> Table | None:
        path = self.find(*patterns, required=required)
        if path is None:
            return None
        table = open_table(self.label(path), path.read_bytes())
        table.path = path
        return table

    def member(self, archive_patterns: Sequence[str], member: str) -> Table:
        """A table inside a zip found by glob (``member`` is matched on its base name)."""
        archive = self.find(*archive_patterns)
        assert archive is not None
        label = self.label(archive)
        try:
            with zipfile.ZipFile(archive) as zf:
                names = [n for n in zf.namelist() if fnmatch.fnmatch(n.rsplit("/", 1)[-1], member)]
                if not names:
                    raise ReferenceFileError(label, f"{member} is not in this archive")
                data = zf.read(names[0])
                label = f"{label}!{names[0]}"
        except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as exc:
            raise ReferenceFileError(
                label, f"not a readable zip archive ({exc}); is the file truncated?"
            ) from None
        table = open_table(label, data)
        table.path = archive
        return table


def open_table(name: str, data: bytes) -> Table:
    if name.lower().endswith(".xlsx"):
        return sheet_table(name, data)
    return csv_table(name, data, delimiter="\t" if name.lower().endswith(".txt") else None)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_NON_WORD = re.compile(r"[^0-9a-z]+")


def title_key(text: str) -> str:
    """Lookup key for titles and labels: case- and accent-folded words, single-spaced."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", folded).strip()
