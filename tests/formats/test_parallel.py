"""Reading in worker processes gives exactly what reading in one process gives."""

import io

import pytest

from microcred.errors import InvalidInput
from microcred.formats import csv_template, parallel
from tests.formats.test_csv_template import HEADER, row

MESSY = (
    HEADER
    + "\n"
    + row(description_en='Line one,\n"quoted" line two\n\nline four')
    + "\n"
    + row(external_id="X2", cost_cad="abc")
    + "only,three,cells\n"
    + ",,,\n"
    + "".join(row(external_id=f"X{i}", hours=str(i)) for i in range(3, 40))
    + row(external_id="X40", title_en="", description_fr="«\u00a0é\u00a0»")
)


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "BLOCK_BYTES", 300)  # many blocks, cut mid-file


def summary(parsed: csv_template.ParsedFile) -> tuple[object, ...]:
    return (
        parsed.rows_read,
        [(r.line, r.provider.slug, r.digest) for r in parsed.records],
        sorted((p.line or 0, p.location, p.message) for p in parsed.problems),
    )


@pytest.mark.usefixtures("tiny_blocks")
def test_parallel_and_serial_reads_agree() -> None:
    serial = csv_template.read(io.BytesIO(MESSY.encode()))
    parallel_ = csv_template.read(io.BytesIO(MESSY.encode()), workers=2)
    assert summary(parallel_) == summary(serial)
    assert len(serial.records) == 38
    assert {p.line for p in serial.problems} == {7, 8, 47}


@pytest.mark.usefixtures("tiny_blocks")
def test_an_encoding_error_in_a_worker_names_its_line() -> None:
    data = (HEADER + "\n" + "".join(row(external_id=f"X{i}") for i in range(30))).encode()
    data += row(external_id="BAD").encode().replace(b"Welding", b"Soud\xe9")
    with pytest.raises(InvalidInput, match="not valid UTF-8") as caught:
        csv_template.read(io.BytesIO(data), workers=2)
    assert caught.value.problems[0].line == 32


def test_record_ends_are_never_inside_quotes() -> None:
    assert parallel._record_end(b'a,b\n"x\ny",z\n"open\n') == len(b'a,b\n"x\ny",z\n')
    assert parallel._record_end(b'"no end\n') == 0
