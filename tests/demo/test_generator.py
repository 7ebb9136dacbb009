"""The demo catalogue: deterministic, realistic, marked, and the same however it is split."""

from collections import Counter

import pytest

from microcred.demo import generator
from microcred.demo.reference import DemoReference, load
from microcred.domain.vocab import Province
from tests.conftest import SHARED_DATA


def test_the_same_seed_gives_the_same_catalogue() -> None:
    first = [r.digest for r in generator.generate(200)]
    assert first == [r.digest for r in generator.generate(200)]
    assert first != [r.digest for r in generator.generate(200, seed=7)]


def test_worker_processes_make_the_same_records() -> None:
    serial = [(r.line, r.provider.slug, r.digest) for r in generator.generate(300)]
    batches = generator.generate_in_processes(
        300, seed=generator.DEFAULT_SEED, data_dir=None, workers=2, chunk=70
    )
    assert [(r.line, r.provider.slug, r.digest) for batch in batches for r in batch] == serial


def test_every_province_and_territory_has_providers_and_values_are_realistic() -> None:
    records = list(generator.generate(2000))
    assert {r.provider.province for r in records} == set(Province)
    assert all(r.provider.is_demo for r in records)
    listings = [r.listing for r in records if r.listing]
    assert all(1 <= len(x.target_nocs) <= 3 for x in listings)
    assert all(0 < x.hours <= 200 and x.cost_cad <= 20_000 for x in listings)
    languages = Counter(tuple(x.languages) for x in listings)
    assert languages[("fr",)] > 100 and languages[("en",)] > 1000
    assert sum(1 for x in listings if x.stacks_into) > 100


def test_without_reference_data_skills_use_the_fallback_vocabulary() -> None:
    listing = next(generator.generate(1, reference=DemoReference())).listing
    assert listing is not None and all(s.scheme == "other" for s in listing.skills)


@pytest.mark.realdata
def test_with_reference_data_skills_carry_oasis_codes() -> None:
    if not (SHARED_DATA / "oasis2023").is_dir():
        pytest.skip(f"reference data not available at {SHARED_DATA}")
    ref = load(SHARED_DATA)
    listings = [r.listing for r in generator.generate(50, reference=ref) if r.listing]
    assert all(s.scheme == "oasis" for x in listings for s in x.skills)
    assert all(code in ref.noc_titles for x in listings for code in x.target_nocs)
