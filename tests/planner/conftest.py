"""A small world to plan in: the reference fixtures and a handful of listings teaching the
skills a welder (72106) lacks to become a software maker (21231): Reading Comprehension
(F01a02, weight 0.8) and Active Listening (F01a01, weight 0.32)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcred.app import Microcred
from microcred.domain.listing import ListingData
from microcred.domain.vocab import Role
from tests.cli.test_cli import cli  # noqa: F401 - the CLI fixture
from tests.conftest import listing_payload, make_org, make_user
from tests.reference import fixture_data
from tests.web.conftest import client  # noqa: F401 - the in-process HTTP client fixture

READING = {"scheme": "oasis", "id": "F01a02", "label": "Reading Comprehension"}
LISTENING = {"scheme": "oasis", "id": "F01a01", "label": "Active Listening"}


def add(mc: Microcred, org_id: int, admin: Any, key: str, **fields: Any) -> int:
    data = ListingData.model_validate(listing_payload(external_id=key, **fields))
    return mc.catalog.create_listing(org_id, data, actor=admin).id


@pytest.fixture
def world(mc: Microcred, tmp_path: Path) -> dict[str, int]:
    mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    college = make_org(mc, "Tamarack College")
    other = make_org(mc, "Prairie Polytechnic", province="AB")
    admin = make_user(mc, Role.ADMIN)
    return {
        "college": college.id,
        "reading": add(
            mc,
            college.id,
            admin,
            "R1",
            title_en="Reading for Work",
            skills=[READING],
            cost_cad="600",
            hours="24",
            weeks="6",
            stacks_into=["Certificate in Communication"],
        ),
        "listening": add(
            mc,
            college.id,
            admin,
            "L1",
            title_en="Listening at Work",
            skills=[LISTENING],
            cost_cad="300",
            hours="12",
            weeks="4",
            start_dates=["2027-03-01"],
            stacks_into=["Certificate in Communication"],
        ),
        "both_expensive": add(
            mc,
            college.id,
            admin,
            "B1",
            title_en="Communication Intensive",
            skills=[READING, LISTENING],
            cost_cad="4000",
            hours="90",
            weeks="10",
        ),
        "alberta": add(
            mc,
            other.id,
            admin,
            "A1",
            title_en="Reading in Alberta",
            skills=[READING],
            cost_cad="100",
            hours="10",
            weeks="2",
            delivery_mode="in_person",
            province="AB",
        ),
        "french": add(
            mc,
            college.id,
            admin,
            "F1",
            title_en=None,
            title_fr="Lecture au travail",
            skills=[READING],
            languages=["fr"],
            cost_cad="150",
            hours="10",
            weeks="2",
        ),
    }
