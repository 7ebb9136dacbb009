"""Loading reference data: counts, idempotence, versioned switch, errors that name the place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from microcred.app import Microcred
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from microcred.errors import InvalidInput, NotFound
from microcred.reference.files import ReferenceFileError
from microcred.reference.loader import status
from microcred.store.schema import ref_titles, reference_loads
from tests.conftest import listing_payload, make_org, make_user
from tests.reference import fixture_data
from tests.reference.fixture_data import OCC_WELDER, SKILL_WELD


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return fixture_data.write_all(tmp_path / "data")


@pytest.fixture
def loaded(mc: Microcred, data_dir: Path) -> Microcred:
    mc.reference_loader.load(data_dir)
    return mc


def _status(mc: Microcred) -> dict[str, dict[str, object]]:
    return {e["dataset"]: e for e in status(mc.store)}


def test_loads_every_dataset_with_counts(mc: Microcred, data_dir: Path) -> None:
    results = {r.dataset: r for r in mc.reference_loader.load(data_dir)}
    assert {r.status for r in results.values()} == {"loaded"}
    assert results["noc"].counts["unit groups"] == 3
    assert results["oasis"].counts == {
        **results["oasis"].counts,
        "profiles": 4,
        "unit groups": 3,
        "descriptors": 7,
        "example titles": 5,
    }
    assert results["cops"].counts["unit group outlooks"] == 3
    assert results["esco"].counts["skills"] == 2
    assert results["esco"].counts["occupation-skill relations"] == 3
    assert results["onet"].counts["occupations"] == 2
    assert results["crosswalk"].counts["NOC-O*NET pairs"] == 2
    assert results["crosswalk"].counts["unit groups with ESCO counterparts"] == 2
    # Unmatched rating columns are reported, not guessed.
    assert any("Mystery Column" in note for note in results["oasis"].notes)
    entries = _status(mc)
    assert all(e["loaded"] for e in entries.values())
    assert entries["noc"]["version"] == "NOC 2021 v1.0"


def test_loading_again_changes_nothing(loaded: Microcred, data_dir: Path) -> None:
    before = _status(loaded)
    results = loaded.reference_loader.load(data_dir)
    assert {r.status for r in results} == {"unchanged"}
    assert _status(loaded) == before


def test_a_new_version_replaces_the_old_in_one_switch(loaded: Microcred, data_dir: Path) -> None:
    old = _status(loaded)["noc"]["fingerprint"]
    fixture_data.write_noc(data_dir, welder_title="Welders and related machine operators")
    [result] = loaded.reference_loader.load(data_dir, ["noc"])
    assert result.status == "loaded"
    assert _status(loaded)["noc"]["fingerprint"] != old
    assert loaded.reference.occupation("72106").title_en == "Welders and related machine operators"
    with loaded.store.read() as conn:
        loads = conn.execute(
            select(reference_loads.c.dataset, func.count()).group_by(reference_loads.c.dataset)
        ).all()
    assert dict(loads)["noc"] == 1  # the retired version is gone


@pytest.mark.parametrize(
    ("relative", "mangle", "expected"),
    [
        (
            "oasis2023/skills_oasis_2023_v1.0.csv",
            lambda t: t.replace(",4,5", ",4,lots"),
            [
                "skills_oasis_2023_v1.0.csv, line 2, column 'Reading Comprehension'",
                "not a whole number",
            ],
        ),
        (
            "oasis2023/skills_oasis_2023_v1.0.csv",
            lambda t: t[: t.index("Welders") + 5],
            ["line 3", "expected 4 columns, found 2"],
        ),
        (
            "noc2021/noc_structure_en.csv",
            lambda t: t.replace("Class title", "Title"),
            ["noc_structure_en.csv, line 1", "missing column(s) 'Class title'"],
        ),
        (
            "noc2021/noc_structure_en.csv",
            lambda t: t.replace("72106", "7210X"),
            ["column 'Code - NOC 2021 V1.0'", "'7210X' is not a level-5 NOC code"],
        ),
        (
            "cops2024/summary_sommaire_2024_2033_noc2021.csv",
            lambda t: t.replace("Strong risk of Shortage", "Very busy"),
            ["line 6", "Future_Labour_Market_Conditions", "'Very busy'"],
        ),
    ],
)
def test_a_bad_file_names_file_line_and_column_and_keeps_the_loaded_version(
    loaded: Microcred, data_dir: Path, relative: str, mangle: object, expected: list[str]
) -> None:
    path = data_dir / relative
    encoding = "cp1252" if "cops" in relative else "utf-8-sig"
    path.write_text(mangle(path.read_text(encoding)), encoding=encoding)  # type: ignore[operator]
    before = _status(loaded)
    with pytest.raises(ReferenceFileError) as caught:
        loaded.reference_loader.load(data_dir, force=True)
    for fragment in expected:
        assert fragment in caught.value.message
    after = _status(loaded)
    assert {d: e["fingerprint"] for d, e in after.items()} == {
        d: e["fingerprint"] for d, e in before.items()
    }
    assert loaded.reference.occupation("72106").title_en == "Welding and cutting trades"


def test_a_truncated_zip_is_refused(loaded: Microcred, data_dir: Path) -> None:
    archive = data_dir / "esco1.1.1/ESCO-v1.1.1-relations-csv.zip"
    archive.write_bytes(archive.read_bytes()[:200])
    with pytest.raises(
        ReferenceFileError, match=r"ESCO-v1\.1\.1-relations-csv\.zip: not a readable zip archive"
    ):
        loaded.reference_loader.load(data_dir, ["esco"])
    assert loaded.reference.skill(SKILL_WELD).label_en == "weld metal"


def test_a_missing_file_and_an_unknown_dataset_are_explained(mc: Microcred, tmp_path: Path) -> None:
    with pytest.raises(ReferenceFileError, match="not found"):
        mc.reference_loader.load(tmp_path, ["noc"])
    with pytest.raises(InvalidInput, match="unknown dataset"):
        mc.reference_loader.load(tmp_path, ["nope"])


def test_an_interrupted_load_leaves_no_trace(loaded: Microcred, data_dir: Path) -> None:
    with loaded.store.write() as conn:  # as a crash between writing and switching would leave it
        conn.execute(
            reference_loads.insert().values(
                dataset="noc",
                version="x",
                state="loading",
                source="",
                fingerprint="",
                counts={},
                notes=[],
                started_at=func.now(),
            )
        )
    assert len(loaded.reference.find_occupations("welder")) == 1
    loaded.reference_loader.load(data_dir, ["noc"], force=True)
    with loaded.store.read() as conn:
        assert (
            conn.execute(
                select(func.count()).where(reference_loads.c.state != "active")
            ).scalar_one()
            == 0
        )
        assert (
            conn.execute(
                select(func.count()).select_from(ref_titles).where(ref_titles.c.scheme == "noc")
            ).scalar_one()
            == 3
        )


def test_occupation_queries(loaded: Microcred) -> None:
    ref = loaded.reference
    assert [m.code for m in ref.find_occupations("Welder")] == ["72106"]
    assert [m.code for m in ref.find_occupations("soudeuse")][:1] == [
        "72106"
    ]  # French, accent-folded
    assert [m.code for m in ref.find_occupations("pipe")] == ["72106"]  # prefix of an example title
    assert [m.how for m in ref.find_occupations("72106.01")] == ["code"]
    welder = ref.occupation("72106")
    assert welder.title_fr == "Soudeurs/soudeuses"
    assert [c for c, _ in welder.ancestors] == ["7", "72", "721", "7210"]
    assert welder.data["teer"] == 2
    assert welder.example_titles == ["welder", "pipe welder", "flame cutter"]
    assert welder.texts["main_duty"] == ["Join metal parts", "Read drawings"]
    assert ref.occupation("00010").title_en == "Lawmakers"  # zero-padded
    profile = ref.profile("72106")
    # Welders 3 and Cutters 1 on Active Listening: the unit group's mean is 2.
    assert [(r.code, r.score) for r in profile["Skills"]] == [("F01a01", 2.0), ("F01a02", 1.0)]
    assert [(r.code, r.score, r.level) for r in profile["Work Context"]] == [("J01a01", 3.0, 4.0)]
    assert profile["Knowledge"][0].label_en == "Business Management"  # renamed column matched
    outlook = ref.outlook("72106")
    assert outlook["future_conditions"] == "Strong risk of Shortage"
    assert outlook["recent_conditions"] == "Moderate signs of Surplus"
    assert outlook["job_seekers"] == 16
    assert ref.outlook("21231")["series"]["job_openings"]["2024"] == 1
    counterparts = {(c["scheme"], c["code"]) for c in ref.counterparts("72106")}
    assert {("onet", "51-4121.00"), ("esco", OCC_WELDER), ("isco", "7212")} <= counterparts
    esco = next(c for c in ref.counterparts("72106") if c["scheme"] == "esco")
    assert esco["path"] == "noc>onet>esco+noc>esco" and esco["confidence"] == 1.0
    assert ref.occupation(OCC_WELDER).title_fr == "soudeur/soudeuse"
    assert ref.occupation("15-1252.00").title_en == "Software Developers"
    with pytest.raises(NotFound):
        ref.occupation("99999")
    with pytest.raises(InvalidInput):
        ref.occupation("not a code")
    with pytest.raises(InvalidInput):
        ref.find_occupations("x" * 201)


def test_skill_queries(loaded: Microcred) -> None:
    ref = loaded.reference
    assert [s.code for s in ref.find_skills("weld metal")][:1] == [SKILL_WELD]
    assert [s.code for s in ref.find_skills("souder des metaux")] == [SKILL_WELD]
    assert [s.code for s in ref.find_skills("F01a01")] == ["F01a01"]
    weld = ref.skill(SKILL_WELD)
    assert weld.alt_en == ["join metal", "fuse metal"] and weld.label_fr == "souder des métaux"
    assert weld.ancestors == [(fixture_data.SKILL_GROUP, "working with metal")]
    listening = ref.skill("F01a01")
    assert [c for c, _ in listening.ancestors] == ["F", "F01", "F01a"]
    needing = ref.occupations_for_skill("F01a01")
    assert [(r.code, r.score) for r in needing][:2] == [("00010.00", 5.0), ("21231.00", 4.0)]
    blueprints = ref.occupations_for_skill(fixture_data.SKILL_BLUEPRINT)
    assert {r.detail for r in blueprints} == {"optional"}
    python = ref.find_skills("python")[0]
    assert python.code == "onet-tech:python"
    assert ref.skill("onet-tech:python").data["hot"] is True


def test_queries_before_loading_say_what_to_do(mc: Microcred) -> None:
    with pytest.raises(NotFound, match="microcred data load"):
        mc.reference.find_occupations("welder")


def test_listings_aimed_at_an_occupation(loaded: Microcred) -> None:
    org = make_org(loaded)
    staff = make_user(loaded, Role.PROVIDER, org)
    data = ListingData.model_validate(listing_payload(target_nocs=["72106"]))
    listing = loaded.catalog.create_listing(org.id, data, actor=staff, source="api")
    other = ListingData.model_validate(listing_payload(external_id="TEST-2", target_nocs=["21231"]))
    loaded.catalog.create_listing(org.id, other, actor=staff, source="api")
    assert [x.id for x in loaded.catalog.listings_for_occupation("72106")] == [listing.id]


def test_copy_of_fixture_folder_is_enough(tmp_path: Path, data_dir: Path, mc: Microcred) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    assert {r.status for r in mc.reference_loader.load(copy, ["noc", "cops"])} == {"loaded"}
