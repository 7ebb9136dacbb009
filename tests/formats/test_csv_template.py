import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.domain.listing import ListingData
from microcred.domain.organization import OrganizationData
from microcred.errors import InvalidInput
from microcred.formats import cells, csv_template
from microcred.formats.records import ParsedFile
from tests.conftest import listing_payload

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "listings-example.csv"
HEADER = ",".join(csv_template.COLUMNS)


def read(text: str | bytes) -> ParsedFile:
    data = text.encode() if isinstance(text, str) else text
    return csv_template.read(io.BytesIO(data))


def row(**cells_: str) -> str:
    base = {
        "external_id": "X1",
        "provider_name_en": "Tamarack College",
        "provider_kind": "college",
        "title_en": "Welding",
        "hours": "40",
        "delivery_mode": "online_async",
        "languages": "en",
        "cost_cad": "500",
    }
    base.update(cells_)
    out = io.StringIO()
    import csv

    csv.DictWriter(out, fieldnames=csv_template.COLUMNS, lineterminator="\n", restval="").writerow(
        base
    )
    return out.getvalue()


def test_the_documented_example_file_reads_without_problems() -> None:
    with EXAMPLE.open("rb") as stream:
        parsed = csv_template.read(stream)
    assert parsed.problems == []
    assert parsed.rows_read == len(parsed.records) == 4
    french = next(r for r in parsed.records if r.provider.slug == "cegep-saint-maurice")
    assert french.listing.title("en") == "Fondements de la cybersécurité"
    welding = next(r for r in parsed.records if r.listing.external_id == "NWC-WLD-201")
    assert welding.listing.cost_cad == Decimal("1480.00")


def test_a_bad_cost_names_line_column_and_expected_form() -> None:
    parsed = read(HEADER + "\n" + row() + row(external_id="X2", cost_cad="abc"))
    assert len(parsed.records) == 1
    [problem] = parsed.problems
    assert (problem.line, problem.location) == (3, "cost_cad")
    assert "'abc' is not a number; expected CAD like 1250.00" in problem.message


def test_a_listing_without_a_title_is_rejected_at_its_line() -> None:
    parsed = read(HEADER + "\n" + row(title_en=""))
    [problem] = parsed.problems
    assert (problem.line, problem.location, problem.code) == (2, "title_en", "title_missing")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("title,cost", "unknown column 'title'"),
        (HEADER.replace("cost_cad", "price"), "missing required column 'cost_cad'"),
        (HEADER + ",hours", "column 'hours' appears twice"),
    ],
)
def test_a_wrong_header_is_refused_before_any_row(header: str, expected: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read(header + "\n" + row())
    assert any(expected in p.message for p in caught.value.problems)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        read("")


def test_invalid_utf8_names_the_line() -> None:
    data = (HEADER + "\n" + row()).encode() + row(
        external_id="X2", title_en="Caf\udce9".encode("utf-8", "surrogateescape").decode("latin-1")
    ).encode("latin-1")
    with pytest.raises(InvalidInput, match="not valid UTF-8") as caught:
        read(data)
    assert caught.value.problems[0].line == 3


def test_a_row_with_the_wrong_number_of_cells_is_reported() -> None:
    parsed = read(HEADER + "\nonly,three,cells\n")
    assert parsed.problems[0].message == f"has 3 cells, the header has {len(csv_template.COLUMNS)}"


def test_skills_cells_carry_proficiency_and_label() -> None:
    parsed = read(
        HEADER
        + "\n"
        + row(
            skills="oasis:F01a01@advanced = Active Listening | esco:http://data.europa.eu/esco/skill/x1"
        )
    )
    skills = parsed.records[0].listing.skills
    assert (skills[0].id, skills[0].proficiency, skills[0].label) == (
        "F01a01",
        "advanced",
        "Active Listening",
    )
    assert skills[1].id == "http://data.europa.eu/esco/skill/x1"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1250", "1250"),
        ("1250.5", "1250.5"),
        ("$1,250.00", "1250.00"),
        ("1,250", "1250"),
        ("0", "0"),
    ],
)
def test_money_cells(raw: str, value: str) -> None:
    assert cells.money(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["abc", "12,50", "1.234", "-5", "1e3", "free-ish"])
def test_money_cells_refuse_ambiguous_text(raw: str) -> None:
    with pytest.raises(cells.CellError, match=r"expected CAD like 1250\.00"):
        cells.money(raw)


def _round_trip(listing: ListingData) -> ListingData:
    provider = OrganizationData(name_en="Tamarack College", kind="college")  # type: ignore[arg-type]
    out = io.StringIO()
    csv_template.write([(listing, provider)], out)
    parsed = read(out.getvalue())
    assert parsed.problems == []
    return parsed.records[0].listing


def test_a_full_listing_round_trips_through_csv() -> None:
    listing = ListingData.model_validate(listing_payload())
    assert _round_trip(listing).content_hash() == listing.content_hash()


_text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|"),
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(
    title=_text,
    outcomes=st.lists(_text, max_size=4),
    hours=st.decimals(min_value=Decimal("0.1"), max_value=Decimal(2000), places=1),
    cost=st.decimals(min_value=Decimal(0), max_value=Decimal(100_000), places=2),
    partners=st.lists(_text, max_size=3, unique=True),
)
def test_any_valid_listing_round_trips_through_csv(
    title: str, outcomes: list[str], hours: Decimal, cost: Decimal, partners: list[str]
) -> None:
    listing = ListingData.model_validate(
        listing_payload(
            title_en=title,
            learning_outcomes=outcomes,
            hours=hours,
            cost_cad=cost,
            industry_partners=partners,
        )
    )
    assert _round_trip(listing).content_hash() == listing.content_hash()
