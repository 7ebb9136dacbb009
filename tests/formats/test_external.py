"""edX and Udemy exports: mapped where faithful, every other value reported, never a crash."""

from decimal import Decimal
from pathlib import Path

import pytest

from microcred.errors import InvalidInput
from microcred.formats import external
from tests.conftest import FIXTURES, SHARED_DATA

CATALOGUES = SHARED_DATA / "catalogues"


def read(name: str, catalogue: str, rate: str | None = "1.37") -> external.ParsedFile:
    with (FIXTURES / name).open("rb") as stream:
        return external.read(stream, catalogue, usd_rate=Decimal(rate) if rate else None)


def test_edx_rows_are_mapped() -> None:
    parsed = read("edx_sample.csv", "edx")
    first, french = parsed.records[0].listing, parsed.records[1].listing
    assert first is not None and french is not None
    assert (first.external_id, first.hours, first.weeks, first.cost_cad) == (
        "intro-to-data",
        Decimal("18.0"),
        6,
        Decimal("67.13"),
    )
    assert first.delivery_mode == "online_async" and parsed.records[0].provider.kind == "university"
    assert french.title_fr == "Introduction à la finance" and french.languages == ["fr"]
    assert french.delivery_mode == "online_sync"


def test_edx_unmappable_rows_are_reported_by_line() -> None:
    problems = {(p.line, p.location) for p in read("edx_sample.csv", "edx").problems}
    assert problems == {(4, "course_url"), (5, "course_effort"), (6, "language")}


def test_usd_prices_need_a_rate() -> None:
    parsed = read("edx_sample.csv", "edx", rate=None)
    assert parsed.records == []
    assert any("pass --usd-rate" in p.message for p in parsed.problems)


def test_udemy_rows_are_mapped_after_the_title_line() -> None:
    parsed = read("udemy_sample.csv", "udemy")
    assert [r.listing.external_id for r in parsed.records if r.listing] == ["1001", "1002"]
    free = parsed.records[1].listing
    assert free is not None and free.cost_cad == 0 and free.hours == Decimal("0.6")
    assert {(p.line, p.location) for p in parsed.problems} == {(5, "price"), (6, "course_id")}


def test_a_file_that_is_not_the_expected_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    with (
        path.open("rb") as stream,
        pytest.raises(InvalidInput, match="not the expected catalogue export"),
    ):
        external.read(stream, "udemy")


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "catalogue", "at_least"),
    [("edx_courses.csv", "edx", 700), ("udemy_courses.csv", "udemy", 3300)],
)
def test_real_catalogues_import_without_crashing(name: str, catalogue: str, at_least: int) -> None:
    path = CATALOGUES / name
    if not path.is_file():
        pytest.skip(f"real catalogue not available at {path} (set MICROCRED_SHARED_DATA)")
    with path.open("rb") as stream:
        parsed = external.read(stream, catalogue, usd_rate=Decimal("1.37"))
    assert len(parsed.records) >= at_least
    assert all(p.line is not None and p.message for p in parsed.problems)
