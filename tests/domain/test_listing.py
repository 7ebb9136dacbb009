from decimal import Decimal

import pytest
from pydantic import ValidationError

from microcred.domain.listing import ListingData, SkillRef
from microcred.domain.organization import OrganizationData, slugify
from tests.conftest import listing_payload


def test_a_complete_listing_validates_and_keeps_every_framework_element() -> None:
    listing = ListingData.model_validate(listing_payload())
    assert listing.hours == Decimal(36)
    assert listing.assessment is not None and listing.assessment.summative
    assert listing.title("fr") == "Fondements de l'analytique"
    assert listing.title("en") == "Data Analytics Foundations"


def test_title_falls_back_to_the_other_language() -> None:
    listing = ListingData.model_validate(listing_payload(title_en=None))
    assert listing.title("en") == "Fondements de l'analytique"


@pytest.mark.parametrize(
    ("overrides", "location", "code"),
    [
        ({"title_en": None, "title_fr": ""}, ("title_fr",), "title_missing"),
        ({"hours": "0"}, ("hours",), "greater_than"),
        ({"cost_cad": "-1"}, ("cost_cad",), "greater_than_equal"),
        ({"target_nocs": ["21211", "21223", "21221", "21222"]}, ("target_nocs",), "too_long"),
        ({"target_nocs": ["2121"]}, ("target_nocs", 0), "string_pattern_mismatch"),
        ({"target_nocs": ["29211"]}, ("target_nocs", 0), "string_pattern_mismatch"),
        ({"cip_code": "307001"}, ("cip_code",), "string_pattern_mismatch"),
        ({"languages": []}, ("languages",), "too_short"),
        ({"delivery_mode": "in_person", "province": None}, ("province",), "province_needed"),
        ({"url": "not a url"}, ("url",), "url_parsing"),
        ({"surprise": 1}, ("surprise",), "extra_forbidden"),
    ],
)
def test_invalid_listings_say_what_and_where(
    overrides: dict[str, object], location: tuple[object, ...], code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        ListingData.model_validate(listing_payload(**overrides))
    errors = caught.value.errors()
    assert any(e["loc"] == location and e["type"] == code for e in errors), errors


def test_skill_ids_must_fit_their_scheme() -> None:
    with pytest.raises(ValidationError, match="descriptor code like F01a01"):
        SkillRef(scheme="oasis", id="Active Listening")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ESCO concept URI"):
        SkillRef(scheme="esco", id="python")  # type: ignore[arg-type]
    assert SkillRef(scheme="esco", id="http://data.europa.eu/esco/skill/abc").id.endswith("abc")  # type: ignore[arg-type]


def test_lists_are_deduplicated_and_dates_sorted() -> None:
    listing = ListingData.model_validate(
        listing_payload(
            languages=["fr", "en", "fr"], start_dates=["2027-05-01", "2027-01-11", "2027-05-01"]
        )
    )
    assert listing.languages == ["fr", "en"]
    assert [d.isoformat() for d in listing.start_dates] == ["2027-01-11", "2027-05-01"]


def test_content_hash_changes_with_content_only() -> None:
    a = ListingData.model_validate(listing_payload())
    b = ListingData.model_validate(listing_payload())
    c = ListingData.model_validate(listing_payload(hours="37"))
    assert a.content_hash() == b.content_hash() != c.content_hash()


def test_organization_slug_is_derived_from_the_name() -> None:
    org = OrganizationData(name_fr="Cégep de Trois-Rivières", kind="college")  # type: ignore[arg-type]
    assert org.slug == "cegep-de-trois-rivieres"
    assert slugify("  ") == "provider"
    with pytest.raises(ValidationError, match="name in English or French"):
        OrganizationData(kind="college")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ce-"):
        OrganizationData(name_en="X", kind="college", ctid="12345")  # type: ignore[arg-type]
