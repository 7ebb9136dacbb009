"""Reads what the demo needs from reference data, when an offline copy is at hand.

Until the reference datasets are loaded into the store (the reference-data work), the demo
reads two official files directly: OaSIS descriptor codes by name, and NOC 2021 unit groups.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from microcred.domain.vocab import SkillScheme


@dataclass(frozen=True)
class DemoReference:
    """Official codes the demo can use; empty when no data is available."""

    skill_codes: dict[str, str] = field(default_factory=dict)
    noc_titles: dict[str, str] = field(default_factory=dict)
    source: str = "fallback vocabulary"

    def skill(self, name: str) -> tuple[SkillScheme, str]:
        """A skill reference for an OaSIS descriptor name (a demo id when unknown)."""
        code = self.skill_codes.get(name)
        if code:
            return SkillScheme.OASIS, code
        return SkillScheme.OTHER, "demo:" + name.lower().replace(" ", "-").replace(":", "")

    def known_noc(self, code: str) -> bool:
        """Whether a NOC code exists (always true without reference data)."""
        return not self.noc_titles or code in self.noc_titles


@lru_cache(maxsize=4)
def load(data_dir: Path | None) -> DemoReference:
    """Read the OaSIS guide and the NOC structure from ``data_dir`` if they are there."""
    if data_dir is None:
        return DemoReference()
    guide = data_dir / "oasis2023" / "guide_oasis_2023_v1.0.csv"
    noc = data_dir / "noc2021" / "noc_structure_en.csv"
    if not (guide.is_file() and noc.is_file()):
        return DemoReference()
    with guide.open(encoding="utf-8-sig", newline="") as f:
        skills = {
            row["Name"].strip(): row["Code"].strip()
            for row in csv.DictReader(f)
            if row.get("Structure type", "").strip() == "Descriptor"
        }
    with noc.open(encoding="utf-8-sig", newline="") as f:
        nocs = {
            row["Code - NOC 2021 V1.0"].strip().zfill(5): row["Class title"].strip()
            for row in csv.DictReader(f)
            if row.get("Level", "").strip() == "5"
        }
    return DemoReference(skills, nocs, source=f"OaSIS 2023 v1.0 and NOC 2021 v1.0 from {data_dir}")
