"""The issue's real case on the real data in ../shared/data: 62010 Retail sales supervisors →
21211 Data scientists in Ontario, printed by the CLI with the gap explained (skipped where
the folder is absent)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from microcred.app import Microcred
from microcred.planner.model import LearnerProfile
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"real reference data not found at {SHARED_DATA}"
)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_retail_supervisor_to_data_scientist_in_ontario(
    mc: Microcred, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mc.reference_loader.load(SHARED_DATA)
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(SHARED_DATA))
    assert cli("demo", "--listings", "3000", "--no-serve", "--json").exit_code == 0

    shown = cli(
        "plan",
        "--from",
        "retail sales supervisor",
        "--to",
        "21211",
        "--province",
        "ON",
        "--budget",
        "3000",
        "--hours",
        "8",
        "--birth-year",
        "1985",
    )
    assert shown.exit_code == 0, shown.output
    assert "62010 Retail sales supervisors → 21211 Data scientists" in shown.output
    assert "Numeracy" in shown.output and "OaSIS 2023 rates" in shown.output  # (table cells wrap)

    body = json.loads(
        cli(
            "plan",
            "--from",
            "62010",
            "--to",
            "21211",
            "--province",
            "ON",
            "--budget",
            "3000",
            "--hours",
            "8",
            "--json",
        ).output
    )
    assert body["current"] == "62010" and body["target_title_fr"].startswith("Scientifiques")
    numeracy = next(g for g in body["gap"] if g["label_en"] == "Numeracy")
    assert numeracy["required"] == 5.0 and numeracy["covered"] > 0 and numeracy["by"]
    assert body["steps"] and body["solver"]["optimal"]
    assert sum(float(s["cost"]) for s in body["steps"]) <= 3000
    starts = [s["start"] for s in body["steps"]]
    assert starts == sorted(starts) and starts[0] >= str(date.today())
    for step in body["steps"]:
        assert step["province"] == "ON" or step["mode"].startswith("online")

    moves = json.loads(cli("plan", "--from", "62010", "--json").output)
    assert len(moves) == 10 and all(m["code"] != "62010" for m in moves)
    assert {
        "Balance",
        "Moderate risk of Shortage",
        "Strong risk of Shortage",
        "Moderate risk of Surplus",
        "Strong risk of Surplus",
        None,  # a unit group COPS gives no projection for
    } >= {m["outlook"] for m in moves}

    # The same profile through the library, with a CTC limit from a notice of assessment.
    plan = mc.planner.plan(
        LearnerProfile.parse(
            {
                "current": "62010",
                "target": "21211",
                "province": "ON",
                "budget": "3000",
                "ctc_limit": "1500",
                "ctc_limit_year": date.today().year + 1,
            }
        )
    )
    assert all(y.ctc <= y.ctc_limit for y in plan.costs.years)
