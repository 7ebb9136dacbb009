"""Decoding uploaded bytes line by line, so an encoding error can name its line."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO

from microcred.errors import InvalidInput, Problem


def utf8_lines(stream: IO[bytes], first_line: int = 1) -> Iterator[str]:
    """Yield decoded lines (endings kept); a leading UTF-8 BOM is dropped. Raises InvalidInput.

    ``first_line`` is the number of the stream's first line in the whole file (for messages).
    """
    for number, raw in enumerate(stream, start=first_line):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.start + 1]
            raise InvalidInput(
                "the file is not valid UTF-8",
                [
                    Problem(
                        "encoding",
                        f"byte {bad!r} at column {exc.start + 1} is not UTF-8 "
                        "(save the file as UTF-8)",
                        code="encoding",
                        line=number,
                    )
                ],
            ) from None
