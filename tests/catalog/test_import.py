"""Bulk import on both engines: validate first, write atomically, upsert idempotently."""

import io
from pathlib import Path

import pytest

from microcred import Microcred
from microcred.domain.vocab import Role
from microcred.errors import Forbidden, InvalidInput
from microcred.formats import csv_template
from tests.conftest import make_org, make_user
from tests.formats.test_csv_template import HEADER, row

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "listings-example.csv"


def import_text(mc: Microcred, text: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return mc.catalog.import_file(io.BytesIO(text.encode()), file_format="csv", **kwargs)  # type: ignore[arg-type]


def count(mc: Microcred) -> int:
    return mc.catalog.listings(limit=1)[1]


def test_importing_the_example_twice_changes_nothing_the_second_time(mc: Microcred) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    first = import_text(mc, text)
    assert (first.inserted, first.updated, first.unchanged, first.organizations_created) == (
        4,
        0,
        0,
        3,
    )
    before = [(x.id, x.updated_at) for x in mc.catalog.listings(limit=100)[0]]
    second = import_text(mc, text)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 4)
    assert [(x.id, x.updated_at) for x in mc.catalog.listings(limit=100)[0]] == before


def test_a_changed_row_updates_in_place(mc: Microcred) -> None:
    import_text(mc, HEADER + "\n" + row())
    report = import_text(mc, HEADER + "\n" + row(hours="41"))
    assert (report.inserted, report.updated) == (0, 1)
    [listing] = mc.catalog.listings()[0]
    assert str(listing.hours) == "41"


def test_valid_rows_are_imported_and_bad_rows_reported(mc: Microcred) -> None:
    text = (
        HEADER
        + "\n"
        + row()
        + row(external_id="X2", cost_cad="abc")
        + row(external_id="X3", title_en="")
    )
    report = import_text(mc, text)
    assert report.inserted == 1
    assert [(p.line, p.location) for p in report.rejected] == [(3, "cost_cad"), (4, "title_en")]
    assert count(mc) == 1


def test_strict_mode_writes_nothing_when_any_row_is_bad(mc: Microcred) -> None:
    text = HEADER + "\n" + row() + row(external_id="X2", cost_cad="abc")
    with pytest.raises(InvalidInput, match="nothing was imported") as caught:
        import_text(mc, text, strict=True)
    assert caught.value.problems[0].line == 3
    assert count(mc) == 0
    assert mc.catalog.organizations()[1] == 0


def test_a_wrong_header_writes_nothing(mc: Microcred) -> None:
    with pytest.raises(InvalidInput, match="header"):
        import_text(mc, "title,price\nWelding,12\n")
    assert count(mc) == 0


def test_duplicate_keys_in_one_file_are_reported(mc: Microcred) -> None:
    report = import_text(mc, HEADER + "\n" + row() + row(hours="50"))
    assert report.inserted == 1
    assert report.rejected[0].line == 3 and "repeats line 2" in report.rejected[0].message


def test_rows_need_an_external_id(mc: Microcred) -> None:
    report = import_text(mc, HEADER + "\n" + row(external_id=""))
    assert report.rejected[0].location == "external_id"


def test_an_error_during_the_write_rolls_everything_back(mc: Microcred) -> None:
    """A failure after some rows were written (here: a progress callback) leaves no trace."""
    text = HEADER + "\n" + "".join(row(external_id=f"X{i}") for i in range(1500))

    def explode(_n: int) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        import_text(mc, text, progress=explode)
    assert count(mc) == 0
    assert mc.catalog.organizations()[1] == 0


def test_provider_staff_import_only_their_own_organization(mc: Microcred) -> None:
    own = make_org(mc, "Tamarack College")
    make_org(mc, "Other College")
    staff = make_user(mc, Role.PROVIDER, own)
    text = HEADER + "\n" + row() + row(external_id="X2", provider_name_en="Other College")
    report = import_text(mc, text, actor=staff)
    assert report.inserted == 1
    assert report.rejected[0].line == 3 and report.rejected[0].code == "forbidden"
    assert {x.organization_id for x in mc.catalog.listings()[0]} == {own.id}


def test_learners_cannot_import(mc: Microcred) -> None:
    with pytest.raises(Forbidden):
        import_text(mc, HEADER + "\n" + row(), actor=make_user(mc, Role.LEARNER))


def test_export_then_import_is_a_fixed_point(mc: Microcred) -> None:
    import_text(mc, EXAMPLE.read_text(encoding="utf-8"))
    out = io.StringIO()
    csv_template.write(mc.catalog.export(), out)
    report = import_text(mc, out.getvalue())
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 4)


def test_jsonl_round_trip(mc: Microcred) -> None:
    from microcred.formats import jsonl

    import_text(mc, EXAMPLE.read_text(encoding="utf-8"))
    out = io.StringIO()
    jsonl.write(mc.catalog.export(), out)
    report = mc.catalog.import_file(io.BytesIO(out.getvalue().encode()), file_format="jsonl")
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 4)


def test_a_parallel_import_is_atomic_and_idempotent(mc: Microcred) -> None:
    text = HEADER + "\n" + "".join(row(external_id=f"X{i}") for i in range(50))
    first = mc.catalog.import_file(io.BytesIO(text.encode()), file_format="csv", workers=2)
    again = mc.catalog.import_file(io.BytesIO(text.encode()), file_format="csv", workers=2)
    assert (first.inserted, again.unchanged, again.inserted) == (50, 50, 0)
    bad = text + row(external_id="BAD", cost_cad="abc")
    with pytest.raises(InvalidInput):
        mc.catalog.import_file(io.BytesIO(bad.encode()), file_format="csv", workers=2, strict=True)
    assert count(mc) == 50
