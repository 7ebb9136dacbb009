"""The real publishers' files in ../shared/data (skipped where the folder is absent)."""

from __future__ import annotations

import pytest

from microcred.app import Microcred
from microcred.reference.loader import status
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"real reference data not found at {SHARED_DATA}"
)


def test_loads_the_published_datasets_with_their_published_sizes(mc: Microcred) -> None:
    mc.reference_loader.load(SHARED_DATA)
    counts = {e["dataset"]: e["counts"] for e in status(mc.store)}
    assert counts["noc"]["unit groups"] == 516
    assert counts["oasis"]["profiles"] == 900
    assert counts["oasis"]["unit groups"] == 516
    assert counts["oasis"]["descriptors"] == 312
    assert counts["oasis"]["example titles"] == 18_666
    assert counts["cops"]["unit group outlooks"] == 516
    assert counts["esco"]["skills"] == 13_896
    assert counts["esco"]["occupations"] == 3_007
    assert counts["esco"]["occupation-skill relations"] == 123_855
    assert counts["onet"]["occupations"] == 1_016
    assert counts["crosswalk"]["unit groups with O*NET counterparts"] == 515
    ref = mc.reference
    assert ref.find_occupations("cashier")[0].code == "65100"
    assert ref.find_occupations("caissière")[0].code == "65100"
    software = ref.occupation("21231")
    assert software.title_fr and software.title_fr.startswith("Ingénieurs")
    assert ref.profile("21231")["Skills"][0].score == 5
    assert any(
        c["scheme"] == "esco" and c["title_en"] == "software developer"
        for c in ref.counterparts("21231")
    )
