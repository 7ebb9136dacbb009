"""Reading big CSV files on every core.

The parent cuts the file into blocks at record boundaries (a newline with an even number of
quotes before it) and worker processes decode, parse and validate each block, returning plain
listing digests. Blocks come back in order (``microcred.workers.ordered_map``), so the caller
writes block N while later blocks are validated. Providers are validated in the parent (a
file names few of them).
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from typing import IO

from microcred.domain.listing import ListingDigest
from microcred.errors import Problem
from microcred.formats import csv_template as template
from microcred.formats.records import ParsedFile
from microcred.formats.text import utf8_lines
from microcred.workers import ordered_map

BLOCK_BYTES = 2 * 1024 * 1024
Outcome = tuple[int, tuple[str, ...], ListingDigest | list[Problem]]
Block = tuple[list[Outcome], list[Problem], int]


def digest_block(names: list[str], first_line: int, data: bytes) -> Block:
    """In a worker: parse and validate one block; return outcomes, row problems, row count."""
    reader = csv.reader(utf8_lines(io.BytesIO(data), first_line))
    outcomes: list[Outcome] = []
    problems: list[Problem] = []
    count = 0
    # Validation allocates many short-lived, acyclic objects; the cycle collector only
    # slows it down (reference counting frees them), so it waits until the block is done.
    gc.disable()
    try:
        for line, values in template.rows(reader, names, first_line):
            count += 1
            if isinstance(values, Problem):
                problems.append(values)
                continue
            row = dict(zip(names, values, strict=True))
            listing = template.listing_from_cells(row, line)
            digest = listing if isinstance(listing, list) else ListingDigest.of(listing)
            outcomes.append((line, template.provider_key(row), digest))
    except csv.Error as exc:
        raise template.not_csv(exc, first_line + reader.line_num - 1) from None
    finally:
        gc.enable()
    return outcomes, problems, count


def _record_end(buffer: bytes) -> int:
    """Index just past the last newline that ends a record (not inside a quoted cell)."""
    end = buffer.rfind(b"\n")
    while end >= 0 and buffer.count(b'"', 0, end) % 2:
        end = buffer.rfind(b"\n", 0, end)
    return end + 1


def _blocks(stream: IO[bytes], first_line: int) -> Iterator[tuple[int, bytes]]:
    """(number of its first line, bytes) for blocks of whole records."""
    pending = b""
    line = first_line
    while block := stream.read(BLOCK_BYTES):
        buffer = pending + block
        cut = _record_end(buffer)
        if cut:
            yield line, buffer[:cut]
            line += buffer.count(b"\n", 0, cut)
        pending = buffer[cut:]
    if pending:
        yield line, pending


def _header(stream: IO[bytes]) -> list[str]:
    first = stream.readline()
    try:
        return template.check_header(next(csv.reader(utf8_lines(io.BytesIO(first))), None))
    except csv.Error as exc:
        raise template.not_csv(exc, 1) from None


def read_in_processes(stream: IO[bytes], *, workers: int) -> Iterator[ParsedFile]:
    """Read and validate a template CSV in ``workers`` processes, yielding blocks in order."""
    names = _header(stream)
    providers: template.ProviderCache = {}
    jobs = ((names, first_line, data) for first_line, data in _blocks(stream, 2))
    for outcomes, problems, count in ordered_map(
        digest_block, jobs, workers=workers, preload=[__name__]
    ):
        parsed = ParsedFile(problems=problems, rows_read=count)
        for line, key, listing in outcomes:
            provider = template.provider_of(key, providers)
            template.add(parsed, template.record(line, provider, listing))
        yield parsed
